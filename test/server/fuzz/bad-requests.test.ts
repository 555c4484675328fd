import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";
import { type BadRequest, badRequests } from "./cases";
import { appTables, changedTables, fingerprint } from "./fingerprint";
import { type FuzzRoute, fuzzRoutes } from "./routes";

// Generated bad requests against every route the app serves (taken from Hono's route table), as every
// role and without a token: each must be answered 4xx (never 5xx) with the error shape, name the bad
// field where the request reached validation, and change no table. `npm test` runs it on SQLite,
// `npm run test:pg` on PostgreSQL. QUORUM_FUZZ_REQUESTS sets the total (default 2 400); a failure
// prints fast-check's seed and path to replay it (QUORUM_FUZZ_SEED).
const TOTAL = Number(process.env.QUORUM_FUZZ_REQUESTS ?? 2400);
const SEED = process.env.QUORUM_FUZZ_SEED ? Number(process.env.QUORUM_FUZZ_SEED) : undefined;
const ROLES = ["admin", "marketer", "sales", "none"] as const;
type Role = (typeof ROLES)[number];

let t: TestContext;
let ids: string[] = [];
let tables: string[] = [];
let before: Record<string, string>;
let routes: FuzzRoute[] = [];
let missing: string[] = [];
const sent = new Map<string, number>();
const emptyForUnknown = new Set<string>();

beforeAll(async () => {
  t = await createTestContext();
  const setup = await groupSetup(t);
  const acc = await account(t);
  const p1 = await person(t, setup.account.id, "Fuzz");
  const p2 = await person(t, acc.id, "Zuff");
  await t.call("POST", `/api/groups/${setup.group.id}/members`, { members: [{ personId: p1.id, roleKey: "influencer" }] });
  const ws = await t.call("POST", "/api/workspaces", { name: "Fuzz workspace" });
  const email = await t.call("POST", "/api/emails", {
    workspaceId: ws.body.id,
    name: "Fuzz email",
    subject: "Hi",
    htmlBody: "<p>Hi</p>",
    textBody: "Hi",
  });
  const journey = await t.call("POST", "/api/journeys", { name: "Fuzz journey" });
  const users = await t.call("GET", "/api/users");
  ids = [
    setup.group.id,
    setup.account.id,
    setup.template.id,
    setup.solutionInterest.id,
    acc.id,
    p1.id,
    p2.id,
    ws.body.id,
    email.body.id,
    journey.body.id,
    ...((users.body.items ?? []) as Array<{ id: string }>).map((u) => u.id),
  ].filter((x): x is string => typeof x === "string");
  // The unsubscribe key is made on first use (app_settings): make it now, so that what the fingerprint
  // sees change is only what a bad request changed.
  await t.app.request("/unsubscribe/warm-up");
  ({ routes, missing } = fuzzRoutes(t.app));
  tables = await appTables(t.deps.db);
  before = await fingerprint(t.deps.db, tables);
}, 120_000);
afterAll(() => t.close());

const tokenOf = (role: Role) => (role === "none" ? null : t.tokens[role]);

async function send(r: BadRequest, role: Role) {
  const token = tokenOf(role);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (r.body !== undefined) headers["content-type"] = "application/json";
  const res = await t.app.request(r.url, { method: r.method, headers, body: r.body });
  const type = res.headers.get("content-type") ?? "";
  const text = await res.text();
  return { status: res.status, type, body: type.includes("json") && text ? JSON.parse(text) : text };
}

