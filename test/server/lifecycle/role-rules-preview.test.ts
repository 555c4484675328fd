import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { account, groupSetup, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const ROLES = [
  {
    key: "decision-maker",
    name: "Decision maker",
    weighting: "vital",
    decisionMaker: true,
    conditions: { any: [{ field: "seniority", op: "in", value: ["C-Level", "VP"] }] },
  },
  {
    key: "champion",
    name: "Champion",
    weighting: "important",
    // Intent: at least Medium keyword intent on "data warehouse".
    conditions: { field: "intent.keyword", op: "equals", value: "Data Warehouse", level: "medium" },
  },
  {
    key: "practitioner",
    name: "Practitioner",
    weighting: "normal",
    conditions: {
      all: [
        { field: "jobTitle", op: "contains", value: "engineer" },
        { field: "score", op: "lte", value: 1000 },
      ],
    },
  },
];

describe("role rules with intent, priority and preview", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("previews which person fills which role and which condition matched, before publishing", async () => {
    const draft = await t.call("POST", "/api/role-templates", { name: "Draft", roles: ROLES });
    expect(draft.status).toBe(201);
    const acc = await account(t);
    const ceo = await person(t, acc.id, "Ceo", { seniority: "VP", jobTitle: "VP Engineering" });
    const eng = await person(t, acc.id, "Eng", { jobTitle: "Data Engineer" });
    const fan = await person(t, acc.id, "Fan", { jobTitle: "Analyst" });
    const left = await person(t, acc.id, "Gone", { seniority: "C-Level", status: "left_company" });
    // Fan and the engineer show intent: Fan at Medium (strength 60 today), the engineer only Low.
    const at = t.clock.now.toISOString();
    const ingest = await t.call("POST", "/api/intent/signals", {
      signals: [
        { externalId: "i1", personId: fan.id, type: "keyword", topic: "data wárehouse", strength: 60, occurredAt: at },
        { externalId: "i2", personId: eng.id, type: "keyword", topic: "Data Warehouse", strength: 20, occurredAt: at },
      ],
    });
    expect(ingest.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });

    const res = await t.call("POST", `/api/role-templates/${draft.body.id}/preview`, { accountId: acc.id });
    expect(res.status).toBe(200);
    const byId = new Map<string, any>(res.body.people.map((p: any) => [p.personId, p]));
    // The VP also matches practitioner ("VP Engineering" contains "engineer"): priority picks decision maker.
    expect(byId.get(ceo.id)).toMatchObject({ roleKey: "decision-maker", wouldAssign: true });
    expect(byId.get(ceo.id).matchedConditions).toEqual([{ field: "seniority", op: "in", value: ["C-Level", "VP"] }]);
    expect(byId.get(fan.id)).toMatchObject({ roleKey: "champion", wouldAssign: true });
    expect(byId.get(eng.id)).toMatchObject({ roleKey: "practitioner" });
    expect(byId.get(eng.id).matchedConditions).toHaveLength(2);
    expect(byId.get(left.id)).toMatchObject({ roleKey: "decision-maker", wouldAssign: false, status: "left_company" });
    expect(res.body.completeness).toBe(100);
    expect(res.body.templateStatus).toBe("draft");
  });

  it("rejects unknown condition fields and operators that do not fit, naming the field", async () => {
    const bad = await t.call("POST", "/api/role-templates", {
      name: "Bad",
      roles: [
        { key: "x", name: "X", weighting: "normal", conditions: { all: [{ field: "shoeSize", op: "equals", value: "42" }] } },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("roles.0.conditions");
    expect(bad.body.error.details.issues[0].message).toContain("is not a condition field");
    const badLevel = await t.call("POST", "/api/role-templates", {
      name: "Bad",
      roles: [
        {
          key: "x",
          name: "X",
          weighting: "normal",
          conditions: { field: "jobTitle", op: "contains", value: "a", level: "high" },
        },
      ],
    });
    expect(badLevel.status).toBe(400);
    expect(JSON.stringify(badLevel.body.error.details.issues)).toContain("only applies to intent fields");
  });

  it("previews against an unknown account with 404", async () => {
    const tpl = await liveTemplate(t);
    const res = await t.call("POST", `/api/role-templates/${tpl.id}/preview`, { accountId: "acc_nope" });
    expect(res.status).toBe(404);
  });

  it("refuses to delete a template in use, listing the groups", async () => {
    const { template, group } = await groupSetup(t);
    const res = await t.call("DELETE", `/api/role-templates/${template.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.details.groups).toEqual([{ id: group.id, name: group.name }]);
  });
});

describe("solution interests: edit and delete", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("edits name, keywords and products and renames its groups", async () => {
    const { solutionInterest, template, group, account: acc } = await groupSetup(t);
    const res = await t.call("PUT", `/api/solution-interests/${solutionInterest.id}`, {
      name: "Analytics Cloud",
      roleTemplateId: template.id,
      keywords: ["data warehouse"],
      products: ["Lakehouse"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Analytics Cloud",
      keywords: ["data warehouse"],
      products: ["Lakehouse"],
      groupCount: 1,
    });
    const g = await t.call("GET", `/api/groups/${group.id}`);
    expect(g.body.group.name).toBe(`Analytics Cloud for ${acc.name}`);
  });

  it("refuses to delete while groups exist, then deletes once they are gone", async () => {
    const { solutionInterest, template } = await groupSetup(t);
    const refused = await t.call("DELETE", `/api/solution-interests/${solutionInterest.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/still has 1 buying group/);
    const other = await t.call("POST", "/api/solution-interests", { name: "Empty", roleTemplateId: template.id });
    expect((await t.call("DELETE", `/api/solution-interests/${other.body.id}`)).status).toBe(204);
    expect((await t.call("GET", `/api/solution-interests/${other.body.id}`)).status).toBe(404);
  });

  it("rejects a draft template and an unknown stage model on edit", async () => {
    const { solutionInterest } = await groupSetup(t);
    const draft = await t.call("POST", "/api/role-templates", {
      name: "D",
      roles: [{ key: "a", name: "A", weighting: "normal" }],
    });
    const res = await t.call("PUT", `/api/solution-interests/${solutionInterest.id}`, {
      name: "X",
      roleTemplateId: draft.body.id,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("roleTemplateId");
    expect(
      (await t.call("PUT", `/api/solution-interests/${solutionInterest.id}`, { name: "X", roleTemplateId: "x" }, t.tokens.sales))
        .status,
    ).toBe(403);
  });
});
