import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT, MAX_JSON_DEPTH } from "../../../server/http/input-guard";
import { account, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Every route has a body limit (413 before parsing), JSON bodies have a depth limit, and text that a
// database cannot store is refused with a 400 naming the field: in bodies, path parameters and query
// strings. Runs on SQLite and (npm run test:pg) PostgreSQL.
let t: TestContext;
let setup: Awaited<ReturnType<typeof groupSetup>>;

beforeAll(async () => {
  t = await createTestContext();
  setup = await groupSetup(t);
});
afterAll(() => t.close());

const fields = (body: any) => (body?.error?.details?.issues ?? []).map((i: { field: string }) => i.field);
const count = async (table: "accounts" | "people" | "activities" | "users") =>
  Number(
    (
      await t.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A raw request (the body as given), so sizes and streams are exactly what the test says. */
async function raw(method: string, path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, {
    method,
    headers: { authorization: `Bearer ${t.tokens.admin}`, "content-type": "application/json", ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as any };
}

describe("body limits", () => {
  const big = (bytes: number) => JSON.stringify({ name: "Acme", industry: "x".repeat(bytes) });

  it("refuses a body over the default limit with 413 and the limit, storing nothing", async () => {
    const before = await count("accounts");
    const res = await raw("POST", "/api/accounts", big(DEFAULT_BODY_LIMIT));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: "payload_too_large", details: { limitBytes: DEFAULT_BODY_LIMIT } });
    expect(res.body.error.message).toContain("64 KB");
    expect(await count("accounts")).toBe(before);
  });

  it("closes the connection after a 413, so a keep-alive client's next request is answered, not reset", async () => {
    // Over a real socket: the refused body is left unread on the connection, so reusing it would fail.
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port,
            path: "/api/accounts",
            method: "POST",
            agent,
            headers: {
              authorization: `Bearer ${t.tokens.admin}`,
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    try {
      expect(await send(big(4 * DEFAULT_BODY_LIMIT))).toEqual({ status: 413, connection: "close" });
      const next = await send(JSON.stringify({ name: "Keep-alive Corp" }));
      expect(next.status).toBe(201);
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("counts a streamed body without Content-Length too", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await raw("POST", "/api/accounts", stream);
    expect(res.status).toBe(413);
  });

  it("applies the same default to routes that take no body, and to public routes", async () => {
    expect((await raw("POST", "/api/scores/recompute", big(DEFAULT_BODY_LIMIT))).status).toBe(413);
    expect((await raw("POST", "/unsubscribe/abc", big(DEFAULT_BODY_LIMIT))).status).toBe(413);
  });

  it("lets a route state a larger limit: ingest takes a 1 MB batch, and refuses 16 MB", async () => {
    const p = await person(t, setup.account.id, "Bulk");
    const activities = Array.from({ length: 5000 }, (_, i) => ({
      externalId: `bulk-${i}-${"x".repeat(100)}`,
      personId: p.id,
      type: "visit-webpage",
      occurredAt: "2026-11-23T11:00:00.000Z",
    }));
    const body = JSON.stringify({ activities });
    expect(body.length).toBeGreaterThan(DEFAULT_BODY_LIMIT * 10);
    const ok = await raw("POST", "/api/activities", body);
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toBe(5000);
    const tooBig = await raw("POST", "/api/activities", "x", { "content-length": String(16 * 1024 * 1024 + 1) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toContain("16 MB");
  });

  it("states each route's limit in the OpenAPI document", async () => {
    const doc = (await (await t.app.request("/api/openapi.json")).json()) as any;
    expect(doc.paths["/api/activities"].post["x-max-body-bytes"]).toBe(16 * 1024 * 1024);
    expect(doc.paths["/api/accounts"].post["x-max-body-bytes"]).toBe(DEFAULT_BODY_LIMIT);
    expect(doc.paths["/api/accounts"].post.responses["413"]).toBeDefined();
  });
});

describe("JSON depth", () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"name":"x"}${"}".repeat(depth - 1)}`;

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels with 400 naming the body`, async () => {
    const res = await raw("POST", "/api/accounts", nested(MAX_JSON_DEPTH + 1));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toContain(`${MAX_JSON_DEPTH} levels`);
    expect(fields(res.body)).toEqual(["(body)"]);
  });

  it("a deep array of 60 000 levels is refused just as fast, not parsed", async () => {
    const res = await raw("POST", "/api/activities", `{"activities":${"[".repeat(60_000)}${"]".repeat(60_000)}}`);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["(body)"]);
  });

  it("brackets inside strings do not count", async () => {
    const res = await t.call("POST", "/api/accounts", { name: `Acme ${"[{".repeat(40)}` });
    expect(res.status).toBe(201);
  });
});

describe("text a database cannot store", () => {
  it.each<[string, string, string, () => unknown, string]>([
    ["NUL in a name", "POST", "/api/accounts", () => ({ name: "a\u0000b" }), "name"],
    ["a lone surrogate in a name", "POST", "/api/accounts", () => ({ name: "a\uD800b" }), "name"],
    ["a lone low surrogate", "POST", "/api/accounts", () => ({ name: "\uDC00" }), "name"],
    [
      "NUL in a nested field",
      "POST",
      "/api/accounts",
      () => ({ name: "A", crmLinks: [{ crm: "hubspot", recordId: "1\u0000" }] }),
      "crmLinks.0.recordId",
    ],
    ["NUL in an attribute key", "POST", "/api/people", () => ({ firstName: "A", attributes: { "k\u0000": 1 } }), "attributes"],
    ["NUL in a field the schema does not know", "POST", "/api/accounts", () => ({ name: "A", extra: "\u0000" }), "extra"],
    [
      "NUL in a member's role key",
      "POST",
      "/api/groups/{group}/members",
      () => ({ members: [{ personId: "p", roleKey: "\u0000" }] }),
      "members.0.roleKey",
    ],
  ])("%s → 400 naming %s, nothing stored", async (_label, method, path, body, field) => {
    const before = await count("accounts");
    const res = await t.call(method, path.replace("{group}", setup.group.id), body());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(fields(res.body)).toContain(field);
    expect(res.body.error.message).toContain(field);
    expect(await count("accounts")).toBe(before);
  });

  it("a pair of surrogates (an emoji) is text like any other", async () => {
    const res = await t.call("POST", "/api/accounts", { name: "Acme \uD83D\uDE80" });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe("Acme 🚀");
  });

  it.each([
    ["/api/groups/abc%00def", "id"],
    ["/api/groups/a%00b%ED", "id"],
    ["/api/groups/%2500", null],
    ["/api/groups/{group}/members/p%00", "personId"],
    ["/api/people/%00", "id"],
    ["/unsubscribe/a%00b", "token"],
    ["/api/outbox/a%00.eml", "file"],
  ])("GET %s → 400 naming the path parameter %s", async (path, field) => {
    const res = await t.call("GET", path.replace("{group}", setup.group.id));
    if (field === null) {
      // `%2500` is the text "%00" (an escaped percent sign), not a NUL: an unknown group.
      expect(res.status).toBe(404);
      return;
    }
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual([field]);
  });

  it.each([
    ["/api/accounts?q=%00", "q"],
    ["/api/groups?q=a%00&limit=5", "q"],
    ["/api/scores/recompute?x=%00", "x"],
    ["/api/me?%00=1", "(query)"],
  ])("%s → 400 naming %s", async (path, field) => {
    const method = path.startsWith("/api/scores") ? "POST" : "GET";
    const res = await t.call(method, path);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual([field]);
  });
});

describe("names refuse bidirectional and control characters", () => {
  const RLO = "\u202Eevil\u202C";
  it.each<[string, string, () => Record<string, unknown>, string]>([
    ["account", "/api/accounts", () => ({ name: RLO }), "name"],
    ["person (first name)", "/api/people", () => ({ firstName: `Anna${"\u2066"}` }), "firstName"],
    ["person (last name)", "/api/people", () => ({ firstName: "Anna", lastName: "\u200Fx" }), "lastName"],
    ["user", "/api/users", () => ({ name: RLO, role: "sales" }), "name"],
    ["token", "/api/users", () => ({ name: "Eva", role: "sales", tokenName: `t${"\u061C"}` }), "tokenName"],
    ["template", "/api/role-templates", () => ({ name: RLO, roles: [{ key: "a", name: "A", weighting: "vital" }] }), "name"],
    ["role", "/api/role-templates", () => ({ name: "T", roles: [{ key: "a", name: RLO, weighting: "vital" }] }), "roles.0.name"],
    ["workspace", "/api/workspaces", () => ({ name: "\u202Ax" }), "name"],
    ["solution interest", "/api/solution-interests", () => ({ name: RLO, roleTemplateId: "x" }), "name"],
    ["activity type", "/api/activity-types", () => ({ name: "Visit\u200E" }), "name"],
    ["journey", "/api/journeys", () => ({ name: RLO }), "name"],
    [
      "stage",
      "/api/stage-models",
      () => ({
        name: "M",
        stages: [
          { name: RLO, kind: "entry" },
          { name: "B", kind: "success" },
        ],
      }),
      "stages.0.name",
    ],
    [
      "stage model",
      "/api/stage-models",
      () => ({
        name: "M\u0007x",
        stages: [
          { name: "A", kind: "entry" },
          { name: "B", kind: "success" },
        ],
      }),
      "name",
    ],
  ])("a %s name → 400 naming %s", async (_what, path, body, field) => {
    const before = await count("users");
    const res = await t.call("POST", path, body());
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain(field);
    expect(res.body.error.details.issues.find((i: { field: string }) => i.field === field).message).toMatch(
      /bidirectional|control character/,
    );
    expect(await count("users")).toBe(before);
  });

  it("right-to-left names without control characters are fine", async () => {
    const res = await t.call("POST", "/api/accounts", { name: "شركة المثال" });
    expect(res.status).toBe(201);
  });

  it("a user name with bidi is refused on the role-less routes too (token names)", async () => {
    const users = await t.call("GET", "/api/users");
    const id = users.body.items?.[0]?.id ?? users.body[0]?.id;
    const res = await t.call("POST", `/api/users/${id}/tokens`, { name: "\u202Dx" });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain("name");
  });
});

describe("person attributes", () => {
  it.each<[string, () => Record<string, unknown>, RegExp]>([
    ["51 keys", () => Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])), /at most 50/],
    ["a 101-character key", () => ({ ["k".repeat(101)]: 1 }), /at most 100/],
    ["an empty key", () => ({ "": 1 }), /must not be empty/],
    ["a 1 001-character value", () => ({ k: "v".repeat(1001) }), /at most 1000/],
    [
      "20 KB in total",
      () => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v".repeat(1000)])),
      /16384 bytes/,
    ],
    ["an object value", () => ({ k: { nested: true } }), /./],
  ])("%s → 400 naming attributes", async (_label, attributes, message) => {
    const before = await count("people");
    const res = await t.call("POST", "/api/people", { firstName: "Attr", attributes: attributes() });
    expect(res.status).toBe(400);
    const issue = res.body.error.details.issues.find((i: { field: string }) => i.field.startsWith("attributes"));
    expect(issue).toBeDefined();
    expect(issue.message).toMatch(message);
    expect(await count("people")).toBe(before);
  });

  it("50 keys of 300 bytes each are accepted and served back", async () => {
    const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v".repeat(300)]));
    const res = await t.call("POST", "/api/people", { firstName: "Many", attributes });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.person.attributes)).toHaveLength(50);
  });
});

