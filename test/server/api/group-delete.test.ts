import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isPostgres } from "../../../server/db/dialect";
import { account, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("deleting buying groups", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  async function groupWithHistory() {
    const setup = await groupSetup(t);
    const a = await person(t, setup.account.id, "Ann");
    const b = await person(t, setup.account.id, "Ben");
    await t.call("POST", `/api/groups/${setup.group.id}/members`, {
      members: [
        { personId: a.id, roleKey: "decision-maker" },
        { personId: b.id, roleKey: "influencer" },
      ],
    });
    await t.call("POST", `/api/groups/${setup.group.id}/members/remove`, { personIds: [b.id] });
    return { ...setup, a, b };
  }
  const auditOf = (groupId: string) =>
    t.deps.db.selectFrom("audit_log").selectAll().where("group_id", "=", groupId).orderBy("at").orderBy("id").execute();
  const eventsOf = (groupId: string) =>
    t.deps.db.selectFrom("events").selectAll().where("group_id", "=", groupId).orderBy("seq").execute();

  it("an admin deletes a group; its members' history survives in the audit log and the event feed", async () => {
    const { group, account: acc, a, b, solutionInterest } = await groupWithHistory();
    const auditBefore = await auditOf(group.id);
    expect((await t.call("GET", `/api/groups/${group.id}`)).status).toBe(200); // warms the details cache

    const res = await t.call("DELETE", `/api/groups/${group.id}`);
    expect(res.status).toBe(204);
    expect((await t.call("GET", `/api/groups/${group.id}`)).status).toBe(404);
    expect((await t.call("GET", `/api/groups/${group.id}/members`)).status).toBe(404);
    expect((await t.call("DELETE", `/api/groups/${group.id}`)).status).toBe(404);
    expect(await t.deps.db.selectFrom("group_members").selectAll().where("group_id", "=", group.id).execute()).toEqual([]);
    // The account, its people and the interest are untouched.
    expect((await t.call("GET", `/api/accounts/${acc.id}`)).status).toBe(200);
    expect((await t.call("GET", `/api/people/${a.id}`)).status).toBe(200);
    expect((await t.call("GET", `/api/solution-interests/${solutionInterest.id}`)).body.groupCount).toBe(0);

    const audit = await auditOf(group.id);
    expect(audit).toHaveLength(auditBefore.length + 1);
    expect(audit).toEqual(expect.arrayContaining(auditBefore));
    const deleted = audit.find((r) => r.action === "group.deleted")!;
    const me = (await t.call("GET", "/api/me")).body;
    expect(deleted.actor_user_id).toBe(me.id);
    const details = JSON.parse(deleted.details);
    expect(details).toMatchObject({ reason: "group_deleted", name: group.name, account: { id: acc.id } });
    expect(details.members.map((m: any) => [m.personId, m.roleKey, m.status]).sort()).toEqual(
      [
        [a.id, "decision-maker", "active"],
        [b.id, "influencer", "removed"],
      ].sort(),
    );
    expect(details.stageHistory.length).toBeGreaterThanOrEqual(0);

    const events = await eventsOf(group.id);
    expect(events.slice(-2).map((e) => [e.type, e.person_id])).toEqual([
      ["member.removed", a.id],
      ["group.deleted", null],
    ]);
    const feed = (await t.call("GET", "/api/events?limit=500")).body.items.map((e: any) => e.type);
    expect(feed).toContain("group.deleted");
  });

  it("only admins may delete a group; others change nothing", async () => {
    const { group } = await groupWithHistory();
    for (const role of ["marketer", "sales"] as const)
      expect((await t.call("DELETE", `/api/groups/${group.id}`, undefined, t.tokens[role])).status).toBe(403);
    expect((await t.call("GET", `/api/groups/${group.id}`)).status).toBe(200);
    expect((await auditOf(group.id)).some((r) => r.action === "group.deleted")).toBe(false);
  });

  it("a solution interest with groups is deleted with them only on explicit confirmation of their number", async () => {
    const { solutionInterest, group } = await groupWithHistory();
    const acc2 = await account(t);
    const second = await t.call("POST", "/api/groups", { accountId: acc2.id, solutionInterestId: solutionInterest.id });
    const url = `/api/solution-interests/${solutionInterest.id}`;

    const unconfirmed = await t.call("DELETE", url);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error.details).toMatchObject({ reason: "has_groups", groupCount: 2 });
    expect(unconfirmed.body.error.message).toContain("?confirmGroups=2");

    const stale = await t.call("DELETE", `${url}?confirmGroups=1`);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toMatchObject({ reason: "group_count_changed", groupCount: 2, confirmed: 1 });
    const bad = await t.call("DELETE", `${url}?confirmGroups=two`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: any) => i.field)).toEqual(["confirmGroups"]);
    const marketer = await t.call("DELETE", `${url}?confirmGroups=2`, undefined, t.tokens.marketer);
    expect(marketer.status).toBe(403);
    expect((await t.call("GET", url)).body.groupCount).toBe(2);

    // A job still queued for it: refused until it is cancelled.
    const job = await t.call("POST", `${url}/jobs`, { kind: "maintenance" });
    const busy = await t.call("DELETE", `${url}?confirmGroups=2`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.details.reason).toBe("jobs_running");
    await t.call("POST", `/api/jobs/${job.body.id}/cancel`);

    const ok = await t.call("DELETE", `${url}?confirmGroups=2`);
    expect(ok.status).toBe(204);
    expect((await t.call("GET", url)).status).toBe(404);
    for (const id of [group.id, second.body.id]) {
      expect((await t.call("GET", `/api/groups/${id}`)).status).toBe(404);
      const snapshot = (await auditOf(id)).find((r) => r.action === "group.deleted")!;
      expect(JSON.parse(snapshot.details).reason).toBe("solution_interest_deleted");
    }
    const interestAudit = await t.deps.db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_id", "=", solutionInterest.id)
      .where("action", "=", "solution_interest.deleted")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(interestAudit.details)).toEqual({ name: solutionInterest.name, groupsDeleted: 2 });
  });

  it("is all or nothing: a failure part-way leaves every group and the interest in place", async () => {
    const { solutionInterest, group } = await groupWithHistory();
    // Inject a failure after the groups are deleted, when the interest itself goes (a SQLite trigger).
    if (isPostgres(t.deps.db)) return;
    await sql`create trigger fail_interest_delete before delete on solution_interests begin select raise(abort, 'injected'); end`.execute(
      t.deps.db,
    );
    const res = await t.call("DELETE", `/api/solution-interests/${solutionInterest.id}?confirmGroups=1`);
    expect(res.status).toBe(500);
    expect((await t.call("GET", `/api/groups/${group.id}`)).status).toBe(200);
    expect((await auditOf(group.id)).some((r) => r.action === "group.deleted")).toBe(false);
    expect((await eventsOf(group.id)).some((e) => e.type === "group.deleted")).toBe(false);
    expect((await t.call("GET", `/api/solution-interests/${solutionInterest.id}`)).body.groupCount).toBe(1);
  });
});
