import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSyncsUntilIdle } from "../../../server/connectors/sync-runner";
import { type HubspotFake, startHubspotFake } from "../../fakes/hubspot/server";
import { createTestContext, type TestContext } from "../../helpers/test-app";
import { fastPolicy } from "./helpers";

const at = (min: number) => new Date(Date.UTC(2026, 10, 20, 9, min));

function seedPortal(hs: HubspotFake) {
  hs.privateAppTokens.add("pat-eu1-good");
  hs.owners.push({ id: "501", email: "olive@acme.example", firstName: "Olive", lastName: "Owner", archived: false });
  const acme = hs.upsert(
    "companies",
    { name: "Acme Corp", domain: "acme.example", industry: "COMPUTER_SOFTWARE", numberofemployees: "450", country: "Sweden" },
    at(1),
  );
  const anna = hs.upsert(
    "contacts",
    {
      firstname: "Anna",
      lastname: "Berg",
      email: "anna@acme.example",
      jobtitle: "VP Engineering",
      hs_seniority: "vice_president",
      hs_job_function: "Engineering",
    },
    at(2),
  );
  const bo = hs.upsert("contacts", { firstname: "Bo", lastname: "Ek", email: "bo@acme.example", jobtitle: "Developer" }, at(3));
  const stray = hs.upsert("contacts", { firstname: "Cleo", lastname: "Stray", email: "cleo@nowhere.example" }, at(4));
  hs.associate("contacts", anna.id, "companies", acme.id, 1);
  hs.associate("contacts", bo.id, "companies", acme.id, 1);
  const deal = hs.upsert(
    "deals",
    {
      dealname: "Acme platform",
      amount: "48000",
      dealstage: "contractsent",
      hs_is_closed: "false",
      hs_is_closed_won: "false",
      closedate: "2026-12-15T00:00:00Z",
      hubspot_owner_id: "501",
    },
    at(5),
  );
  hs.associate("deals", deal.id, "companies", acme.id, 5);
  hs.associate("deals", deal.id, "contacts", anna.id, 3, "Decision maker");
  const call = hs.upsert(
    "calls",
    { hs_timestamp: at(6).toISOString(), hs_call_title: "Intro call", hs_call_direction: "OUTBOUND" },
    at(6),
  );
  hs.associate("calls", call.id, "contacts", anna.id, 194);
  const meeting = hs.upsert(
    "meetings",
    { hs_timestamp: at(7).toISOString(), hs_meeting_title: "Demo", hs_meeting_start_time: at(7).toISOString() },
    at(7),
  );
  hs.associate("meetings", meeting.id, "contacts", bo.id, 200);
  hs.emailEvents.push(
    { id: "ev-1", type: "OPEN", recipient: "bo@acme.example", created: at(8).getTime(), emailCampaignId: 77 },
    { id: "ev-2", type: "CLICK", recipient: "bo@acme.example", created: at(9).getTime(), url: "https://acme.example/pricing" },
    { id: "ev-3", type: "DELIVERED", recipient: "bo@acme.example", created: at(9).getTime() },
  );
  return { acme, anna, bo, stray, deal, call, meeting };
}

