import { describe, expect, it } from "vitest";
import {
  addStage,
  copyDraft,
  fromStageModel,
  knownStageFields,
  moveStage,
  reachableStages,
  removeStage,
  type StageModelDraft,
  starterModel,
  toggleTransition,
  toStageModelBody,
  updateStage,
  validateStageModel,
} from "../../../extension/admin/screens/stages/stage-form";
import { StageModelBody } from "../../../shared/api/stages";

const names = { entry: "Identified", inProgress: "Engaged", success: "Won", failure: "Lost" };
const uidOf = (d: StageModelDraft, name: string) => d.stages.find((s) => s.name === name)!.uid;
const keys = (d: StageModelDraft) => validateStageModel(d).warnings.map((w) => `${w.key}:${w.field}`);

describe("stage model validation", () => {
  it("a starter model is valid and builds the body the API takes", () => {
    const d = { ...starterModel(names), name: "Pipeline" };
    expect(validateStageModel(d)).toEqual({ errors: [], warnings: [] });
    const body = toStageModelBody(d);
    expect(StageModelBody.safeParse(body).success).toBe(true);
    expect(body.transitions).toEqual([
      { from: "Identified", to: "Engaged" },
      { from: "Engaged", to: "Won" },
      { from: "Engaged", to: "Lost" },
    ]);
  });

  it("mirrors the server: an entry stage, unique names, at least two stages", () => {
    let d = { ...starterModel(names), name: "P" };
    d = updateStage(d, uidOf(d, "Identified"), { kind: "in_progress" });
    expect(validateStageModel(d).errors).toEqual([{ field: "stages", message: "needs an entry stage (kind: entry)" }]);
    d = updateStage(d, uidOf(d, "Won"), { name: "engaged", kind: "entry" });
    expect(validateStageModel(d).errors).toEqual([{ field: "stages.2.name", message: "stage 'engaged' is listed twice" }]);
    const two = { name: "P", stages: [d.stages[0]!], transitions: [], rules: [] };
    expect(validateStageModel(two).errors.map((e) => e.field)).toContain("stages");
  });

  it("an unnamed stage is reported at the stage only", () => {
    let d = { ...starterModel(names), name: "P" };
    d = updateStage(d, uidOf(d, "Engaged"), { name: " " });
    expect(validateStageModel(d).errors).toEqual([{ field: "stages.1.name", message: "must not be empty" }]);
  });

  it("rules: along allowed transitions, no cycles, at least one condition, and not pointing at a deleted stage", () => {
    const base = { ...starterModel(names), name: "P" };
    const [a, b, c] = base.stages.map((s) => s.uid) as [string, string, string];
    const rule = (from: string | null, to: string, minCompleteness = "50") => ({
      uid: `${from}-${to}`,
      from,
      to,
      minCompleteness,
      minEngagement: "",
      openOpportunity: false,
    });
    expect(validateStageModel({ ...base, rules: [rule(a, c)] }).errors).toEqual([
      { field: "rules.0", message: "'Identified' → 'Won' is not an allowed transition" },
    ]);
    expect(validateStageModel({ ...base, rules: [rule(a, b, "")] }).errors[0]).toMatchObject({ field: "rules.0" });
    const loop = toggleTransition(base, b, a);
    expect(validateStageModel({ ...loop, rules: [rule(a, b), rule(b, a)] }).errors[0]?.message).toMatch(/form a cycle/);
    const gone = removeStage({ ...base, rules: [rule(null, c)] }, c);
    expect(gone.transitions.some((t) => t.to === c)).toBe(false);
    expect(validateStageModel(gone).errors).toEqual([
      { field: "rules.0.to", message: "refers to a deleted stage", key: "deletedStage" },
    ]);
  });

  it("warns about unreachable stages, dead ends, ways out of outcomes and several entry stages", () => {
    let d = { ...starterModel(names), name: "P" };
    d = addStage(d, "Parked");
    expect(keys(d)).toEqual(["unreachable:stages.4", "deadEnd:stages.4"]);
    d = toggleTransition(d, uidOf(d, "Lost"), uidOf(d, "Parked"));
    expect(keys(d)).toEqual(["leavesTerminal:stages.3", "deadEnd:stages.4"]);
    d = updateStage(d, uidOf(d, "Parked"), { kind: "entry" });
    expect(keys(d)).toEqual(["multipleEntry:stages", "leavesTerminal:stages.3", "deadEnd:stages.4"]);
    expect(reachableStages(d).size).toBe(5);
  });

  it("transitions toggle (never to the same stage); stages move; copies get fresh ids", () => {
    const d = starterModel(names);
    const [a, b] = d.stages.map((s) => s.uid) as [string, string];
    expect(toggleTransition(d, a, a)).toBe(d);
    expect(toggleTransition(toggleTransition(d, b, a), b, a).transitions).toEqual(d.transitions);
    expect(moveStage(d, 3, -1).stages.map((s) => s.name)).toEqual(["Identified", "Engaged", "Lost", "Won"]);
    const copy = copyDraft(d, "Copy");
    expect(copy.stages[0]!.uid).not.toBe(a);
    expect(toStageModelBody(copy)).toEqual({ ...toStageModelBody(d), name: "Copy" });
    expect(knownStageFields(d).has("transitions.2")).toBe(true);
  });

  it("loads a stored model by position", () => {
    const d = fromStageModel({
      id: "m",
      name: "M",
      status: "live",
      createdAt: "",
      updatedAt: "",
      stages: [
        { id: "y", name: "Won", kind: "success", position: 1 },
        { id: "x", name: "New", kind: "entry", position: 0 },
      ],
      transitions: [{ fromStageId: "x", toStageId: "y" }],
      rules: [{ fromStageId: null, toStageId: "y", minCompleteness: 100, minEngagement: null, openOpportunity: true }],
    });
    expect(toStageModelBody(d)).toEqual({
      name: "M",
      stages: [
        { name: "New", kind: "entry" },
        { name: "Won", kind: "success" },
      ],
      transitions: [{ from: "New", to: "Won" }],
      rules: [{ from: null, to: "Won", minCompleteness: 100, minEngagement: null, openOpportunity: true }],
    });
  });
});
