import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJobsUntilIdle, scheduleMaintenance, startJobRunner } from "../../../server/lifecycle/job-runner";
import { claimJob } from "../../../server/lifecycle/jobs.repo";
import { account, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const ROLES = [
  {
    key: "decision-maker",
    name: "Decision maker",
    weighting: "vital",
    decisionMaker: true,
    conditions: { field: "seniority", op: "equals", value: "VP" },
  },
  {
    key: "practitioner",
    name: "Practitioner",
    weighting: "normal",
    conditions: { field: "jobTitle", op: "contains", value: "engineer" },
  },
];

async function setup(t: TestContext) {
  const template = await liveTemplate(t, ROLES);
  const si = await t.call("POST", "/api/solution-interests", { name: "Cloud", roleTemplateId: template.id });
  return { template, si: si.body as { id: string; name: string } };
}

const members = async (t: TestContext, groupId: string) =>
  (await t.call("GET", `/api/groups/${groupId}/members`)).body.items as Array<{
    personId: string;
    roleKey: string;
    source: string;
  }>;

describe("creation jobs", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("creates '<interest> for <account>' for the audience only, keeps existing groups and assigns by the rules as system", async () => {
    const { si } = await setup(t);
    const nl1 = await account(t, { name: "Acme", industry: "Software", country: "NL", annualRevenue: 5_000_000 });
    const nl2 = await account(t, { name: "Beta", industry: "software", country: "NL", annualRevenue: 50_000_000 });
    await account(t, { name: "Gamma", industry: "Retail", country: "NL", annualRevenue: 5_000_000 });
    await account(t, { name: "Delta", industry: "Software", country: "SE", annualRevenue: 5_000_000 });
    const vp = await person(t, nl1.id, "Vera", { seniority: "VP" });
    const eng = await person(t, nl1.id, "Erik", { jobTitle: "Software Engineer" });
    await person(t, nl1.id, "Nobody", { jobTitle: "Receptionist" });
    await person(t, nl2.id, "Bob", { jobTitle: "Engineer" });
    // Beta already has its group: it is kept.
    const existing = await t.call("POST", "/api/groups", { accountId: nl2.id, solutionInterestId: si.id });

    const queued = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, {
      kind: "creation",
      audience: { industries: ["SOFTWARE"], countries: ["NL"], revenueMax: 100_000_000 },
    });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: "queued", progress: { total: 2, done: 0 } });
    await runJobsUntilIdle(t.deps, { batchSize: 1 });

    const job = await t.call("GET", `/api/jobs/${queued.body.id}`);
    expect(job.body).toMatchObject({
      status: "done",
      progress: { total: 2, done: 2, groupsCreated: 1, membersAssigned: 3, errors: 0, skippedChanges: 0 },
    });
    const groups = await t.call("GET", `/api/groups?solutionInterestId=${si.id}&limit=50`);
    expect(groups.body.items.map((g: any) => g.name).sort()).toEqual(["Cloud for Acme", "Cloud for Beta"]);
    const acme = groups.body.items.find((g: any) => g.name === "Cloud for Acme");
    expect(acme.completeness).toBe(100);
    const acmeMembers = await members(t, acme.id);
    expect(acmeMembers.map((m) => [m.personId, m.roleKey, m.source]).sort()).toEqual(
      [
        [vp.id, "decision-maker", "system"],
        [eng.id, "practitioner", "system"],
      ].sort(),
    );
    expect((await members(t, existing.body.id)).map((m) => m.roleKey)).toEqual(["practitioner"]);

    // Running the same job again (a minute later) creates nothing and assigns nobody twice.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const again = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, {
      kind: "creation",
      audience: { accountIds: [nl1.id] },
    });
    await runJobsUntilIdle(t.deps);
    expect((await t.call("GET", `/api/jobs/${again.body.id}`)).body.progress).toMatchObject({
      groupsCreated: 0,
      membersAssigned: 0,
    });
    expect(await members(t, acme.id)).toHaveLength(2);

    const list = await t.call("GET", `/api/solution-interests/${si.id}/jobs`);
    expect(list.body.items.map((j: any) => j.id)).toEqual([again.body.id, queued.body.id]);
    expect((await t.call("DELETE", `/api/jobs/${again.body.id}`)).status).toBe(204);
    expect((await t.call("GET", `/api/jobs/${again.body.id}`)).status).toBe(404);
  });

  it("cancels a queued job and refuses to delete a queued one", async () => {
    const { si } = await setup(t);
    await account(t);
    const job = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: {} });
    expect((await t.call("DELETE", `/api/jobs/${job.body.id}`)).status).toBe(409);
    const cancelled = await t.call("POST", `/api/jobs/${job.body.id}/cancel`);
    expect(cancelled.body.status).toBe("cancelled");
    expect(await runJobsUntilIdle(t.deps)).toBe(0);
    expect((await t.call("POST", `/api/jobs/${job.body.id}/cancel`)).status).toBe(409);
  });

  it("takes over a job whose runner stopped renewing its lease, and stops a running job that is cancelled", async () => {
    const { si } = await setup(t);
    for (let i = 0; i < 3; i++) await account(t);
    const a = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: {} });
    // A runner claims the job and dies without progress.
    expect((await claimJob(t.deps.db, "dead-runner", t.clock.now, 60_000))?.id).toBe(a.body.id);
    expect(await runJobsUntilIdle(t.deps)).toBe(0); // its lease still holds
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    expect((await t.call("GET", `/api/jobs/${a.body.id}`)).body).toMatchObject({
      status: "done",
      progress: { groupsCreated: 3 },
    });

    const b = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "maintenance" });
    await claimJob(t.deps.db, "busy-runner", t.clock.now, 60_000);
    const cancelling = await t.call("POST", `/api/jobs/${b.body.id}/cancel`);
    expect(cancelling.body.status).toBe("cancelling");
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    await runJobsUntilIdle(t.deps);
    expect((await t.call("GET", `/api/jobs/${b.body.id}`)).body).toMatchObject({ status: "cancelled", progress: { done: 0 } });
  });

  it("rejects bad audiences naming the field", async () => {
    const { si } = await setup(t);
    const res = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, {
      kind: "creation",
      audience: { revenueMin: 10, revenueMax: 5, colour: "red" },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details.issues)).toMatch(/colour|revenueMin/);
    expect((await t.call("POST", `/api/solution-interests/si_nope/jobs`, { kind: "maintenance" })).status).toBe(404);
  });

  it("runs in the background runner and stops cleanly", async () => {
    const { si } = await setup(t);
    for (let i = 0; i < 5; i++) await account(t);
    const runner = startJobRunner(t.deps, { pollMs: 5, batchSize: 2 });
    const job = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: {} });
    for (let i = 0; i < 200; i++) {
      if ((await t.call("GET", `/api/jobs/${job.body.id}`)).body.status === "done") break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await runner.stop();
    expect((await t.call("GET", `/api/jobs/${job.body.id}`)).body.progress).toMatchObject({ done: 5, groupsCreated: 5 });
  });
});

