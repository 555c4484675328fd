import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJobsUntilIdle } from "../../../server/lifecycle/job-runner";
import { account, liveTemplate } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("POST /api/accounts/audience-count", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("counts the accounts a creation job over the audience processes, with the jobs' own filters", async () => {
    const a = await account(t, { industry: "Software", country: "NL", annualRevenue: 5_000_000, marketSegment: "Enterprise" });
    await account(t, { industry: "software", country: "SE", annualRevenue: 500_000, marketSegment: "SMB" });
    await account(t, { industry: "Retail", country: "NL", annualRevenue: 50_000_000 });
    const count = async (audience: unknown, query = "") => {
      const res = await t.call("POST", `/api/accounts/audience-count${query}`, audience);
      expect(res.status).toBe(200);
      return res.body as { count: number; withGroup: number | null };
    };
    expect(await count({})).toEqual({ count: 3, withGroup: null });
    // case-insensitive within a list (OR), every criterion must hold (AND)
    expect((await count({ industries: ["SOFTWARE"] })).count).toBe(2);
    expect((await count({ industries: ["software", "retail"], countries: ["nl"] })).count).toBe(2);
    expect((await count({ revenueMin: 1_000_000 })).count).toBe(2);
    expect((await count({ revenueMin: 1_000_000, revenueMax: 10_000_000 })).count).toBe(1);
    expect((await count({ segments: ["smb"] })).count).toBe(1);
    expect((await count({ accountIds: [a.id] })).count).toBe(1);

    // the count is what the job then processes, and withGroup counts the accounts already grouped
    const tpl = await liveTemplate(t);
    const si = await t.call("POST", "/api/solution-interests", { name: "Audience SI", roleTemplateId: tpl.id });
    const audience = { industries: ["Software"] };
    expect(await count(audience, `?solutionInterestId=${si.body.id}`)).toEqual({ count: 2, withGroup: 0 });
    const job = await t.call("POST", `/api/solution-interests/${si.body.id}/jobs`, { kind: "creation", audience });
    expect(job.status).toBe(202);
    expect(job.body.progress.total).toBe(2);
    await runJobsUntilIdle(t.deps);
    const done = await t.call("GET", `/api/jobs/${job.body.id}`);
    expect(done.body).toMatchObject({ status: "done", progress: { done: 2, groupsCreated: 2 } });
    expect(await count(audience, `?solutionInterestId=${si.body.id}`)).toEqual({ count: 2, withGroup: 2 });
  });

  it("rejects an invalid audience with the field, and needs a token", async () => {
    const bad = await t.call("POST", "/api/accounts/audience-count", { revenueMin: 10, revenueMax: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues).toEqual([expect.objectContaining({ field: "revenueMin" })]);
    const unknown = await t.call("POST", "/api/accounts/audience-count", { color: "red" });
    expect(unknown.status).toBe(400);
    expect((await t.call("POST", "/api/accounts/audience-count", {}, null)).status).toBe(401);
    // every console role may count (it reads only)
    expect((await t.call("POST", "/api/accounts/audience-count", {}, t.tokens.marketer)).status).toBe(200);
  });
});
