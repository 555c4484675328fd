import { describe, expect, it } from "vitest";
import {
  addGroup,
  addLeaf,
  conditionWarnings,
  type EditGroup,
  fromConditionNode,
  nodeAt,
  removeNode,
  serverPath,
  setGroupMode,
  toConditionNode,
  toggleGroupMode,
  updateLeaf,
} from "../../../extension/admin/screens/templates/condition-tree";
import { fieldId, mapIssues, nearestField } from "../../../extension/admin/screens/templates/field-issues";
import { formatShare, roleShares } from "../../../extension/admin/screens/templates/shares";
import {
  emptyDraft,
  fromTemplate,
  keyFromName,
  knownTemplateFields,
  moveRole,
  newRole,
  toTemplateBody,
  validateTemplateDraft,
} from "../../../extension/admin/screens/templates/template-form";
import { groupEngagement } from "../../../shared/scoring";
import { WEIGHTINGS, type Weighting } from "../../../shared/scoring/weighting";

const leaf = (value: string) => ({ field: "jobTitle", op: "contains" as const, value });

describe("condition tree editing", () => {
  const tree: EditGroup = { all: [leaf("CIO"), { any: [leaf("a"), leaf("b")] }] };

  it("adds leaves and groups where asked, leaving the original untouched", () => {
    const frozen = JSON.stringify(tree);
    const withLeaf = addLeaf(tree, [1], leaf("c"));
    expect(nodeAt(withLeaf, [1, 2])).toEqual(leaf("c"));
    const withGroup = addGroup(tree, [], "all");
    expect(nodeAt(withGroup, [2])).toEqual({ all: [{ field: "jobTitle", op: "contains", value: "" }] });
    expect(JSON.stringify(tree)).toBe(frozen);
    // an untouched branch keeps its identity (cheap re-renders)
    expect((withGroup as { all: unknown[] }).all[1]).toBe((tree as { all: unknown[] }).all[1]);
  });

  it("removes a node, and removing the root means no conditions", () => {
    const removed = removeNode(tree, [1, 0]);
    expect(removed).toEqual({ all: [leaf("CIO"), { any: [leaf("b")] }] });
    expect(removeNode(tree, [])).toBeNull();
    expect(() => removeNode(tree, [5])).toThrow();
  });

  it("updates a leaf and drops the intent level when the field is no longer an intent topic", () => {
    let t = updateLeaf(tree, [0], { field: "intent.keyword", level: "high" });
    expect(nodeAt(t, [0])).toMatchObject({ field: "intent.keyword", level: "high" });
    t = updateLeaf(t, [0], { field: "department" });
    expect(nodeAt(t, [0])).toEqual({ field: "department", op: "contains", value: "CIO" });
  });

  it("switches a group between all (AND) and any (OR), children unchanged", () => {
    const t = toggleGroupMode(tree, [1]);
    expect(nodeAt(t, [1])).toEqual({ all: [leaf("a"), leaf("b")] });
    expect(setGroupMode(tree, [], "any")).toEqual({ any: (tree as { all: unknown[] }).all });
    expect(() => toggleGroupMode(tree, [0])).toThrow();
  });

  it("names nodes the way the server does", () => {
    expect(serverPath(tree, [])).toBe("");
    expect(serverPath(tree, [1, 0])).toBe("all.1.any.0");
  });

  it("round-trips stored conditions and types values for the API", () => {
    const stored = {
      all: [
        { field: "seniority", op: "in" as const, value: ["C-Level", "VP"] },
        { field: "score", op: "gte" as const, value: 50 },
        { field: "intent.keyword", op: "equals" as const, value: "siem", level: "medium" as const },
      ],
    };
    const edit = fromConditionNode(stored)!;
    expect(nodeAt(edit, [0])).toMatchObject({ value: "C-Level, VP" });
    expect(toConditionNode(edit)).toEqual(stored);
    // a single condition at the top becomes a group of one
    expect(fromConditionNode({ field: "jobTitle", op: "contains", value: "CIO" })).toEqual({ all: [leaf("CIO")] });
    expect(fromConditionNode(null)).toBeNull();
    // a non-number for gte stays text so the schema can say "gte needs a number"
    expect(toConditionNode({ field: "score", op: "gte", value: "lots" })).toEqual({ field: "score", op: "gte", value: "lots" });
  });

  it("flags empty groups and empty values", () => {
    expect(conditionWarnings({ all: [leaf(""), { any: [] }] })).toEqual([
      { path: "all.0.value", key: "emptyValue" },
      { path: "all.1", key: "emptyGroup" },
    ]);
  });
});

