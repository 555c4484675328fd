import { IngestIntentBody } from "../../shared/api/intent";
import { CreateJobBody } from "../../shared/api/jobs";
import { JourneyAccountsBody, JourneyBody } from "../../shared/api/journeys";
import { DeleteSolutionInterestQuery, SolutionInterestBody } from "../../shared/api/solution-interests";
import { ChangeStageBody, StageModelBody } from "../../shared/api/stages";
import { PreviewTemplateBody } from "../../shared/api/templates";
import { EventsQuery } from "../events/events.routes";
import type { RouteDoc } from "../http/openapi";
import { LangQuery, TimelineQuery } from "./group-insights.routes";

// The routes' own query schemas: a copy here drifted from them (the generated bad-input suite found it).
const Lang = LangQuery;
const Timeline = TimelineQuery;

/** Buying-group lifecycle routes (issue 3), spread into ROUTE_DOCS. */
export const LIFECYCLE_ROUTE_DOCS: RouteDoc[] = [
  {
    method: "post",
    path: "/api/role-templates/{id}/preview",
    tag: "templates",
    summary:
      "Which of an account's people the template would put in which role, and which conditions matched (nothing is written)",
    body: PreviewTemplateBody,
  },
  {
    method: "put",
    path: "/api/solution-interests/{id}",
    tag: "solution-interests",
    summary: "Edit a solution interest (its groups are renamed and moved to the new template)",
    body: SolutionInterestBody,
    permission: "config:write",
  },
  {
    method: "delete",
    path: "/api/solution-interests/{id}",
    tag: "solution-interests",
    summary:
      "Delete a solution interest. With groups (409 listing them otherwise) only with ?confirmGroups=<their current number>, by an admin: the groups go too, their history kept in the audit log",
    query: DeleteSolutionInterestQuery,
    permission: "config:write",
    ok: 204,
  },
  {
    method: "get",
    path: "/api/solution-interests/{id}/jobs",
    tag: "jobs",
    summary: "Creation and maintenance jobs of a solution interest, newest first",
  },
  {
    method: "post",
    path: "/api/solution-interests/{id}/jobs",
    tag: "jobs",
    summary: "Queue a creation job (audience of accounts) or a maintenance job; runs in the background",
    body: CreateJobBody,
    permission: "config:write",
    ok: 202,
  },
  {
    method: "get",
    path: "/api/jobs/{id}",
    tag: "jobs",
    summary: "A job with its persisted progress, errors and skipped changes",
  },
  {
    method: "post",
    path: "/api/jobs/{id}/cancel",
    tag: "jobs",
    summary: "Cancel a queued or running job",
    permission: "config:write",
  },
  {
    method: "delete",
    path: "/api/jobs/{id}",
    tag: "jobs",
    summary: "Delete a finished job's record",
    permission: "config:write",
    ok: 204,
  },
  {
    method: "get",
    path: "/api/stage-models",
    tag: "stages",
    summary: "Stage models with stages, transitions and automatic rules",
  },
  {
    method: "post",
    path: "/api/stage-models",
    tag: "stages",
    summary: "Create a draft stage model",
    body: StageModelBody,
    permission: "config:write",
    ok: 201,
  },
  { method: "get", path: "/api/stage-models/{id}", tag: "stages", summary: "One stage model" },
  {
    method: "put",
    path: "/api/stage-models/{id}",
    tag: "stages",
    summary: "Edit a draft stage model (a live one is immutable: 409)",
    body: StageModelBody,
    permission: "config:write",
  },
  {
    method: "post",
    path: "/api/stage-models/{id}/publish",
    tag: "stages",
    summary: "Make a draft stage model live",
    permission: "config:write",
  },
  {
    method: "delete",
    path: "/api/stage-models/{id}",
    tag: "stages",
    summary: "Delete an unused stage model",
    permission: "config:write",
    ok: 204,
  },
  {
    method: "get",
    path: "/api/groups/{id}/stage",
    tag: "stages",
    summary: "A group's stage, allowed next stages and stage history",
  },
  {
    method: "post",
    path: "/api/groups/{id}/stage",
    tag: "stages",
    summary: "Move a group to a stage (409 with the allowed targets if the transition is not allowed)",
    body: ChangeStageBody,
    permission: "groups:write",
  },
  {
    method: "get",
    path: "/api/groups/{id}/summaries",
    tag: "groups",
    summary: "Generated group and account summaries in en, nl, sv or fr",
    query: Lang,
  },
  {
    method: "get",
    path: "/api/groups/{id}/members/{personId}/summary",
    tag: "members",
    summary: "Generated member summary in en, nl, sv or fr",
    query: Lang,
  },
  {
    method: "get",
    path: "/api/groups/{id}/intent",
    tag: "intent",
    summary: "Intent levels of a group (members' and account-wide signals)",
  },
  {
    method: "get",
    path: "/api/groups/{id}/next-role",
    tag: "groups",
    summary: "Roles to fill next, the completeness each adds and ranked contacts",
  },
  {
    method: "get",
    path: "/api/groups/{id}/stale-members",
    tag: "members",
    summary: "Members with no activity in the window, left the company or bounced",
  },
  {
    method: "get",
    path: "/api/groups/{id}/duplicates",
    tag: "members",
    summary: "Likely duplicate members (same email or same normalised name)",
  },
  {
    method: "get",
    path: "/api/groups/{id}/timeline",
    tag: "groups",
    summary: "Audit timeline of the group: who, what, when, source",
    query: Timeline,
  },
  {
    method: "post",
    path: "/api/journeys",
    tag: "journeys",
    summary: "Create a journey",
    body: JourneyBody,
    permission: "config:write",
    ok: 201,
  },
  { method: "get", path: "/api/journeys/{id}", tag: "journeys", summary: "One journey" },
  {
    method: "put",
    path: "/api/journeys/{id}",
    tag: "journeys",
    summary: "Rename a journey or change its status",
    body: JourneyBody,
    permission: "config:write",
  },
  {
    method: "delete",
    path: "/api/journeys/{id}",
    tag: "journeys",
    summary: "Delete a journey",
    permission: "config:write",
    ok: 204,
  },
  { method: "get", path: "/api/journeys/{id}/accounts", tag: "journeys", summary: "Accounts in a journey, latest first" },
  {
    method: "post",
    path: "/api/journeys/{id}/accounts",
    tag: "journeys",
    summary: "Put accounts in a journey (or change their status in it)",
    body: JourneyAccountsBody,
    permission: "journeys:act",
  },
  {
    method: "get",
    path: "/api/events",
    tag: "events",
    summary: "Event feed (member assigned/removed, role changed, stage changed), oldest first; pass `next` back as `after`",
    query: EventsQuery,
  },
  {
    method: "post",
    path: "/api/intent/signals",
    tag: "intent",
    summary: "Ingest up to 5 000 intent signals, idempotent on externalId",
    body: IngestIntentBody,
    permission: "activities:write",
  },
  {
    method: "post",
    path: "/api/intent/derive",
    tag: "intent",
    summary: "Derive intent signals from activity metadata (keywords, product) in the window; idempotent",
    permission: "activities:write",
  },
  {
    method: "get",
    path: "/api/intent/accounts/{id}",
    tag: "intent",
    summary: "An account's intent levels and predicted solution interest with confidence",
  },
];
