import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("account lookup, the way the panel resolves a CRM page", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it("matches the CRM record first, then the domain, then the name; a name shared by two accounts returns both", async () => {
    const acme = await account(t, {
      name: "Acme",
      domain: "acme.com",
      crmLinks: [{ crm: "salesforce", recordId: "001AAAAAAAAAAAAAAA" }],
    });
    await account(t, { name: "Acme", domain: "acme.de" });
    const byCrm = await t.call("GET", "/api/accounts/lookup?crm=salesforce&recordId=001AAAAAAAAAAAAAAA&domain=acme.de");
    expect(byCrm.body.matchedBy).toBe("crm");
    expect(byCrm.body.accounts.map((a: { id: string }) => a.id)).toEqual([acme.id]);
    const byDomain = await t.call("GET", "/api/accounts/lookup?crm=hubspot&recordId=404&domain=https://www.ACME.com/about");
    expect(byDomain.body).toMatchObject({ matchedBy: "domain", accounts: [{ id: acme.id }] });
    const byName = await t.call("GET", "/api/accounts/lookup?name=acme");
    expect(byName.body.matchedBy).toBe("name");
    expect(byName.body.accounts).toHaveLength(2);
    const none = await t.call("GET", "/api/accounts/lookup?domain=nobody.example");
    expect(none.body).toEqual({ matchedBy: null, accounts: [] });
  });

  it("links a CRM record to an account once; a second link of the same record is a 409 naming the owner", async () => {
    const a = await account(t);
    const b = await account(t);
    expect((await t.call("POST", `/api/accounts/${a.id}/links`, { crm: "zoho", recordId: "4876876000000123456" })).status).toBe(
      200,
    );
    const clash = await t.call("POST", `/api/accounts/${b.id}/links`, { crm: "zoho", recordId: "4876876000000123456" });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details.accountId).toBe(a.id);
    const bad = await t.call("POST", `/api/accounts/${b.id}/links`, { crm: "myspace", recordId: "1" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe("crm");
  });

  it("creating a person with a known email returns the existing person instead of a duplicate", async () => {
    const a = await account(t);
    const first = await t.call("POST", "/api/people", { accountId: a.id, firstName: "Dana", email: "Dana@Example.org" });
    expect(first.status).toBe(201);
    const again = await t.call("POST", "/api/people", { accountId: a.id, firstName: "D.", email: "dana@example.org" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ matched: true, person: { id: first.body.person.id, firstName: "Dana" } });
    const people = await t.call("GET", `/api/accounts/${a.id}/people?q=dana`);
    expect(people.body.total).toBe(1);
  });

  it("lists an account's people by person score (computed from their activities), a page at a time", async () => {
    const a = await account(t);
    const [low, high, none] = await Promise.all(["Lou", "Hana", "Nils"].map((n) => person(t, a.id, n)));
    const ingest = await t.call("POST", "/api/activities", {
      activities: [
        ...activities(low!.id, "visit-webpage", 3, t.clock.now),
        ...activities(high!.id, "visit-webpage", 5, t.clock.now),
      ],
    });
    expect(ingest.body.accepted).toBe(8);
    const first = await t.call("GET", `/api/accounts/${a.id}/people?limit=2`);
    expect(first.body.total).toBe(3);
    expect(first.body.items.map((p: { id: string; score: number }) => [p.id, p.score])).toEqual([
      [high!.id, 5],
      [low!.id, 3],
    ]);
    const rest = await t.call("GET", `/api/accounts/${a.id}/people?limit=2&offset=2`);
    expect(rest.body.items.map((p: { id: string; score: number }) => [p.id, p.score])).toEqual([[none!.id, 0]]);
    const one = await t.call("GET", `/api/people/${high!.id}`);
    expect(one.body).toMatchObject({ id: high!.id, score: 5, scoreComputedAt: t.clock.now.toISOString() });
  });
});

describe("browsing buying groups", () => {
  let t: TestContext;
  let full: string;
  let partial: string;
  beforeAll(async () => {
    t = await createTestContext();
    const a = await groupSetup(t);
    const b = await groupSetup(t);
    partial = a.group.id;
    full = b.group.id;
    const p = await person(t, a.account.id, "Ina");
    await t.call("POST", `/api/groups/${partial}/members`, { members: [{ personId: p.id, roleKey: "practitioner" }] });
    const members = await Promise.all(["Dm", "In", "Pr"].map((n) => person(t, b.account.id, n)));
    await t.call("POST", `/api/groups/${full}/members`, {
      members: [
        { personId: members[0]!.id, roleKey: "decision-maker" },
        { personId: members[1]!.id, roleKey: "influencer" },
        { personId: members[2]!.id, roleKey: "practitioner" },
      ],
    });
  });
  afterAll(() => t.close());

  it("finds 'decision maker missing and completeness < 50' (the seeds' example filter)", async () => {
    const res = await t.call("GET", "/api/groups?missingRole=decision-maker&completenessMax=49.99");
    expect(res.status).toBe(200);
    expect(res.body.items.map((g: { id: string }) => g.id)).toEqual([partial]);
    expect(res.body.items[0].completeness).toBe(33);
  });

  it("searches by name, filters by solution interest and sorts by completeness", async () => {
    const all = await t.call("GET", "/api/groups?sort=-completeness");
    expect(all.body.items.map((g: { id: string }) => g.id)).toEqual([full, partial]);
    const name = all.body.items[0].name as string;
    const byName = await t.call("GET", `/api/groups?q=${encodeURIComponent(name.slice(0, 12).toUpperCase())}`);
    expect(byName.body.items.map((g: { id: string }) => g.id)).toContain(full);
    const bySi = await t.call("GET", `/api/groups?solutionInterestId=${all.body.items[1].solutionInterestId}`);
    expect(bySi.body.items.map((g: { id: string }) => g.id)).toEqual([partial]);
  });

  it("refuses an out-of-range filter with the field named", async () => {
    const res = await t.call("GET", "/api/groups?completenessMin=140");
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe("completenessMin");
  });
});
