import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const DAY = 86_400_000;

/** The 7-day trend and the language of the group details (`GET /api/groups/:id`), on a real database. */
describe("group details: engagement 7 days ago, language and money", () => {
  let t: TestContext;
  let today: Date;
  beforeEach(async () => {
    t = await createTestContext();
    today = t.clock.now;
  });
  afterEach(() => t.close());

  const details = async (id: string, query = "") => {
    const res = await t.call("GET", `/api/groups/${id}${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it("gives the scores as of 7 days ago from the rollup, and the cached details follow a backdated activity", async () => {
    t.clock.now = new Date(today.getTime() - 20 * DAY);
    const { group, account } = await groupSetup(t);
    const dm = await person(t, account.id, "Dora");
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: dm.id, roleKey: "decision-maker" }] });
    t.clock.now = today;
    // 12 visits 10 days ago (in both windows) and 12 today (only in today's): Vital share 100/240.
    await t.call("POST", "/api/activities", {
      activities: [
        ...activities(dm.id, "visit-webpage", 12, new Date(today.getTime() - 10 * DAY)),
        ...activities(dm.id, "visit-webpage", 12, today),
      ],
    });
    // An influencer added 3 days ago was not a member 7 days ago.
    t.clock.now = new Date(today.getTime() - 3 * DAY);
    const inf = await person(t, account.id, "Ivo");
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: inf.id, roleKey: "influencer" }] });
    t.clock.now = today;
    let d = await details(group.id);
    expect(d.group.engagement).toBe(10); // 24 × 100/240
    expect(d.group.weekAgo).toEqual({
      day: new Date(today.getTime() - 7 * DAY).toISOString().slice(0, 10),
      engagement: 5,
      completeness: 33,
    });
    expect(d.group.completeness).toBe(67);
    // Served from the details cache from here on (the first read brought the scores to today).
    expect((await details(group.id)).group.weekAgo.engagement).toBe(5);
    // Backdated 35 days: outside today's window (no stored score moves) but inside the one 7 days ago.
    await t.call("POST", "/api/activities", {
      activities: activities(dm.id, "visit-webpage", 12, new Date(today.getTime() - 35 * DAY)),
    });
    d = await details(group.id);
    expect(d.group.engagement).toBe(10);
    expect(d.group.weekAgo.engagement).toBe(10); // 24 × 100/240
  });

  it("has no trend for a group that did not exist 7 days ago", async () => {
    const { group } = await groupSetup(t);
    expect((await details(group.id)).group.weekAgo).toBeNull();
  });

  it("writes the generated sentences in the language asked for, with money in the account's currency", async () => {
    const { group } = await groupSetup(t);
    const acc = await t.call("POST", "/api/accounts", {
      name: "Kronan AB",
      currency: "sek",
      openOpportunitiesCount: 2,
      openOpportunitiesAmount: 1_696_500,
    });
    expect(acc.status).toBe(201);
    expect(acc.body.currency).toBe("SEK");
    const si = (await t.call("GET", `/api/groups/${group.id}`)).body.group.solutionInterestId;
    const g = await t.call("POST", "/api/groups", { accountId: acc.body.id, solutionInterestId: si });
    const en = await details(g.body.id);
    expect(en.account.currency).toBe("SEK");
    expect(en.account.summary).toMatch(/2 open opportunities worth SEK\s1\.7M\./);
    const sv = await details(g.body.id, "?lang=sv");
    expect(sv.group.summary.startsWith("0 medlemmar, 0 % komplett")).toBe(true);
    expect(sv.account.summary).toMatch(/2 öppna affärsmöjligheter värda 1,7\smn\skr\./);
    const fr = await details(g.body.id, "?lang=fr");
    // French puts 0 in the singular.
    expect(fr.group.summary.startsWith("0 membre, exhaustivité 0 %")).toBe(true);
    const nl = await details(g.body.id, "?lang=nl");
    expect(nl.account.summary).toContain("Kronan AB heeft 0 bekende contactpersonen.");
    // Dutch abbreviates millions with a full stop ("1,7 mln."): the sentence does not add a second one.
    expect(nl.account.summary).toMatch(/1,7\smln\.$/);
    expect(nl.account.summary).not.toContain("..");
    // The English details were cached first: the other languages are not served from that entry.
    expect((await details(g.body.id)).account.summary).toMatch(/worth SEK\s1\.7M/);
  });

  it("never says 'worth 0' and refuses a malformed currency", async () => {
    const acc = await t.call("POST", "/api/accounts", { name: "Zero BV", openOpportunitiesCount: 1, openOpportunitiesAmount: 0 });
    const { group } = await groupSetup(t);
    const si = (await details(group.id)).group.solutionInterestId;
    const g = await t.call("POST", "/api/groups", { accountId: acc.body.id, solutionInterestId: si });
    expect((await details(g.body.id)).account.summary).toContain("1 open opportunity (amount not known).");
    const bad = await t.call("POST", "/api/accounts", { name: "Bad", currency: "euro" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: any) => i.field)).toContain("currency");
    const lang = await t.call("GET", `/api/groups/${g.body.id}?lang=de`);
    expect(lang.status).toBe(400);
  });
});
