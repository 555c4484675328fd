/** API user roles and what each may do. Enforced on the server; the panel uses it to hide actions. */
export const USER_ROLES = ["admin", "marketer", "sales"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type Permission =
  | "read"
  | "members:write"
  | "people:write"
  | "groups:write"
  | "activities:write"
  | "journeys:act"
  | "config:write"
  | "scores:recompute"
  | "tokens:admin"
  | "emails:write"
  | "emails:send"
  | "users:read"
  | "users:write"
  /** reading the file outbox (rendered messages: personal data) */
  | "outbox:read"
  /** deleting buying groups (and a solution interest with its groups) */
  | "groups:delete";

const GRANTS: Record<UserRole, readonly Permission[]> = {
  admin: [
    "read",
    "members:write",
    "people:write",
    "groups:write",
    "activities:write",
    "journeys:act",
    "config:write",
    "scores:recompute",
    "tokens:admin",
    "emails:write",
    "emails:send",
    "users:read",
    "users:write",
    "outbox:read",
    "groups:delete",
  ],
  marketer: [
    "read",
    "members:write",
    "people:write",
    "groups:write",
    "activities:write",
    "journeys:act",
    "config:write",
    "scores:recompute",
    "emails:write",
    "emails:send",
  ],
  sales: ["read", "members:write", "people:write", "groups:write", "scores:recompute", "emails:send"],
};

export function can(role: UserRole, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
