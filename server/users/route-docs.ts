import { ChangeUserRoleBody, CreateTokenBody, CreateUserBody } from "../../shared/api/users";
import type { RouteDoc } from "../http/openapi";

/** Users and API tokens (issue 6), spread into ROUTE_DOCS. */
export const USER_ROUTE_DOCS: RouteDoc[] = [
  {
    method: "get",
    path: "/api/users",
    tag: "users",
    summary: "Users with their role and token counts",
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
    summary: "Issue a token for a user; the token (plainToken) is returned this once",
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
