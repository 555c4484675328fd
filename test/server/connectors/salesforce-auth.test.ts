import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedSmallOrg } from "../../fakes/salesforce/seed";
import { fastPolicy, type SalesforceSetup, salesforceSetup } from "./helpers";

describe("Salesforce sign-in and faults", () => {
  let s: SalesforceSetup;
  beforeEach(async () => {
    s = await salesforceSetup();
  });
  afterEach(async () => s.close());

  it("a wrong password is a 400 naming auth.password with Salesforce's reason", async () => {
    const res = await s.t.call("POST", "/api/connections", {
      crm: "salesforce",
      name: "Wrong",
      loginUrl: s.sf.url,
      auth: {
        kind: "password",
        clientId: "3MVG9-client",
        clientSecret: "consumer-secret",
        username: "integration@acme.example",
        password: "nope",
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([
      { field: "auth.password", message: expect.stringContaining("authentication failure") },
    ]);
  });

  it("OAuth web server flow with PKCE: authorize redirects back to /oauth/callback, tokens are stored sealed, then syncs", async () => {
    seedSmallOrg(s.sf);
    const created = await s.t.call("POST", "/api/connections", {
      crm: "salesforce",
      name: "OAuth org",
      loginUrl: s.sf.url,
      auth: { kind: "oauth", clientId: "3MVG9-client", clientSecret: "consumer-secret" },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("needs_sign_in");
    const start = await s.t.call("POST", `/api/connections/${created.body.id}/oauth/start`);
    const url = new URL(start.body.authorizeUrl);
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("redirect_uri")).toBe(start.body.redirectUri);
    // The admin's browser: the CRM answers with a redirect to Quorum's callback.
    const authorize = await fetch(url, { redirect: "manual" });
    const back = new URL(authorize.headers.get("location")!);
    expect(back.pathname).toBe("/oauth/callback");
    const page = await s.t.app.request(`${back.pathname}${back.search}`);
    expect(page.status, await page.clone().text()).toBe(200);
    expect(await page.text()).toContain("Quorum is connected to OAuth org");
    const again = await s.t.app.request(`${back.pathname}${back.search}`);
    expect(again.status).toBe(400); // the state is single-use
    const conn = (await s.t.call("GET", `/api/connections/${created.body.id}`)).body;
    expect(conn).toMatchObject({ status: "connected", secretsStored: ["accessToken", "clientSecret", "refreshToken"] });
    const row = await s.t.deps.db.selectFrom("crm_connections").select("secrets").executeTakeFirstOrThrow();
    expect(row.secrets).toMatch(/^v1\./);
    expect(row.secrets).not.toContain("consumer-secret");
    expect((await s.sync(created.body.id)).status).toBe("done");
  });

  it("JWT bearer flow signs in with the connected app's key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    s.sf.registerJwtKey("3MVG9-client", publicKey.export({ type: "spki", format: "pem" }).toString());
    seedSmallOrg(s.sf);
    const res = await s.t.call("POST", "/api/connections", {
      crm: "salesforce",
      name: "JWT org",
      loginUrl: s.sf.url,
      auth: {
        kind: "jwt",
        clientId: "3MVG9-client",
        username: "integration@acme.example",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await s.sync(res.body.id)).status).toBe("done");
  });

  it("an expired session is refreshed and the call repeated; a revoked grant turns the connection to needs sign-in with the reason", async () => {
    seedSmallOrg(s.sf);
    const created = await s.t.call("POST", "/api/connections", {
      crm: "salesforce",
      name: "OAuth org",
      loginUrl: s.sf.url,
      auth: { kind: "oauth", clientId: "3MVG9-client", clientSecret: "consumer-secret" },
    });
    const start = await s.t.call("POST", `/api/connections/${created.body.id}/oauth/start`);
    const back = new URL((await fetch(start.body.authorizeUrl, { redirect: "manual" })).headers.get("location")!);
    await s.t.app.request(`${back.pathname}${back.search}`);
    s.sf.expireSessions();
    const run = await s.sync(created.body.id);
    expect(run.status, run.error).toBe("done");
    s.sf.revokeGrants();
    const revoked = await s.sync(created.body.id, "full");
    expect(revoked.status, revoked.error).toBe("needs_sign_in");
    const conn = (await s.t.call("GET", `/api/connections/${created.body.id}`)).body;
    expect(conn.status).toBe("needs_sign_in");
    expect(conn.statusReason).toContain("invalid_grant");
    expect((await s.t.call("POST", `/api/connections/${created.body.id}/sync`, {})).status).toBe(409);
  });

  it("REQUEST_LIMIT_EXCEEDED pauses the run until later instead of failing it; it resumes from its position", async () => {
    seedSmallOrg(s.sf);
    const { id } = await s.connect();
    s.sf.fail({
      match: "FROM%20Contact",
      status: 403,
      body: [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }],
    });
    const paused = await s.sync(id, "incremental", fastPolicy());
    expect(paused.status).toBe("paused");
    expect(paused.stream).toBe("accounts");
    expect(paused.error).toMatch(/REQUEST_LIMIT_EXCEEDED.*Paused; resumes after/);
    s.t.clock.now = new Date(s.t.clock.now.getTime() + 16 * 60_000);
    const { runSyncsUntilIdle } = await import("../../../server/connectors/sync-runner");
    await runSyncsUntilIdle(s.t.deps, { policy: fastPolicy() });
    const done = (await s.t.call("GET", `/api/connections/runs/${paused.id}`)).body;
    expect(done.status).toBe("done");
    expect(done.progress.skipped).toBeGreaterThan(0);
  });
});