describe("activity ingest keeps its per-item semantics for bad text", () => {
  it("an item with NUL or a lone surrogate is rejected by index and field; the good items are stored", async () => {
    const p = await person(t, (await account(t)).id, "Ingest");
    const good = (id: string) => ({
      externalId: id,
      personId: p.id,
      type: "visit-webpage",
      occurredAt: "2026-11-23T11:00:00.000Z",
    });
    const res = await t.call("POST", "/api/activities", {
      activities: [
        good("text-ok-1"),
        { ...good("x"), externalId: "bad\u0000id" },
        { ...good("x"), externalId: "lone\uD800" },
        { ...good("text-meta"), metadata: { "k\u0000": "v" } },
        { ...good("text-meta-2"), metadata: { url: "https://x.example/\u0000" } },
        { ...good("text-type"), type: "visit\u0000" },
        good("text-ok-2"),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(res.body.rejected[0].reason).toMatch(/^externalId contains a NUL/);
    expect(res.body.rejected[1].reason).toMatch(/^externalId contains a lone surrogate/);
    expect(res.body.rejected[2].reason).toMatch(/^metadata has a key that contains a NUL/);
    expect(res.body.rejected[3].reason).toMatch(/^metadata\.url contains a NUL/);
    expect(res.body.rejected[4].reason).toMatch(/^type contains a NUL/);
    const stored = await t.deps.db.selectFrom("activities").select("external_id").where("person_id", "=", p.id).execute();
    expect(stored.map((r) => r.external_id).sort()).toEqual(["text-ok-1", "text-ok-2"]);
  });

  it("bad text outside the items is still a whole-request 400", async () => {
    const res = await t.call("POST", "/api/activities", { activities: [{}], "x\u0000": 1 });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["(body)"]);
  });
});