/** What every answer to a bad request must be; returns a description of what is wrong, or null. */
function verdict(route: FuzzRoute, r: BadRequest, role: Role, res: Awaited<ReturnType<typeof send>>): string | null {
  const api = route.path.startsWith("/api/") && !["/api/openapi.json", "/api/docs"].includes(route.path);
  if (r.items && res.status === 200) {
    const rejected = (res.body.rejected ?? []) as Array<{ index: number; reason: string }>;
    if (res.body.accepted !== 0 || rejected.length !== r.items.length)
      return `expected every item rejected: ${JSON.stringify(res.body)}`;
    for (const [i, fields] of r.items.entries()) {
      const reason = rejected.find((x) => x.index === i)?.reason ?? "";
      if (!fields.some((f) => reason.startsWith(`${f} `))) return `item ${i}: '${reason}' names none of ${fields.join(", ")}`;
    }
    return null;
  }
  // An odd but storable id (too long for nothing, bidi, bytes that are not UTF-8) on a read is just an
  // unknown id: some lists answer it with nothing (noted below) rather than 404; never a 5xx.
  if (r.kind === "param-odd" && r.method === "GET" && res.status >= 200 && res.status < 300) {
    emptyForUnknown.add(`${route.method} ${route.path}`);
    return null;
  }
  if (res.status < 400 || res.status > 499) return `status ${res.status}`;
  if (res.type.includes("text/html")) return null; // the public pages answer people with a page
  const error = res.body?.error;
  if (!error || typeof error.code !== "string" || typeof error.message !== "string" || !("details" in error))
    return `not the error shape: ${JSON.stringify(res.body).slice(0, 200)}`;
  if (r.guard) {
    if (res.status !== r.guard) return `expected ${r.guard} from the input guard, got ${res.status} ${error.code}`;
  } else if (api && role === "none") {
    return res.status === 401 ? null : `expected 401 without a token, got ${res.status}`;
  } else if (res.status === 403) {
    return role === "admin" ? "403 for an admin" : null;
  }
  if (res.status === 400) {
    const issues = error.details?.issues;
    if (error.code !== "validation_failed" || !Array.isArray(issues) || issues.length === 0)
      return `a 400 without details.issues: ${JSON.stringify(error)}`;
    if (r.fields) {
      const got = [...new Set(issues.map((i: { field: string }) => i.field))].sort();
      if (JSON.stringify(got) !== JSON.stringify(r.fields))
        return `named ${JSON.stringify(got)}, expected ${JSON.stringify(r.fields)}`;
    }
  } else if (r.fields && !r.guard && res.status !== 404 && res.status !== 409) {
    return `expected a 400 naming ${r.fields.join(", ")}, got ${res.status} ${error.code}`;
  }
  return null;
}

describe("generated bad requests", () => {
  it("every route the app serves has a generator (an /api route needs a RouteDoc)", () => {
    expect(missing).toEqual([]);
    for (const route of routes) expect(badRequests(route, ids).length, `${route.method} ${route.path}`).toBeGreaterThan(0);
    expect(routes.length).toBeGreaterThan(50);
  });

  it("each is refused with a 4xx in the error shape, names the field, and changes no table", { timeout: 900_000 }, async () => {
    // Runs per route in proportion to its kinds of bad input (a body route has more to get wrong), 12 at least.
    const kinds = new Map(routes.map((r) => [r, badRequests(r, ids)]));
    const allKinds = [...kinds.values()].reduce((n, k) => n + k.length, 0);
    for (const route of routes) {
      const own = kinds.get(route)!;
      const perRoute = Math.max(12, Math.ceil((TOTAL * own.length) / allKinds));
      const arbitrary = fc.tuple(fc.oneof(...own), fc.constantFrom(...ROLES));
      await fc.assert(
        fc.asyncProperty(arbitrary, async ([r, role]) => {
          const res = await send(r, role);
          sent.set(r.kind, (sent.get(r.kind) ?? 0) + 1);
          const problem = verdict(route, r, role, res);
          const after = await fingerprint(t.deps.db, tables);
          const changed = changedTables(before, after);
          const where = `${r.method} ${r.url.slice(0, 200)} as ${role} (${r.kind})`;
          expect(problem, `${where}: ${problem}; body ${(r.body ?? "").slice(0, 300)}`).toBeNull();
          expect(changed, `${where} changed ${changed.join(", ")}`).toEqual([]);
        }),
        { numRuns: perRoute, seed: SEED, endOnFailure: true },
      );
    }
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    console.info(
      `[fuzz] ${process.env.QUORUM_TEST_DATABASE_URL ? "postgresql" : "sqlite"}: ${total} bad requests over ${routes.length} routes; by kind ${JSON.stringify(Object.fromEntries(sent))}`,
    );
    if (emptyForUnknown.size) console.info(`[fuzz] reads answering 200 for an unknown id: ${[...emptyForUnknown].join(", ")}`);
    expect(total).toBeGreaterThanOrEqual(Math.min(TOTAL, 2000));
  });
});
