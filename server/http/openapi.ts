import { z } from "zod";
import { AccountLookupQuery, AccountSearchQuery, CreateAccountBody, LinkAccountBody } from "../../shared/api/accounts";
import { ActivityTypeBody, IngestActivitiesBody } from "../../shared/api/activities";
import { DashboardQuery } from "../../shared/api/dashboard";
import {
  CreateEmailBody,
  EmailListQuery,
  OutboxQuery,
  PreviewEmailBody,
  SendEmailBody,
  UpdateEmailBody,
  WorkspaceBody,
} from "../../shared/api/emails";
import { CreateGroupBody, GroupListQuery } from "../../shared/api/groups";
import { AccountAudience } from "../../shared/api/jobs";
import { JourneyActionBody } from "../../shared/api/journeys";
import { AssignMembersBody, ChangeRolesBody, RemoveMembersBody } from "../../shared/api/members";
import { AccountPeopleQuery, CreatePersonBody } from "../../shared/api/people";
import { SolutionInterestBody, SolutionInterestListQuery } from "../../shared/api/solution-interests";
import { TemplateBody } from "../../shared/api/templates";
import { AudienceCountQuery } from "../accounts/audience.routes";
import { CONNECTION_ROUTE_DOCS } from "../connectors/route-docs";
import { EVENT_SOURCE_ROUTE_DOCS } from "../event-sources/route-docs";
import { LIFECYCLE_ROUTE_DOCS } from "../lifecycle/route-docs";
import { SSO_ROUTE_DOCS } from "../sso/route-docs";
import { SECURITY_ROUTE_DOCS, USER_ROUTE_DOCS } from "../users/route-docs";
import { ROUTE_BODY_LIMITS, ROUTE_PER_ITEM } from "./body-limits";
import { DEFAULT_BODY_LIMIT, MAX_JSON_DEPTH, type RouteInputRules } from "./input-guard";
import { formatBytes } from "./request-body";
import { API_VERSION } from "./version";

export interface RouteDoc {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  tag: string;
  summary: string;
  permission?: string;
  query?: z.ZodType;
  body?: z.ZodType;
  ok?: number;
  /** Body limit in bytes when the route needs more than DEFAULT_BODY_LIMIT (413 above it). */
  maxBodyBytes?: number;
  /** A top-level array of the body whose items are validated one by one (per-item results). */
  perItem?: string;
}

