import { describe, expect, it } from "vitest";
import type { ConditionNode } from "../../../shared/api/templates";
import { chooseRole, ruleSubject } from "../../../shared/domain/role-rules";

const roles: Array<{ key: string; priority: number; conditions: ConditionNode }> = [
  { key: "dm", priority: 0, conditions: { field: "seniority", op: "in", value: ["C-Level", "VP"] } },
  { key: "fin", priority: 1, conditions: { field: "department", op: "equals", value: "Finance" } },
];

describe("ruleSubject: seniority and department from the job title when the person has none", () => {
  it.each([
    [{ jobTitle: "Chief Revenue Officer" }, "C-Level", "Sales"],
    [{ jobTitle: "Directeur financier" }, "Director", "Finance"],
    [{ jobTitle: "Directeur financier", seniority: "VP" }, "VP", "Finance"], // explicit seniority wins
    [{ jobTitle: "Directeur financier", department: "Legal" }, "Director", "Legal"], // explicit department wins
    [{ jobTitle: "CEO", seniority: "", department: "  " }, "C-Level", "Executive"], // blank is missing
    [{ jobTitle: null }, null, null],
  ])("%j → %s, %s", (person, seniority, department) => {
    expect(ruleSubject(person)).toMatchObject({ seniority, department });
  });

  it("role rules written on seniority and department match a person known by the title only", () => {
    expect(chooseRole(ruleSubject({ jobTitle: "VD" }), roles)?.role.key).toBe("dm");
    expect(chooseRole(ruleSubject({ jobTitle: "Ekonomichef" }), roles)?.role.key).toBe("fin");
    expect(chooseRole(ruleSubject({ jobTitle: "Importer/Exporter" }), roles)).toBeNull();
  });
});