describe("maintenance jobs and precedence", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("re-evaluates rules, keeps manual removals and journey assignments, and reports skipped changes", async () => {
    const { si } = await setup(t);
    const acc = await account(t);
    const vp = await person(t, acc.id, "Vera", { seniority: "VP" });
    const eng = await person(t, acc.id, "Erik", { jobTitle: "Engineer" });
    const other = await person(t, acc.id, "Olga", { jobTitle: "Accountant" });
    await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: { accountIds: [acc.id] } });
    await runJobsUntilIdle(t.deps);
    const group = (await t.call("GET", `/api/groups?solutionInterestId=${si.id}`)).body.items[0];

    // A rep removes the engineer; a journey assigns Olga (no rule matches her).
    await t.call("POST", `/api/groups/${group.id}/members/remove`, { personIds: [eng.id] });
    const journey = await t.call("POST", "/api/journeys", { name: "Nurture" });
    const act = await t.call("POST", `/api/journeys/${journey.body.id}/actions`, {
      action: "assign",
      groupId: group.id,
      personIds: [other.id],
      roleKey: "practitioner",
    });
    expect(act.body.applied).toHaveLength(1);
    // The VP is no longer a VP: the rules drop them (system added them, so system may remove them).
    await t.deps.db.updateTable("people").set({ seniority: "Manager" }).where("id", "=", vp.id).execute();

    const job = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "maintenance" });
    await runJobsUntilIdle(t.deps);
    const done = (await t.call("GET", `/api/jobs/${job.body.id}`)).body;
    expect(done).toMatchObject({ status: "done", progress: { done: 1, total: 1, membersRemoved: 1, skippedChanges: 1 } });
    expect(done.skipped).toEqual([{ groupId: group.id, personId: eng.id, action: "add", heldBy: "manual" }]);
    const now = await members(t, group.id);
    expect(now.map((m) => [m.personId, m.source]).sort()).toEqual([[other.id, "journey"]]);
  });

  it("reports a role change the rules want but a manual or journey decision holds, in maintenance and creation jobs", async () => {
    const { si } = await setup(t);
    const acc = await account(t);
    const vp = await person(t, acc.id, "Vera", { seniority: "VP" });
    const eng = await person(t, acc.id, "Erik", { jobTitle: "Engineer" });
    const ops = await person(t, acc.id, "Otto", { jobTitle: "Engineer" });
    // The group exists before any job; a rep gives the VP the practitioner role, a journey does the same for Erik.
    const group = (await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.id })).body;
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: vp.id, roleKey: "practitioner" }] });
    const journey = await t.call("POST", "/api/journeys", { name: "Nurture" });
    await t.call("POST", `/api/journeys/${journey.body.id}/actions`, {
      action: "assign",
      groupId: group.id,
      personIds: [eng.id],
      roleKey: "decision-maker",
    });

    // Creation: the rules would make Vera decision maker and Erik practitioner; both are held, and reported.
    const creation = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, {
      kind: "creation",
      audience: { accountIds: [acc.id] },
    });
    await runJobsUntilIdle(t.deps);
    const created = (await t.call("GET", `/api/jobs/${creation.body.id}`)).body;
    expect(created).toMatchObject({ status: "done", progress: { membersAssigned: 1, rolesChanged: 0, skippedChanges: 2 } });
    expect(created.skipped).toEqual(
      expect.arrayContaining([
        { groupId: group.id, personId: vp.id, action: "role_change", heldBy: "manual" },
        { groupId: group.id, personId: eng.id, action: "role_change", heldBy: "journey" },
      ]),
    );

    // Maintenance: the same two are skipped and reported; a rule-added member's role is fixed.
    await t.deps.db.updateTable("people").set({ seniority: "VP" }).where("id", "=", ops.id).execute();
    const maintenance = await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "maintenance" });
    await runJobsUntilIdle(t.deps);
    const done = (await t.call("GET", `/api/jobs/${maintenance.body.id}`)).body;
    expect(done).toMatchObject({ status: "done", progress: { rolesChanged: 1, skippedChanges: 2 } });
    expect(done.skipped.map((s: any) => [s.personId, s.action, s.heldBy]).sort()).toEqual(
      [
        [vp.id, "role_change", "manual"],
        [eng.id, "role_change", "journey"],
      ].sort(),
    );
    const now = await members(t, group.id);
    expect(now.map((m) => [m.personId, m.roleKey]).sort()).toEqual(
      [
        [vp.id, "practitioner"],
        [eng.id, "decision-maker"],
        [ops.id, "decision-maker"],
      ].sort(),
    );
  });

  it("schedules a maintenance job once the interval has passed since the last one", async () => {
    const { si } = await setup(t);
    const acc = await account(t);
    await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.id });
    expect(await scheduleMaintenance(t.deps)).toBe(0);
    t.clock.now = new Date(t.clock.now.getTime() + 25 * 3_600_000);
    expect(await scheduleMaintenance(t.deps)).toBe(1);
    expect(await scheduleMaintenance(t.deps)).toBe(0); // one is pending
    await runJobsUntilIdle(t.deps);
    const jobs = (await t.call("GET", `/api/solution-interests/${si.id}/jobs`)).body.items;
    expect(jobs).toMatchObject([{ kind: "maintenance", trigger: "schedule", status: "done" }]);
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 3_600_000);
    expect(await scheduleMaintenance(t.deps)).toBe(0);
  });
});