/** Every route, documented next to the schemas that validate it. Kept beside app.ts; a test checks they match. */
export const ROUTE_DOCS: RouteDoc[] = [
  { method: "get", path: "/api/me", tag: "auth", summary: "The caller's user and role" },
  {
    method: "get",
    path: "/api/accounts",
    tag: "accounts",
    summary: "Search accounts by name or domain",
    query: AccountSearchQuery,
  },
  {
    method: "get",
    path: "/api/accounts/lookup",
    tag: "accounts",
    summary: "Find the account of a CRM record (crm + recordId), else by domain, else by name",
    query: AccountLookupQuery,
  },
  {
    method: "post",
    path: "/api/accounts",
    tag: "accounts",
    summary: "Create an account with CRM links",
    body: CreateAccountBody,
    permission: "groups:write",
    ok: 201,
  },
  { method: "get", path: "/api/accounts/{id}", tag: "accounts", summary: "One account" },
  {
    method: "post",
    path: "/api/accounts/audience-count",
    tag: "accounts",
    summary:
      "Count the accounts of an audience (what a creation job over it would process); ?solutionInterestId= also counts those already in one of its groups",
    query: AudienceCountQuery,
    body: AccountAudience,
  },
  {
    method: "post",
    path: "/api/accounts/{id}/links",
    tag: "accounts",
    summary: "Link a CRM record to an account",
    body: LinkAccountBody,
    permission: "groups:write",
  },
  {
    method: "get",
    path: "/api/accounts/{id}/people",
    tag: "accounts",
    summary: "People of an account, by person score",
    query: AccountPeopleQuery,
  },
  {
    method: "post",
    path: "/api/people",
    tag: "people",
    summary: "Create a person, or return the one with the same email (200, matched)",
    body: CreatePersonBody,
    permission: "people:write",
    ok: 201,
  },
  { method: "get", path: "/api/people/{id}", tag: "people", summary: "One person" },
  { method: "get", path: "/api/activity-types", tag: "activities", summary: "The activity-type catalogue" },
  {
    method: "post",
    path: "/api/activity-types",
    tag: "activities",
    summary: "Add a custom activity type",
    body: ActivityTypeBody,
    permission: "config:write",
    ok: 201,
  },
  {
    method: "post",
    path: "/api/activities",
    tag: "activities",
    summary: "Ingest up to 10 000 activities, idempotent on externalId; reports accepted / duplicate / rejected",
    body: IngestActivitiesBody,
    permission: "activities:write",
  },
  {
    method: "get",
    path: "/api/groups",
    tag: "groups",
    summary: "Browse buying groups with search and filters",
    query: GroupListQuery,
  },
  {
    method: "post",
    path: "/api/groups",
    tag: "groups",
    summary: "Create '<solution interest> for <account>'",
    body: CreateGroupBody,
    permission: "groups:write",
    ok: 201,
  },
  {
    method: "get",
    path: "/api/groups/{id}",
    tag: "groups",
    summary: "Everything the side panel shows for a group (gzipped when Accept-Encoding allows it)",
  },
  {
    method: "get",
    path: "/api/groups/{id}/members",
    tag: "members",
    summary: "Members with role, title, email, phone and source",
  },
  {
    method: "get",
    path: "/api/groups/{id}/members/{personId}",
    tag: "members",
    summary: "A member's details: summary, recent activities, other groups, score breakdown",
  },
  {
    method: "post",
    path: "/api/groups/{id}/members",
    tag: "members",
    summary: "Assign up to 50 members (all-or-nothing)",
    body: AssignMembersBody,
    permission: "members:write",
  },
  {
    method: "post",
    path: "/api/groups/{id}/members/remove",
    tag: "members",
    summary: "Remove up to 50 members (all-or-nothing)",
    body: RemoveMembersBody,
    permission: "members:write",
  },
  {
    method: "patch",
    path: "/api/groups/{id}/members",
    tag: "members",
    summary: "Change the role of up to 50 members (all-or-nothing)",
    body: ChangeRolesBody,
    permission: "members:write",
  },
  {
    method: "get",
    path: "/api/groups/{id}/scores",
    tag: "scores",
    summary: "Completeness and engagement with their full explanation",
  },
  {
    method: "post",
    path: "/api/groups/{id}/scores/recompute",
    tag: "scores",
    summary: "Recompute one group's scores now",
    permission: "scores:recompute",
  },
  {
    method: "post",
    path: "/api/scores/recompute",
    tag: "scores",
    summary: "Queue a recompute of every score (202 with the job; a background worker runs it)",
    permission: "config:write",
    ok: 202,
  },
  {
    method: "get",
    path: "/api/scores/recompute/{id}",
    tag: "scores",
    summary: "A queued recompute: status, progress and, when done, its report",
    permission: "config:write",
  },
  {
    method: "get",
    path: "/api/dashboard",
    tag: "dashboard",
    summary: "Completeness bands, engagement distribution, groups by solution interest and stage, role coverage, contact overlap",
    query: DashboardQuery,
  },
  { method: "get", path: "/api/dashboard/export.csv", tag: "dashboard", summary: "The dashboard as CSV", query: DashboardQuery },
  { method: "get", path: "/api/role-templates", tag: "templates", summary: "Role templates (all versions)" },
  {
    method: "post",
    path: "/api/role-templates",
    tag: "templates",
    summary: "Create a draft role template",
    body: TemplateBody,
    permission: "config:write",
    ok: 201,
  },
  { method: "get", path: "/api/role-templates/{id}", tag: "templates", summary: "One role template with its roles" },
  {
    method: "put",
    path: "/api/role-templates/{id}",
    tag: "templates",
    summary: "Edit a draft; editing a live template creates the next draft version",
    body: TemplateBody,
    permission: "config:write",
  },
  {
    method: "post",
    path: "/api/role-templates/{id}/publish",
    tag: "templates",
    summary: "Make a draft live; groups move to it and are recomputed",
    permission: "config:write",
  },
  {
    method: "delete",
    path: "/api/role-templates/{id}",
    tag: "templates",
    summary: "Delete an unused template (409 lists its users)",
    permission: "config:write",
    ok: 204,
  },
  {
    method: "get",
    path: "/api/solution-interests",
    tag: "solution interests",
    summary: "Solution interests with their group counts; ?q= searches name, description, keywords and products",
    query: SolutionInterestListQuery,
  },
  {
    method: "post",
    path: "/api/solution-interests",
    tag: "solution interests",
    summary: "Create a solution interest on a live role template",
    body: SolutionInterestBody,
    permission: "config:write",
    ok: 201,
  },
  { method: "get", path: "/api/solution-interests/{id}", tag: "solution interests", summary: "One solution interest" },
  { method: "get", path: "/api/journeys", tag: "journeys", summary: "Journeys" },
  {
    method: "post",
    path: "/api/journeys/{id}/actions",
    tag: "journeys",
    summary: "A journey's assign / remove action (source 'journey')",
    body: JourneyActionBody,
    permission: "journeys:act",
  },
  { method: "get", path: "/api/workspaces", tag: "emails", summary: "Email workspaces with their email counts" },
  {
    method: "post",
    path: "/api/workspaces",
    tag: "emails",
    summary: "Create a workspace",
    body: WorkspaceBody,
    permission: "emails:write",
    ok: 201,
  },
  {
    method: "get",
    path: "/api/emails",
    tag: "emails",
    summary: "Emails of a workspace (sales see approved ones only)",
    query: EmailListQuery,
  },
  {
    method: "post",
    path: "/api/emails",
    tag: "emails",
    summary: 'Create a draft email with {{person.firstName | "fallback"}} tokens',
    body: CreateEmailBody,
    permission: "emails:write",
    ok: 201,
  },
  { method: "get", path: "/api/emails/{id}", tag: "emails", summary: "One email" },
  {
    method: "patch",
    path: "/api/emails/{id}",
    tag: "emails",
    summary: "Edit an email; changing the subject or a body of an approved email returns it to draft",
    body: UpdateEmailBody,
    permission: "emails:write",
  },
  {
    method: "post",
    path: "/api/emails/{id}/approve",
    tag: "emails",
    summary: "Approve an email (keeps who and when)",
    permission: "emails:write",
  },
  {
    method: "post",
    path: "/api/emails/{id}/preview",
    tag: "emails",
    summary: "Render an email for one member of a group",
    body: PreviewEmailBody,
    permission: "emails:send",
  },
  {
    method: "post",
    path: "/api/groups/{id}/emails",
    tag: "emails",
    summary:
      "Send an approved email to at most 50 members (Idempotency-Key header or idempotencyKey; a replay sends nothing new); skipped members come back with the reason",
    body: SendEmailBody,
    permission: "emails:send",
    ok: 202,
  },
  {
    method: "get",
    path: "/api/groups/{id}/emails",
    tag: "emails",
    summary: "The group's outbox: queued, sent and failed messages with attempts and last error",
    query: OutboxQuery,
  },
  ...LIFECYCLE_ROUTE_DOCS,
  ...USER_ROUTE_DOCS,
  ...SECURITY_ROUTE_DOCS,
  ...SSO_ROUTE_DOCS,
  ...CONNECTION_ROUTE_DOCS,
  ...EVENT_SOURCE_ROUTE_DOCS,
];

