import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const DAY = 86_400_000;

/** Stale = "the person did nothing in the window": on a real database, through the API. */
describe("stale members", () => {
  let t: TestContext;
  let today: Date;
  beforeEach(async () => {
    t = await createTestContext();
    today = t.clock.now;
  });
  afterEach(() => t.close());

  /** Adds people to the group as of `daysAgo` days before today. */
  async function addMembers(groupId: string, people: Array<{ id: string }>, daysAgo: number) {
    t.clock.now = new Date(today.getTime() - daysAgo * DAY);
    const res = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: people.map((p) => ({ personId: p.id, roleKey: "practitioner" })),
    });
    expect(res.status).toBe(200);
    t.clock.now = today;
  }

  async function staleReasons(groupId: string) {
    const res = await t.call("GET", `/api/groups/${groupId}/stale-members`);
    expect(res.status).toBe(200);
    return new Map<string, string[]>(res.body.items.map((i: any) => [i.personId, i.reasons]));
  }

  it("Quorum's own sales email does not make a member active; anything the person did does", async () => {
    const { group, account } = await groupSetup(t);
    const emailed = await person(t, account.id, "Emma");
    const opened = await person(t, account.id, "Otto");
    await addMembers(group.id, [emailed, opened], 45);
    await t.call("POST", "/api/activities", {
      activities: [
        ...activities(emailed.id, "sales-email-sent", 2, new Date(today.getTime() - 2 * DAY)),
        ...activities(opened.id, "sales-email-sent", 1, new Date(today.getTime() - 2 * DAY)),
        ...activities(opened.id, "open-sales-email", 1, new Date(today.getTime() - DAY)),
      ],
    });
    const stale = await staleReasons(group.id);
    expect(stale.get(emailed.id)).toEqual(["no_activity_in_window"]);
    expect(stale.has(opened.id)).toBe(false);
  });

  it("never flags inactivity for members younger than the window; older ones are flagged", async () => {
    const { group, account } = await groupSetup(t);
    const justAdded = await person(t, account.id, "Nina");
    const lastWeek = await person(t, account.id, "Wim");
    const longAgo = await person(t, account.id, "Olga");
    const leftNew = await person(t, account.id, "Lars", { status: "left_company" });
    await addMembers(group.id, [justAdded, leftNew], 0);
    await addMembers(group.id, [lastWeek], 7);
    await addMembers(group.id, [longAgo], 30);
    const stale = await staleReasons(group.id);
    expect(stale.has(justAdded.id)).toBe(false);
    expect(stale.has(lastWeek.id)).toBe(false);
    // A member since before the window's first day (today − 29) had the whole window to act.
    expect(stale.get(longAgo.id)).toEqual(["no_activity_in_window"]);
    // Leaving the company is flagged at once, whatever the member's age.
    expect(stale.get(leftNew.id)).toEqual(["left_company"]);
  });

  it("an activity that aged out of the window does not count", async () => {
    const { group, account } = await groupSetup(t);
    const p = await person(t, account.id, "Paul");
    await addMembers(group.id, [p], 60);
    await t.call("POST", "/api/activities", {
      activities: activities(p.id, "visit-webpage", 3, new Date(today.getTime() - 31 * DAY)),
    });
    expect((await staleReasons(group.id)).get(p.id)).toEqual(["no_activity_in_window"]);
    await t.call("POST", "/api/activities", {
      activities: activities(p.id, "visit-webpage", 1, new Date(today.getTime() - 29 * DAY)),
    });
    expect((await staleReasons(group.id)).has(p.id)).toBe(false);
  });
});