describe("role shares", () => {
  it("equal shared/scoring's share for the same roles (seeds: 41.67 %, 33.33 %, 25 %)", () => {
    const cases: Weighting[][] = [
      ["vital", "important", "normal"],
      [...WEIGHTINGS],
      ["trivial"],
      ["minor", "minor", "vital", "normal"],
    ];
    for (const ws of cases) {
      const roles = ws.map((w, i) => ({
        key: `r${i}`,
        name: `R${i}`,
        weighting: w,
        membersRequired: 1,
        countsTowardCompleteness: true,
        decisionMaker: false,
      }));
      const scoring = groupEngagement(roles, []).roles.map((r) => r.share);
      expect(roleShares(ws)).toEqual(scoring);
    }
    expect(roleShares(["vital", "important", "normal"]).map((s) => formatShare("en", s))).toEqual(["41.67%", "33.33%", "25%"]);
    expect(formatShare("nl", 100 / 240)).toBe("41,67%");
    expect(roleShares([])).toEqual([]);
  });
});

describe("issue paths → fields", () => {
  const known = new Set(["", "name", "roles.2.conditions", "roles.2.conditions.all.0", "roles.2.conditions.all.0.value"]);
  it("puts each problem on its input, else the nearest rendered ancestor, else the form", () => {
    expect(nearestField("roles.2.conditions.all.0.value", known)).toBe("roles.2.conditions.all.0.value");
    expect(nearestField("roles.2.conditions.all.0.level", known)).toBe("roles.2.conditions.all.0");
    expect(nearestField("roles.2.conditions.any.4", known)).toBe("roles.2.conditions");
    expect(nearestField("roles.9.key", known)).toBe("");
    expect(nearestField("(body)", known)).toBe("");
    const m = mapIssues(
      [
        { field: "name", message: "must not be empty" },
        { field: "name", message: "must not be empty" },
        { field: "roles.2.conditions.all.0.value", message: "gte needs a number" },
      ],
      known,
    );
    expect(m.get("name")).toEqual(["must not be empty"]);
    expect(m.get("roles.2.conditions.all.0.value")).toEqual(["gte needs a number"]);
    expect(fieldId("tpl", "roles.2.conditions.all.0.value")).toBe("tpl-roles-2-conditions-all-0-value");
  });

  it("the template editor knows every input it renders", () => {
    const d = emptyDraft();
    d.roles[0]!.conditions = { all: [leaf("x"), { any: [leaf("y")] }] };
    const known = knownTemplateFields(d);
    for (const p of [
      "name",
      "roles.0.key",
      "roles.0.weighting",
      "roles.0.conditions.all.1.any.0.value",
      "roles.0.conditions.all.1",
    ])
      expect(known.has(p)).toBe(true);
  });
});

describe("template draft", () => {
  it("validates with the shared schema, with the same paths the server uses", () => {
    const d = emptyDraft();
    d.name = "T";
    d.roles[0] = { ...d.roles[0]!, name: "Buyer", conditions: { all: [{ field: "score", op: "gte", value: "many" }] } };
    d.roles.push({ ...newRole(["role-1"]), key: "role-1", name: "Twin", conditions: null });
    const issues = validateTemplateDraft(d);
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: "roles.0.conditions.all.0.value", message: "gte needs a number" },
        { field: "roles.1.key", message: "role key 'role-1' is used twice" },
      ]),
    );
    d.roles[0]!.conditions = { all: [{ field: "score", op: "gte", value: "40" }] };
    d.roles[1]!.key = "twin";
    expect(validateTemplateDraft(d)).toEqual([]);
    expect(toTemplateBody(d).roles[0]!.conditions).toEqual({ all: [{ field: "score", op: "gte", value: 40 }] });
  });

  it("reports a members-required that is not a number at that field", () => {
    const d = emptyDraft();
    d.name = "T";
    d.roles[0] = { ...d.roles[0]!, name: "A", membersRequired: "", conditions: null };
    expect(validateTemplateDraft(d)).toEqual([{ field: "roles.0.membersRequired", message: "must be a whole number" }]);
  });

  it("loads roles in priority order; moves roles up and down", () => {
    const d = fromTemplate({
      id: "t",
      familyId: "f",
      version: 1,
      name: "T",
      description: "",
      status: "live",
      publishedAt: null,
      createdAt: "",
      updatedAt: "",
      roles: [
        {
          key: "b",
          name: "B",
          weighting: "minor",
          membersRequired: 2,
          countsTowardCompleteness: true,
          decisionMaker: false,
          conditions: null,
          priority: 2,
        },
        {
          key: "a",
          name: "A",
          weighting: "vital",
          membersRequired: 1,
          countsTowardCompleteness: true,
          decisionMaker: true,
          conditions: null,
          priority: 1,
        },
      ],
    });
    expect(d.roles.map((r) => r.key)).toEqual(["a", "b"]);
    expect(moveRole(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveRole(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(keyFromName("Décision Maker / IT")).toBe("decision-maker-it");
  });
});