/** Each documented route with its body limit and per-item array, as the input guard applies them. */
export function routeInputRules(docs: readonly RouteDoc[] = ROUTE_DOCS): Array<RouteInputRules & { maxBodyBytes: number }> {
  return docs.map((r) => {
    const key = `${r.method} ${r.path}`;
    return {
      method: r.method,
      path: r.path,
      maxBodyBytes: r.maxBodyBytes ?? ROUTE_BODY_LIMITS[key] ?? DEFAULT_BODY_LIMIT,
      perItem: r.perItem ?? ROUTE_PER_ITEM[key],
    };
  });
}

const ErrorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details"],
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
    },
  },
};

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input") {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" });
}

export function buildOpenApi() {
  const paths: Record<string, Record<string, unknown>> = {};
  const rules = routeInputRules();
  for (const [i, r] of ROUTE_DOCS.entries()) {
    const { maxBodyBytes, perItem } = rules[i]!;
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const query = r.query ? jsonSchema(r.query) : null;
    const queryParams =
      query && typeof query === "object" && "properties" in query && query.properties
        ? Object.entries(query.properties as Record<string, unknown>).map(([name, schema]) => ({
            name,
            in: "query",
            required: false,
            schema,
          }))
        : [];
    const ok = r.ok ?? 200;
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      tags: [r.tag],
      summary: r.summary,
      description: [
        r.permission ? `Requires the '${r.permission}' permission.` : "",
        r.method === "get"
          ? ""
          : `Body limit ${formatBytes(maxBodyBytes)} (413 above it); JSON nested at most ${MAX_JSON_DEPTH} levels.`,
        perItem ? `Each item of '${perItem}' is validated on its own: bad items are reported, the others stored.` : "",
      ]
        .filter(Boolean)
        .join(" "),
      ...(r.method === "get" ? {} : { "x-max-body-bytes": maxBodyBytes }),
      parameters: [...params, ...queryParams],
      requestBody: r.body ? { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } : undefined,
      responses: {
        [ok]: { description: ok === 204 ? "No content" : "OK" },
        "400": {
          description: "Invalid input; details.issues names each field",
          content: { "application/json": { schema: ErrorSchema } },
        },
        "401": { description: "Missing or invalid token", content: { "application/json": { schema: ErrorSchema } } },
        "403": {
          description: "The caller's role lacks the permission",
          content: { "application/json": { schema: ErrorSchema } },
        },
        "404": { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
        ...(r.method === "get"
          ? {}
          : {
              "413": {
                description: `The body is larger than ${formatBytes(maxBodyBytes)}`,
                content: { "application/json": { schema: ErrorSchema } },
              },
            }),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Quorum API",
      version: API_VERSION,
      description: "Buying groups for the CRM page a sales rep already has open.",
    },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/health": {
        get: { summary: "Liveness and version (no token needed)", security: [], responses: { "200": { description: "OK" } } },
      },
      ...paths,
    },
  };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A readable, self-contained API page (no CDN: works offline). */
export function renderDocsPage(): string {
  const rows = ROUTE_DOCS.map(
    (r) =>
      `<tr><td><code>${r.method.toUpperCase()}</code></td><td><code>${esc(r.path)}</code></td><td>${esc(r.summary)}</td><td>${r.permission ? `<code>${esc(r.permission)}</code>` : ""}</td></tr>`,
  ).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quorum API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1c2230}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:.4rem .6rem;text-align:left;vertical-align:top}code{font-size:13px}</style></head>
<body><h1>Quorum API ${esc(API_VERSION)}</h1>
<p>Send <code>Authorization: Bearer &lt;token&gt;</code> on every call but <code>/health</code>. Errors are always <code>{"error":{"code","message","details"}}</code>; a 400 lists each bad field in <code>details.issues</code>. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What it does</th><th>Permission</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}
