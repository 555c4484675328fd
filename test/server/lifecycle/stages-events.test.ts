import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJobsUntilIdle } from "../../../server/lifecycle/job-runner";
import { account, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const MODEL = {
  name: "Sales stages",
  stages: [
    { name: "Aware", kind: "entry" },
    { name: "Engaged", kind: "in_progress" },
    { name: "Won", kind: "success" },
    { name: "Lost", kind: "failure" },
  ],
  transitions: [
    { from: "Aware", to: "Engaged" },
    { from: "Engaged", to: "Won" },
    { from: "Engaged", to: "Lost" },
    { from: "Lost", to: "Aware" },
  ],
  rules: [{ from: "Aware", to: "Engaged", minCompleteness: 50 }],
};

async function interestWithModel(t: TestContext) {
  const model = await t.call("POST", "/api/stage-models", MODEL);
  expect(model.status).toBe(201);
  expect((await t.call("POST", `/api/stage-models/${model.body.id}/publish`)).body.status).toBe("live");
  const template = await liveTemplate(t, [
    { key: "dm", name: "Decision maker", weighting: "vital", conditions: { field: "seniority", op: "equals", value: "VP" } },
    { key: "user", name: "User", weighting: "normal" },
  ]);
  const si = await t.call("POST", "/api/solution-interests", {
    name: "Cloud",
    roleTemplateId: template.id,
    stageModelId: model.body.id,
  });
  const stage = (name: string) => model.body.stages.find((s: any) => s.name === name).id as string;
  return { model: model.body, si: si.body, stage };
}

describe("stage models", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("rejects unknown stages, a missing entry stage and cyclic automatic rules, naming the problem", async () => {
    const unknown = await t.call("POST", "/api/stage-models", {
      ...MODEL,
      transitions: [{ from: "Aware", to: "Nowhere" }],
      rules: [],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("transitions.0.to 'Nowhere' is not a stage of this model");
    const noEntry = await t.call("POST", "/api/stage-models", {
      name: "x",
      stages: [
        { name: "A", kind: "in_progress" },
        { name: "B", kind: "success" },
      ],
    });
    expect(noEntry.body.error.message).toContain("needs an entry stage");
    const cycle = await t.call("POST", "/api/stage-models", {
      ...MODEL,
      transitions: [...MODEL.transitions, { from: "Engaged", to: "Aware" }],
      rules: [
        { from: "Aware", to: "Engaged", minEngagement: 1 },
        { from: "Engaged", to: "Aware", minEngagement: 1 },
      ],
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.message).toMatch(/automatic rules form a cycle: aware → engaged → aware/);
    const notAllowed = await t.call("POST", "/api/stage-models", {
      ...MODEL,
      rules: [{ from: "Aware", to: "Won", minCompleteness: 1 }],
    });
    expect(notAllowed.body.error.message).toContain("'Aware' → 'Won' is not an allowed transition");
  });

  it("keeps a live model immutable and refuses to delete one in use", async () => {
    const { model } = await interestWithModel(t);
    expect((await t.call("PUT", `/api/stage-models/${model.id}`, MODEL)).status).toBe(409);
    const del = await t.call("DELETE", `/api/stage-models/${model.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.details.solutionInterests).toHaveLength(1);
    const draft = await t.call("POST", "/api/stage-models", MODEL);
    const edited = await t.call("PUT", `/api/stage-models/${draft.body.id}`, { ...MODEL, name: "Renamed" });
    expect(edited.body).toMatchObject({ name: "Renamed", status: "draft" });
    expect(edited.body.transitions).toHaveLength(4);
    expect((await t.call("DELETE", `/api/stage-models/${draft.body.id}`)).status).toBe(204);
  });

  it("moves groups along allowed transitions only (409 with the allowed targets) and keeps every change", async () => {
    const { si, stage } = await interestWithModel(t);
    const acc = await account(t);
    const group = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.id });
    expect(group.body.stage.name).toBe("Aware");
    const bad = await t.call("POST", `/api/groups/${group.body.id}/stage`, { stageId: stage("Won") });
    expect(bad.status).toBe(409);
    expect(bad.body.error.details.allowedTargets).toEqual([{ id: stage("Engaged"), name: "Engaged", kind: "in_progress" }]);
    expect(bad.body.error.message).toContain("Allowed: Engaged");
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    const ok = await t.call("POST", `/api/groups/${group.body.id}/stage`, { stageId: stage("Engaged") }, t.tokens.sales);
    expect(ok.status).toBe(200);
    expect(ok.body.stage.name).toBe("Engaged");
    expect(ok.body.allowedTargets.map((s: any) => s.name)).toEqual(["Won", "Lost"]);
    expect(ok.body.history.map((h: any) => [h.from?.name ?? null, h.to.name, h.source])).toEqual([
      ["Aware", "Engaged", "manual"],
      [null, "Aware", "manual"],
    ]);
    const foreign = await t.call("POST", `/api/groups/${group.body.id}/stage`, { stageId: "stg_other" });
    expect(foreign.status).toBe(409);
  });

  it("applies automatic rules in maintenance jobs with source system", async () => {
    const { si } = await interestWithModel(t);
    const acc = await account(t);
    await person(t, acc.id, "Vera", { seniority: "VP" });
    await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: { accountIds: [acc.id] } });
    await runJobsUntilIdle(t.deps);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await t.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "maintenance" });
    await runJobsUntilIdle(t.deps);
    const g = (await t.call("GET", `/api/groups?solutionInterestId=${si.id}`)).body.items[0];
    expect(g.completeness).toBe(50);
    const st = await t.call("GET", `/api/groups/${g.id}/stage`);
    expect(st.body.stage.name).toBe("Engaged");
    expect(st.body.history[0]).toMatchObject({ source: "system", to: { name: "Engaged" } });
  });
});

describe("event feed", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("lists member and stage events in order and follows a cursor", async () => {
    const { si, stage } = await interestWithModel(t);
    const acc = await account(t);
    const a = await person(t, acc.id, "Ann");
    const group = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.id });
    await t.call("POST", `/api/groups/${group.body.id}/members`, { members: [{ personId: a.id, roleKey: "user" }] });
    const first = await t.call("GET", "/api/events?limit=10");
    expect(first.body.items.map((e: any) => e.type)).toEqual(["member.assigned"]);
    expect(first.body.items[0]).toMatchObject({
      groupId: group.body.id,
      personId: a.id,
      source: "manual",
      data: { roleKey: "user" },
    });

    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await t.call("PATCH", `/api/groups/${group.body.id}/members`, { changes: [{ personId: a.id, roleKey: "dm" }] });
    await t.call("POST", `/api/groups/${group.body.id}/stage`, { stageId: stage("Engaged") });
    await t.call("POST", `/api/groups/${group.body.id}/members/remove`, { personIds: [a.id] });
    const next = await t.call("GET", `/api/events?after=${first.body.next}&limit=2`);
    expect(next.body.items.map((e: any) => e.type)).toEqual(["member.role_changed", "group.stage_changed"]);
    expect(next.body.hasMore).toBe(true);
    const rest = await t.call("GET", `/api/events?after=${next.body.next}`);
    expect(rest.body.items.map((e: any) => e.type)).toEqual(["member.removed"]);
    const none = await t.call("GET", `/api/events?after=${rest.body.next}`);
    expect(none.body).toMatchObject({ items: [], next: rest.body.next, hasMore: false });
    expect((await t.call("GET", "/api/events?after=garbage")).status).toBe(400);
  });
});