describe("HubSpot sync (@hubspot/api-client against the fake portal)", () => {
  let t: TestContext;
  let hs: HubspotFake;
  beforeEach(async () => {
    t = await createTestContext({ env: { QUORUM_CONNECTOR_KEY: "b".repeat(64) } });
    hs = await startHubspotFake();
  });
  afterEach(async () => {
    await hs.close();
    await t.close();
  });
  const connect = async (token = "pat-eu1-good") =>
    t.call("POST", "/api/connections", {
      crm: "hubspot",
      name: "Acme HubSpot",
      baseUrl: hs.url,
      auth: { kind: "private_app", accessToken: token },
    });
  const sync = async (id: string, waits: number[] = []) => {
    const started = await t.call("POST", `/api/connections/${id}/sync`, {});
    await runSyncsUntilIdle(t.deps, { policy: fastPolicy(waits) });
    return (await t.call("GET", `/api/connections/runs/${started.body.run.id}`)).body;
  };

  it("refuses a wrong private-app token with a clear error naming the field, and stores nothing", async () => {
    seedPortal(hs);
    const res = await connect("pat-eu1-wrong");
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe("auth.accessToken");
    expect(res.body.error.message).toMatch(/refused by HubSpot.*Check the credentials/);
    expect((await t.call("GET", "/api/connections")).body.items).toEqual([]);
  });

  it("syncs companies, contacts with their company association, deals with contacts, engagements and email events", async () => {
    const p = seedPortal(hs);
    const created = await connect();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ crm: "hubspot", status: "connected", secretsStored: ["accessToken"] });
    expect(JSON.stringify(created.body)).not.toContain("pat-eu1-good");
    const run = await sync(created.body.id);
    expect(run.status, JSON.stringify(run)).toBe("done");
    const acme = (await t.call("GET", `/api/accounts/lookup?crm=hubspot&recordId=${p.acme.id}`)).body.accounts[0];
    expect(acme).toMatchObject({
      name: "Acme Corp",
      domain: "acme.example",
      country: "SE",
      marketSegment: "Mid-Market",
      openOpportunities: { count: 1, amount: 48000 },
    });
    const people = (await t.call("GET", `/api/accounts/${acme.id}/people`)).body.items;
    const anna = people.find((x: { firstName: string }) => x.firstName === "Anna");
    const bo = people.find((x: { firstName: string }) => x.firstName === "Bo");
    expect(anna).toMatchObject({ jobTitle: "VP Engineering", seniority: "vice_president", department: "Engineering", score: 1 });
    expect(bo.score).toBe(3); // meeting + open + click; the DELIVERED event is not engagement
    expect(run.skipped).toEqual(
      expect.arrayContaining([{ stream: "contacts", recordId: p.stray.id, reason: "it has no account" }]),
    );
    expect(await t.deps.db.selectFrom("crm_owners").select(["record_id", "name", "email", "active"]).execute()).toEqual([
      { record_id: "501", name: "Olive Owner", email: "olive@acme.example", active: 1 },
    ]);
    expect(
      await t.deps.db
        .selectFrom("crm_opportunities")
        .select(["owner_record_id", "stage"])
        .where("record_id", "=", p.deal.id)
        .execute(),
    ).toEqual([{ owner_record_id: "501", stage: "contractsent" }]);
    const roles = await t.deps.db.selectFrom("crm_opportunity_contacts").selectAll().execute();
    expect(roles).toEqual([
      expect.objectContaining({ opportunity_record_id: p.deal.id, contact_record_id: p.anna.id, role: "Decision maker" }),
    ]);
  });

  it("syncs form submissions as Fill Out Form with the form's name, pages them, and reads only new ones next time", async () => {
    seedPortal(hs);
    const demo = hs.addForm("Request a demo");
    const webinar = hs.addForm("Webinar sign-up");
    const old = t.clock.now.getTime() - 3 * 86_400_000;
    // 60 submissions of the demo form (more than one page of 50), newest first in the API.
    for (let i = 0; i < 60; i++)
      hs.submitForm(demo, { email: i % 2 ? "anna@acme.example" : "bo@acme.example" }, new Date(old + i * 60_000));
    hs.submitForm(webinar, { email: "Bo@Acme.example", firstname: "Bo" }, new Date(old + 3_600_000));
    const noEmail = hs.submitForm(webinar, { firstname: "Nameless" }, new Date(old + 3_700_000));
    const stranger = hs.submitForm(webinar, { email: "zed@elsewhere.example" }, new Date(old + 3_800_000));
    const { id } = (await connect()).body;
    const run = await sync(id);
    expect(run.status, run.error).toBe("done");
    const forms = await t.deps.db
      .selectFrom("activities")
      .select(["external_id", "type_id", "metadata", "person_id"])
      .where("external_id", "like", "hubspot:form-submission:%")
      .execute();
    expect(forms).toHaveLength(61);
    expect(new Set(forms.map((f) => f.type_id))).toEqual(new Set(["fill-out-form"]));
    const names = forms.map((f) => (typeof f.metadata === "string" ? JSON.parse(f.metadata) : f.metadata).formName);
    expect(names.filter((n) => n === "Request a demo")).toHaveLength(60);
    expect(names.filter((n) => n === "Webinar sign-up")).toHaveLength(1);
    expect(run.skipped).toEqual(
      expect.arrayContaining([
        {
          stream: "form_submissions",
          recordId: `form-submission:${noEmail}`,
          reason: 'the submission of form "Webinar sign-up" has no email address',
        },
        {
          stream: "form_submissions",
          recordId: `form-submission:${stranger}`,
          reason: "no person has the address zed@elsewhere.example",
        },
      ]),
    );
    const demoPages = () => hs.log.filter((l) => l.startsWith(`GET /form-integrations/v1/submissions/forms/${demo}`)).length;
    expect(demoPages()).toBe(2);

    // Next pass: one new submission; the demo form is read from its newest page only.
    const fresh = hs.submitForm(demo, { email: "anna@acme.example" }, new Date(t.clock.now.getTime() - 60_000));
    const before = demoPages();
    const again = await sync(id);
    expect(again.status).toBe("done");
    expect(demoPages() - before).toBe(1);
    const after = await t.deps.db
      .selectFrom("activities")
      .select("external_id")
      .where("external_id", "like", "hubspot:form-submission:%")
      .execute();
    expect(after).toHaveLength(62);
    expect(after.map((a) => a.external_id)).toContain(`hubspot:form-submission:${fresh}`);
  });

  it("follows archived records and merges", async () => {
    const p = seedPortal(hs);
    const { id } = (await connect()).body;
    await sync(id);
    hs.merge("contacts", p.anna.id, p.bo.id, at(30));
    hs.archive("deals", p.deal.id, at(31));
    const run = await sync(id);
    expect(run.status).toBe("done");
    const acme = (await t.call("GET", `/api/accounts/lookup?crm=hubspot&recordId=${p.acme.id}`)).body.accounts[0];
    expect(acme.openOpportunities.count).toBe(0);
    const people = (await t.call("GET", `/api/accounts/${acme.id}/people`)).body.items;
    expect(people.map((x: { firstName: string }) => x.firstName)).toEqual(["Anna"]);
    expect(people[0].score).toBe(4); // Anna's call + Bo's meeting, open and click
  });

  it("windows the search past HubSpot's 10 000-result limit and gets every record", async () => {
    hs.privateAppTokens.add("pat-eu1-good");
    const base = Date.UTC(2026, 10, 1);
    for (let i = 0; i < 10_250; i++)
      hs.upsert("companies", { name: `Company ${i}`, domain: `c${i}.example` }, new Date(base + i * 1000));
    const { id } = (await connect()).body;
    const run = await sync(id);
    expect(run.status, run.error).toBe("done");
    const n = await t.deps.db
      .selectFrom("account_crm_links")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("crm", "=", "hubspot")
      .executeTakeFirst();
    expect(Number(n?.n)).toBe(10_250);
    expect(hs.maxAfter).toBeLessThan(10_000);
  }, 400_000);

  it("waits Retry-After on 429 and backs off on 5xx, then goes on", async () => {
    seedPortal(hs);
    const { id } = (await connect()).body;
    hs.fail({
      match: "POST /crm/v3/objects/contacts/search",
      status: 429,
      body: {
        status: "error",
        message: "You have reached your ten_secondly_rolling limit.",
        errorType: "RATE_LIMIT",
        policyName: "TEN_SECONDLY_ROLLING",
      },
      headers: { "retry-after": "3" },
    });
    hs.fail({
      match: "POST /crm/v3/objects/deals/search",
      status: 502,
      body: { status: "error", message: "Bad gateway" },
      times: 2,
    });
    const waits: number[] = [];
    const run = await sync(id, waits);
    expect(run.status).toBe("done");
    expect(waits).toEqual([3000, 1000, 2000]);
  });
});
