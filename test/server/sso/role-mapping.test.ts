import { describe, expect, it } from "vitest";
import { mapRole } from "../../../server/sso/role-mapping";

const roles = { admin: ["Quorum Admins", "cio@example.com"], marketer: ["Marketing"], sales: ["Sales EMEA", "Sales US"] };

describe("mapRole", () => {
  it.each([
    { email: "ana@example.com", groups: ["Sales EMEA"], role: "sales" },
    { email: "mo@example.com", groups: ["Marketing", "Sales US"], role: "marketer" },
    { email: "it@example.com", groups: ["Sales US", "Quorum Admins"], role: "admin" },
    { email: "CIO@Example.com", groups: [], role: "admin" },
    { email: "x@example.com", groups: ["Finance"], role: null },
    { email: "x@example.com", groups: ["quorum admins"], role: null },
  ])("$email in $groups → $role", ({ email, groups, role }) => {
    expect(mapRole(roles, { email, groups })).toBe(role);
  });

  it("'*' gives a role to everyone the provider signs in", () => {
    expect(mapRole({ admin: [], marketer: [], sales: ["*"] }, { email: "new@example.com", groups: [] })).toBe("sales");
  });
});
