import { ActivityMappingBody, CreateConnectionBody, StartSyncBody, UpdateConnectionBody } from "../../shared/api/connections";
import type { RouteDoc } from "../http/openapi";

/** CRM connections (issue 13; admins only), spread into ROUTE_DOCS. The OAuth callback `/oauth/callback` is public. */
const admin = "tokens:admin";
export const CONNECTION_ROUTE_DOCS: RouteDoc[] = [
  {
    method: "get",
    path: "/api/connections",
    tag: "connections",
    summary: "CRM connections with status, reason and last sync run (secrets never returned)",
    permission: admin,
  },
  {
    method: "post",
    path: "/api/connections",
    tag: "connections",
    summary: "Connect Salesforce or HubSpot; non-OAuth credentials are checked (400 names the refused field)",
    body: CreateConnectionBody,
    permission: admin,
    ok: 201,
  },
  {
    method: "get",
    path: "/api/connections/activity-mappings/{crm}",
    tag: "connections",
    summary: "CRM activity kinds → activity types in force",
    permission: admin,
  },
  {
    method: "put",
    path: "/api/connections/activity-mappings/{crm}",
    tag: "connections",
    summary: "Change the activity mapping (null type: not imported)",
    body: ActivityMappingBody,
    permission: admin,
  },
  {
    method: "get",
    path: "/api/connections/runs/{runId}",
    tag: "connections",
    summary: "A sync run: status, stream, progress, skipped records with reasons",
    permission: admin,
  },
  { method: "get", path: "/api/connections/{id}", tag: "connections", summary: "One connection", permission: admin },
  {
    method: "patch",
    path: "/api/connections/{id}",
    tag: "connections",
    summary: "Rename, change URLs, credentials or settings (write-back, role mapping, interval)",
    body: UpdateConnectionBody,
    permission: admin,
  },
  {
    method: "delete",
    path: "/api/connections/{id}",
    tag: "connections",
    summary: "Delete the connection (synced records stay)",
    permission: admin,
    ok: 204,
  },
  {
    method: "post",
    path: "/api/connections/{id}/test",
    tag: "connections",
    summary: "Sign in with the stored credentials and say who that is",
    permission: admin,
  },
  {
    method: "post",
    path: "/api/connections/{id}/oauth/start",
    tag: "connections",
    summary: "The CRM's authorize URL (PKCE for Salesforce); the CRM redirects back to /oauth/callback",
    permission: admin,
  },
  {
    method: "post",
    path: "/api/connections/{id}/sync",
    tag: "connections",
    summary: "Queue a sync (202), or return the one already queued or running (200)",
    body: StartSyncBody,
    permission: admin,
    ok: 202,
  },
  {
    method: "get",
    path: "/api/connections/{id}/runs",
    tag: "connections",
    summary: "The connection's recent sync runs",
    permission: admin,
  },
];
