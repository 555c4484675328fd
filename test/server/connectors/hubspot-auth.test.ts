import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSyncsUntilIdle } from "../../../server/connectors/sync-runner";
import { type HubspotFake, startHubspotFake } from "../../fakes/hubspot/server";
import { createTestContext, type TestContext } from "../../helpers/test-app";
import { fastPolicy } from "./helpers";

/** HubSpot public-app OAuth through @hubspot/api-client against the fake: sign-in, refresh-then-retry-once, revoked grant. */
describe("HubSpot OAuth (public app)", () => {
  let t: TestContext;
  let hs: HubspotFake;
  beforeEach(async () => {
    t = await createTestContext({ env: { QUORUM_CONNECTOR_KEY: "d".repeat(64) } });
    hs = await startHubspotFake();
    hs.apps.set("hs-client-1", { clientSecret: "hs-secret-1" });
    const acme = hs.upsert("companies", { name: "Acme Corp", domain: "acme.example" });
    const anna = hs.upsert("contacts", { firstname: "Anna", lastname: "Berg", email: "anna@acme.example" });
    hs.associate("contacts", anna.id, "companies", acme.id, 1);
  });
  afterEach(async () => {
    await hs.close();
    await t.close();
  });
  const sync = async (id: string, kind: "incremental" | "full" = "incremental") => {
    const started = await t.call("POST", `/api/connections/${id}/sync`, { kind });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await runSyncsUntilIdle(t.deps, { policy: fastPolicy() });
    return (await t.call("GET", `/api/connections/runs/${started.body.run.id}`)).body;
  };
  const tokenCalls = () => hs.log.filter((l) => l === "POST /oauth/v1/token").length;

  it("signs in through the authorize redirect, refreshes an expired token once and repeats the call, and a revoked grant needs a new sign-in", async () => {
    const created = await t.call("POST", "/api/connections", {
      crm: "hubspot",
      name: "HubSpot OAuth",
      baseUrl: hs.url,
      loginUrl: hs.url,
      auth: { kind: "oauth", clientId: "hs-client-1", clientSecret: "hs-secret-1" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe("needs_sign_in");
    const id = created.body.id as string;

    const start = await t.call("POST", `/api/connections/${id}/oauth/start`);
    expect(start.status).toBe(200);
    const authorize = new URL(start.body.authorizeUrl);
    expect(authorize.origin).toBe(hs.url);
    expect(authorize.searchParams.get("client_id")).toBe("hs-client-1");
    expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["crm.objects.contacts.write", "forms", "content"]),
    );
    const back = new URL((await fetch(authorize, { redirect: "manual" })).headers.get("location")!);
    expect(back.pathname).toBe("/oauth/callback");
    const callback = await t.app.request(`${back.pathname}${back.search}`);
    expect(callback.status).toBeLessThan(400);
    const conn = (await t.call("GET", `/api/connections/${id}`)).body;
    expect(conn.status).toBe("connected");
    expect(conn.secretsStored).toEqual(expect.arrayContaining(["accessToken", "refreshToken", "clientSecret"]));
    expect(JSON.stringify(conn)).not.toContain("hs-secret-1");
    expect(tokenCalls()).toBe(1);

    expect((await sync(id)).status).toBe("done");

    // The access token expires: one refresh, the refused call repeated, the run goes on.
    hs.expireAccessTokens();
    const refreshed = await sync(id, "full");
    expect(refreshed.status, refreshed.error).toBe("done");
    expect(tokenCalls()).toBe(2);

    // The app's access is revoked: the refresh is refused, the connection turns "needs sign-in" with the reason.
    hs.expireAccessTokens();
    hs.revokeRefreshTokens();
    const revoked = await sync(id, "full");
    expect(revoked.status).toBe("needs_sign_in");
    expect(tokenCalls()).toBe(3); // one refresh attempt, not a loop
    const after = (await t.call("GET", `/api/connections/${id}`)).body;
    expect(after.status).toBe("needs_sign_in");
    expect(after.statusReason).toMatch(/refused the refresh token.*BAD_REFRESH_TOKEN|missing or unknown refresh token/);
    expect((await t.call("POST", `/api/connections/${id}/sync`, {})).status).toBe(409);
  });
});
