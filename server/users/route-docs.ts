import { ChangeUserRoleBody, CreateTokenBody, CreateUserBody } from "../../shared/api/users";
import type { RouteDoc } from "../http/openapi";

/** Users and API tokens (issue 6), spread into ROUTE_DOCS. */
export const USER_ROUTE_DOCS: RouteDoc[] = [
  {
    method: "get",
    path: "/api/users",
    tag: "users",
    summary:
      "Users with their email, role, disabled state (disabledAt) and token counts; `access` says whether single sign-on is on and the access-token lifetime (how long ending access can take)",
    permission: "users:read",
  },
  {
    method: "post",
    path: "/api/users",
    tag: "users",
    summary: "Create a user with a role and a first token; the token (plainToken) is returned this once, only its hash is kept",
    body: CreateUserBody,
    permission: "users:write",
    ok: 201,
  },
  {
    method: "put",
    path: "/api/users/{id}/role",
    tag: "users",
    summary: "Change a user's role (409 for the last admin who can sign in)",
    body: ChangeUserRoleBody,
    permission: "users:write",
  },
  {
    method: "get",
    path: "/api/users/{id}/tokens",
    tag: "users",
    summary: "A user's tokens (name, prefix, created, revoked; `current` marks the caller's)",
    permission: "users:read",
  },
  {
    method: "post",
    path: "/api/users/{id}/tokens",
    tag: "users",
    summary: "Issue a token for a user; the token (plainToken) is returned this once (409 for a disabled user)",
    body: CreateTokenBody,
    permission: "users:write",
    ok: 201,
  },
  {
    method: "post",
    path: "/api/users/{id}/tokens/{tokenId}/revoke",
    tag: "users",
    summary:
      "Revoke a token: the next request with it answers 401 (409 when it is the last active token of the last admin who can sign in)",
    permission: "users:write",
  },
];

/** Routes added with the security hardening of issue 16 (group delete, the admin-only file outbox). */
export const SECURITY_ROUTE_DOCS: RouteDoc[] = [
  {
    method: "delete",
    path: "/api/groups/{id}",
    tag: "groups",
    summary:
      "Delete a buying group: its members leave it (member.removed events), a group.deleted event and an audit snapshot of members and stages keep its history",
    permission: "groups:delete",
    ok: 204,
  },
  {
    method: "get",
    path: "/api/outbox",
    tag: "emails",
    summary: "The file outbox (QUORUM_EMAIL_TRANSPORT=file): its .eml files, newest first, with date, recipient and subject",
    permission: "outbox:read",
  },
  {
    method: "get",
    path: "/api/outbox/{file}",
    tag: "emails",
    summary: "One message of the file outbox, as written (message/rfc822)",
    permission: "outbox:read",
  },
];
