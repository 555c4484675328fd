import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedSmallOrg } from "../../fakes/salesforce/seed";
import { type SalesforceSetup, salesforceSetup } from "./helpers";

describe("Salesforce sync (jsforce against the fake org)", () => {
  let s: SalesforceSetup;
  beforeEach(async () => {
    s = await salesforceSetup();
  });
  afterEach(async () => s.close());

  it("brings accounts, contacts, opportunities and activities in, linked by 18-character ids, and lists what it skipped", async () => {
    const org = seedSmallOrg(s.sf);
    const { id } = await s.connect();
    const run = await s.sync(id);
    expect(run.status, JSON.stringify(run)).toBe("done");

    const lookup = await s.t.call("GET", `/api/accounts/lookup?crm=salesforce&recordId=${org.acme.Id}`);
    expect(lookup.body.matchedBy).toBe("crm");
    const acme = lookup.body.accounts[0];
    expect(acme).toMatchObject({
      name: "Acme Corp",
      domain: "acme.example",
      industry: "Manufacturing",
      marketSegment: "Enterprise",
      country: "NL",
    });
    expect(acme.openOpportunities).toEqual({ count: 1, amount: 120000 });
    const sub = (await s.t.call("GET", `/api/accounts/lookup?crm=salesforce&recordId=${org.sub.Id}`)).body.accounts[0];
    expect(sub.parentId).toBe(acme.id);

    const people = (await s.t.call("GET", `/api/accounts/${acme.id}/people`)).body.items;
    expect(people.map((p: { name: string }) => p.name).sort()).toEqual(["Anna de Vries", "Bo Lind"]);
    const anna = people.find((p: { firstName: string }) => p.firstName === "Anna");
    expect(anna).toMatchObject({
      jobTitle: "Chief Financial Officer",
      department: "Finance",
      email: "anna@acme.example",
      source: "salesforce",
    });
    // The call (Sales Call) and the campaign registration count; the open to-do is not imported by default.
    expect(anna.score).toBe(2);

    const skipped = run.skipped.map((k: { recordId: string; reason: string }) => `${k.recordId}: ${k.reason}`);
    expect(skipped).toEqual(
      expect.arrayContaining([
        `${org.noName.Id}: the contact has no name`,
        expect.stringMatching(new RegExp(`^${org.badEmail.Id}: email must be an email address`)),
        `${org.orphan.Id}: it has no account`,
        expect.stringContaining("the task is not about a contact"),
      ]),
    );
    expect(run.progress.skipped).toBe(run.skipped.length);

    // Owners (User) and the opportunity's owner, by 18-character id.
    const owners = await s.t.deps.db.selectFrom("crm_owners").selectAll().where("crm", "=", "salesforce").execute();
    expect(owners).toEqual([expect.objectContaining({ name: "Olive Owner", email: "olive@acme.example", active: 1 })]);
    expect(owners[0]!.record_id).toHaveLength(18);
    const opp = await s.t.deps.db
      .selectFrom("crm_opportunities")
      .selectAll()
      .where("record_id", "=", org.opp.Id)
      .executeTakeFirst();
    expect(opp).toMatchObject({ owner_record_id: owners[0]!.record_id, stage: "Proposal", amount: 120000, account_id: acme.id });
  });

  it("follows changes, deletes and merges incrementally and ends like a fresh full sync", async () => {
    const org = seedSmallOrg(s.sf);
    const { id } = await s.connect();
    const first = await s.sync(id);
    expect(first.status).toBe("done");
    const later = new Date("2026-11-21T09:00:00.000Z");
    s.sf.upsert("Contact", { Id: org.bo.Id, Title: "Head of IT" }, later);
    s.sf.remove("Contact", org.anna.Id, later, org.bo.Id); // Anna merged into Bo
    s.sf.remove("Task", org.call.Id, later);
    s.sf.upsert("Opportunity", { Id: org.opp.Id, IsClosed: true, IsWon: true, StageName: "Closed Won" }, later);
    const inc = await s.sync(id);
    expect(inc.status).toBe("done");
    // Only what changed since, plus the record at each stream's watermark (the cursor is inclusive).
    expect(inc.progress.fetched).toBeLessThan(first.progress.fetched);

    const acme = (await s.t.call("GET", `/api/accounts/lookup?crm=salesforce&recordId=${org.acme.Id}`)).body.accounts[0];
    expect(acme.openOpportunities).toEqual({ count: 0, amount: 0 });
    const people = (await s.t.call("GET", `/api/accounts/${acme.id}/people`)).body.items;
    expect(people.map((p: { name: string }) => p.name)).toEqual(["Bo Lind"]);
    // Bo kept Anna's campaign registration (merged) and lost nothing of his own; the deleted call is gone.
    expect(people[0]).toMatchObject({ jobTitle: "Head of IT", score: 2 });
    const links = await s.t.deps.db.selectFrom("person_crm_links").select(["record_id", "person_id"]).execute();
    expect(links.find((l) => l.record_id === org.anna.Id)).toBeUndefined();
  });
});
