import { USER_ROLES, type UserRole } from "../../shared/domain/roles";
import type { SsoConfig } from "./sso.config";

/**
 * The role a signed-in person gets: the highest role (admin, then marketer, then sales) whose list in
 * QUORUM_SSO_ADMINS / _MARKETERS / _SALES names one of their groups, their email address, or `*` (everyone the
 * provider signs in). Group names compare exactly (as the provider sends them); emails without regard to case.
 * null: no role, so no access.
 */
export function mapRole(roles: SsoConfig["roles"], person: { email: string; groups: readonly string[] }): UserRole | null {
  const email = person.email.toLowerCase();
  const groups = new Set(person.groups);
  for (const role of USER_ROLES) {
    const hit = roles[role].some((entry) =>
      entry === "*" ? true : entry.includes("@") ? entry.toLowerCase() === email : groups.has(entry),
    );
    if (hit) return role;
  }
  return null;
}
