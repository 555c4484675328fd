import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSyncsUntilIdle } from "../../../server/connectors/sync-runner";
import { writebackOnce } from "../../../server/connectors/writeback";
import { type HubspotFake, startHubspotFake } from "../../fakes/hubspot/server";
import { liveTemplate } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";
import { fastPolicy } from "./helpers";

const at = (min: number) => new Date(Date.UTC(2026, 10, 20, 9, min));

describe("buying-role write-back and roles set in the CRM", () => {
  let t: TestContext;
  let hs: HubspotFake;
  beforeEach(async () => {
    t = await createTestContext({ env: { QUORUM_CONNECTOR_KEY: "c".repeat(64) } });
    hs = await startHubspotFake();
  });
  afterEach(async () => {
    await hs.close();
    await t.close();
  });

  async function setup() {
    hs.privateAppTokens.add("pat-good");
    const acme = hs.upsert("companies", { name: "Acme Corp", domain: "acme.example" }, at(1));
    const anna = hs.upsert("contacts", { firstname: "Anna", lastname: "Berg", email: "anna@acme.example" }, at(2));
    const bo = hs.upsert("contacts", { firstname: "Bo", lastname: "Ek", email: "bo@acme.example" }, at(3));
    hs.associate("contacts", anna.id, "companies", acme.id, 1);
    hs.associate("contacts", bo.id, "companies", acme.id, 1);
    const conn = await t.call("POST", "/api/connections", {
      crm: "hubspot",
      name: "HubSpot",
      baseUrl: hs.url,
      auth: { kind: "private_app", accessToken: "pat-good" },
      settings: {
        writeback: {
          enabled: true,
          roleMapping: { "decision-maker": "DECISION_MAKER", influencer: "INFLUENCER", practitioner: "END_USER" },
        },
      },
    });
    expect(conn.status, JSON.stringify(conn.body)).toBe(201);
    const sync = async () => {
      const s = await t.call("POST", `/api/connections/${conn.body.id}/sync`, {});
      await runSyncsUntilIdle(t.deps, { policy: fastPolicy() });
      return (await t.call("GET", `/api/connections/runs/${s.body.run.id}`)).body;
    };
    expect((await sync()).status).toBe("done");
    const account = (await t.call("GET", `/api/accounts/lookup?crm=hubspot&recordId=${acme.id}`)).body.accounts[0];
    const template = await liveTemplate(t);
    const si = await t.call("POST", "/api/solution-interests", { name: "Platform", roleTemplateId: template.id });
    const group = (await t.call("POST", "/api/groups", { accountId: account.id, solutionInterestId: si.body.id })).body;
    const people = (await t.call("GET", `/api/accounts/${account.id}/people`)).body.items as Array<{
      id: string;
      firstName: string;
    }>;
    const idOf = (n: string) => people.find((p) => p.firstName === n)!.id;
    return { conn: conn.body, sync, group, anna: { ...anna, personId: idOf("Anna") }, bo: { ...bo, personId: idOf("Bo") } };
  }
  const patches = (id: string) => hs.log.filter((l) => l === `PATCH /crm/v3/objects/contacts/${id}`).length;

  it("writes an assigned role to hs_buying_role once, retries a failed write, and does not echo it back", async () => {
    const s = await setup();
    const assign = await t.call("POST", `/api/groups/${s.group.id}/members`, {
      members: [{ personId: s.anna.personId, roleKey: "decision-maker" }],
    });
    expect(assign.status).toBe(200);
    hs.fail({
      match: `PATCH /crm/v3/objects/contacts/${s.anna.id}`,
      status: 503,
      body: { status: "error", message: "Service unavailable" },
      times: 1,
    });
    await writebackOnce(t.deps, "owner-1", { ...fastPolicy(), attempts: 1 });
    const failed = await t.deps.db.selectFrom("crm_writeback_outbox").selectAll().execute();
    expect(failed).toEqual([
      expect.objectContaining({
        status: "queued",
        attempts: 1,
        value: "DECISION_MAKER",
        last_error: expect.stringContaining("503"),
      }),
    ]);
    expect(hs.objects.get("contacts")!.get(s.anna.id)!.properties.hs_buying_role ?? null).toBeNull();

    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await writebackOnce(t.deps, "owner-1", fastPolicy());
    await writebackOnce(t.deps, "owner-1", fastPolicy());
    expect(hs.objects.get("contacts")!.get(s.anna.id)!.properties.hs_buying_role).toBe("DECISION_MAKER");
    expect(patches(s.anna.id)).toBe(2); // the failed attempt and the one that took effect; nothing after
    const rows = await t.deps.db.selectFrom("crm_writeback_outbox").selectAll().execute();
    expect(rows.map((r) => r.status)).toEqual(["sent"]);

    // The next sync sees Quorum's own value in the CRM: no membership change comes back.
    const before = await t.deps.db.selectFrom("events").select("id").execute();
    expect((await s.sync()).status).toBe("done");
    expect(await t.deps.db.selectFrom("events").select("id").execute()).toHaveLength(before.length);

    // Removing the member clears the property.
    await t.call("POST", `/api/groups/${s.group.id}/members/remove`, { personIds: [s.anna.personId] });
    await writebackOnce(t.deps, "owner-1", fastPolicy());
    expect(hs.objects.get("contacts")!.get(s.anna.id)!.properties.hs_buying_role).toBe("");
  });

  it("a role a person sets in HubSpot comes back as a manual membership change", async () => {
    const s = await setup();
    hs.upsert("contacts", { hs_buying_role: "INFLUENCER" }, new Date(), s.bo.id);
    const run = await s.sync();
    expect(run.status).toBe("done");
    const member = (await t.call("GET", `/api/groups/${s.group.id}/members/${s.bo.personId}`)).body;
    expect(member).toMatchObject({ roleKey: "influencer", source: "manual" });
    // Nothing to write back: HubSpot already holds it.
    await writebackOnce(t.deps, "owner-1", fastPolicy());
    expect(patches(s.bo.id)).toBe(0);
    // Cleared in HubSpot: the person leaves the group, again as a manual change.
    hs.upsert("contacts", { hs_buying_role: "" }, new Date(Date.now() + 1000), s.bo.id);
    await s.sync();
    const after = (await t.call("GET", `/api/groups/${s.group.id}/members`)).body.items;
    expect(after.find((m: { personId: string }) => m.personId === s.bo.personId)).toBeUndefined();
  });
});
