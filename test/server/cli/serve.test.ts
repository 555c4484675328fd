import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runServe } from "../../../server/cli/serve";
import { loadConfig } from "../../../server/config";

// What a newcomer gets from `npm start`: a real server on a real SQLite file with the demo data.
describe("npm start on a fresh data directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "quorum-serve-"));
  const bootstrap = "automation_token_0123456789abcdef";
  const config = loadConfig({ QUORUM_DATA_DIR: dir, QUORUM_PORT: "0", QUORUM_LOG: "silent", QUORUM_BOOTSTRAP_TOKEN: bootstrap });
  let server: Awaited<ReturnType<typeof runServe>>;
  let token: string;
  const get = async (path: string, bearer = token) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    server = await runServe(config);
    token = readFileSync(join(dir, "admin-token.txt"), "utf8").trim();
  }, 120_000);
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores an admin token that works", async () => {
    expect(token).toMatch(/^qrm_/);
    const me = await get("/api/me");
    expect(me.status).toBe(200);
    expect(me.body.role).toBe("admin");
  });

  it("honours QUORUM_BOOTSTRAP_TOKEN as an admin token", async () => {
    expect((await get("/api/me", bootstrap)).body.role).toBe("admin");
  });

  it("seeds a few dozen accounts linked to every supported CRM", async () => {
    const accounts = await get("/api/accounts?limit=200");
    expect(accounts.body.total).toBeGreaterThanOrEqual(24);
    const perCrm = new Map<string, number>();
    for (const a of accounts.body.items) for (const l of a.crmLinks) perCrm.set(l.crm, (perCrm.get(l.crm) ?? 0) + 1);
    for (const crm of ["salesforce", "hubspot", "dynamics", "pipedrive", "zoho"])
      expect(perCrm.get(crm) ?? 0).toBeGreaterThanOrEqual(5);
    const one = accounts.body.items[0];
    const link = one.crmLinks[0];
    const lookup = await get(`/api/accounts/lookup?crm=${link.crm}&recordId=${encodeURIComponent(link.recordId)}`);
    expect(lookup.body).toMatchObject({ matchedBy: "crm", accounts: [{ id: one.id }] });
  });

  it("seeds a few hundred people, three solution interests and groups in several stages with scores", async () => {
    const interests = await get("/api/solution-interests");
    expect(interests.body.items).toHaveLength(3);
    const groups = await get("/api/groups?limit=200");
    expect(groups.body.total).toBeGreaterThanOrEqual(36);
    const stages = new Set(groups.body.items.map((g: any) => g.stage?.name));
    expect(stages.size).toBeGreaterThanOrEqual(3);
    expect(groups.body.items.some((g: any) => g.engagement > 0)).toBe(true);
    expect(groups.body.items.some((g: any) => g.completeness > 0 && g.completeness < 100)).toBe(true);
    let people = 0;
    for (const a of (await get("/api/accounts?limit=200")).body.items) people += a.peopleCount;
    expect(people).toBeGreaterThanOrEqual(200);
    const templates = await get("/api/role-templates");
    expect(templates.body.items.filter((t: any) => t.status === "live")).toHaveLength(1);
  });

  it("sends a group's details gzipped over HTTP to a client that accepts it, and as plain JSON otherwise", async () => {
    const { items } = (await get("/api/groups?limit=1")).body;
    const url = `http://127.0.0.1:${server.port}/api/groups/${items[0].id}`;
    // fetch asks for gzip and unpacks it, as the extension's fetch does.
    const zipped = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    const details = (await zipped.json()) as any;
    expect(details.group.id).toBe(items[0].id);
    const plain = await fetch(url, { headers: { authorization: `Bearer ${token}`, "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(Number(plain.headers.get("content-length"))).toBeGreaterThan(Number(zipped.headers.get("content-length")) * 2);
    expect(await plain.json()).toEqual(details);
  });

  it("does not seed again on the next start, and keeps the token", async () => {
    const before = (await get("/api/groups?limit=1")).body.total;
    await server.close();
    server = await runServe(config);
    expect((await get("/api/groups?limit=1")).body.total).toBe(before);
    expect(readFileSync(join(dir, "admin-token.txt"), "utf8").trim()).toBe(token);
  }, 60_000);
});

// A team that starts without the demo data still has a roles template to build groups from.
describe("npm start on a fresh data directory without demo data", () => {
  const dir = mkdtempSync(join(tmpdir(), "quorum-serve-empty-"));
  const config = loadConfig({ QUORUM_DATA_DIR: dir, QUORUM_PORT: "0", QUORUM_LOG: "silent", QUORUM_DEMO_DATA: "false" });
  let server: Awaited<ReturnType<typeof runServe>>;
  let token: string;
  const call = async (method: string, path: string) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };

  beforeAll(async () => {
    server = await runServe(config);
    token = readFileSync(join(dir, "admin-token.txt"), "utf8").trim();
  }, 120_000);
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has no accounts but a published default roles template whose rules read job titles", async () => {
    expect((await call("GET", "/api/accounts")).body.total).toBe(0);
    const templates = (await call("GET", "/api/role-templates")).body.items;
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatchObject({ name: "Default B2B buying group", status: "live" });
  });

  it("does not bring the template back after an admin deleted it", async () => {
    const [template] = (await call("GET", "/api/role-templates")).body.items;
    const removed = await call("DELETE", `/api/role-templates/${template.id}`);
    expect(removed.status).toBeLessThan(300);
    await server.close();
    server = await runServe(config);
    expect((await call("GET", "/api/role-templates")).body.items).toHaveLength(0);
  }, 60_000);
});
