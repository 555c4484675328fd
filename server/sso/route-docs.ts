import { SsoRefreshBody, SsoTokenBody } from "../../shared/api/sso";
import type { RouteDoc } from "../http/openapi";

/** Single sign-on (issue 18), spread into ROUTE_DOCS. */
export const SSO_ROUTE_DOCS: RouteDoc[] = [
  {
    method: "get",
    path: "/auth/sso/config",
    tag: "sso",
    summary:
      "Whether single sign-on is on, and the issuer, client id and authorization endpoint the extension signs in with (no token)",
  },
  {
    method: "post",
    path: "/auth/sso/token",
    tag: "sso",
    summary:
      "Finish a sign-in: the server redeems the code (PKCE), verifies the ID token against the issuer's JWKS and returns an access token and a refresh token (no token)",
    body: SsoTokenBody,
  },
  {
    method: "post",
    path: "/auth/sso/refresh",
    tag: "sso",
    summary: "Trade a refresh token for new tokens; each refresh token works once, a reused one ends the session (no token)",
    body: SsoRefreshBody,
  },
  {
    method: "post",
    path: "/auth/sso/logout",
    tag: "sso",
    summary: "Sign out: end the session of a refresh token (no token)",
    body: SsoRefreshBody,
    ok: 204,
  },
  {
    method: "get",
    path: "/api/users/{id}/sessions",
    tag: "users",
    summary: "A user's open single sign-on sessions (client, started, last renewed, end); `current` marks the caller's own",
    permission: "users:read",
  },
  {
    method: "post",
    path: "/api/users/{id}/sessions/{sessionId}/revoke",
    tag: "users",
    summary: "End one session; its access token stops within one access-token lifetime",
    permission: "users:write",
  },
  {
    method: "post",
    path: "/api/users/{id}/disable",
    tag: "users",
    summary: "Disable a user: ends their sessions and revokes their API tokens (409 for yourself or the last enabled admin)",
    permission: "users:write",
  },
  {
    method: "post",
    path: "/api/users/{id}/enable",
    tag: "users",
    summary: "Enable a disabled user again (they sign in again or get a new token)",
    permission: "users:write",
  },
];
