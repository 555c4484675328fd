import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Every table, as Kysely sees it. Portable types only: ids are text, times are ISO-8601 UTC text
 * (sortable), days are `YYYY-MM-DD` text, booleans are 0/1 integers, JSON is text.
 * Rows map to domain objects in the repos; these types never leave `server/`.
 */
export interface Database {
  accounts: AccountsTable;
  account_crm_links: AccountCrmLinksTable;
  people: PeopleTable;
  activity_types: ActivityTypesTable;
  activities: ActivitiesTable;
  activity_daily: ActivityDailyTable;
  solution_interests: SolutionInterestsTable;
  role_templates: RoleTemplatesTable;
  template_roles: TemplateRolesTable;
  stage_models: StageModelsTable;
  stages: StagesTable;
  stage_transitions: StageTransitionsTable;
  buying_groups: BuyingGroupsTable;
  group_members: GroupMembersTable;
  group_role_fill: GroupRoleFillTable;
  group_stage_history: GroupStageHistoryTable;
  journeys: JourneysTable;
  account_journeys: AccountJourneysTable;
  workspaces: WorkspacesTable;
  emails: EmailsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  lifecycle_jobs: LifecycleJobsTable;
  stage_rules: StageRulesTable;
  events: EventsTable;
  intent_signals: IntentSignalsTable;
  email_send_requests: EmailSendRequestsTable;
  email_outbox: EmailOutboxTable;
  email_opt_outs: EmailOptOutsTable;
  app_settings: AppSettingsTable;
  schedule_runs: ScheduleRunsTable;
  sso_identities: SsoIdentitiesTable;
  sso_sessions: SsoSessionsTable;
  sso_refresh_tokens: SsoRefreshTokensTable;
  // CRM connections (migration 0010, server/connectors/)
  crm_connections: CrmConnectionsTable;
  crm_oauth_states: CrmOauthStatesTable;
  crm_sync_runs: CrmSyncRunsTable;
  crm_sync_state: CrmSyncStateTable;
  person_crm_links: PersonCrmLinksTable;
  crm_owners: CrmOwnersTable;
  crm_opportunities: CrmOpportunitiesTable;
  crm_opportunity_contacts: CrmOpportunityContactsTable;
  crm_activity_mappings: CrmActivityMappingsTable;
  crm_writeback_outbox: CrmWritebackOutboxTable;
  event_sources: EventSourcesTable;
  event_identities: EventIdentitiesTable;
  event_held: EventHeldTable;
  event_mappings: EventMappingsTable;
  event_unmapped: EventUnmappedTable;
  // Background work (migration 0016_jobs, server/workers/)
  background_jobs: BackgroundJobsTable;
}

export interface AccountsTable {
  id: string;
  name: string;
  /** Lower-case web domain without scheme or `www.`, e.g. `acme.com`. */
  domain: string | null;
  industry: string | null;
  market_segment: string | null;
  country: string | null;
  annual_revenue: number | null;
  parent_id: string | null;
  open_opportunities_count: number;
  open_opportunities_amount: number;
  /** ISO 4217 code of the account's amounts, e.g. `EUR`; null when unknown (migration 0012). */
  currency: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountCrmLinksTable {
  crm: string;
  record_id: string;
  account_id: string;
  created_at: string;
  /** The CRM parent record of a synced account (migration 0010). */
  parent_record_id: string | null;
}

export interface PeopleTable {
  id: string;
  account_id: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  job_title: string | null;
  department: string | null;
  seniority: string | null;
  country: string | null;
  source: string;
  /** `active`, `left_company` or `bounced`. */
  status: string;
  /** JSON object of custom attributes. */
  attributes: string;
  created_at: string;
  updated_at: string;
}

export interface ActivityTypesTable {
  id: string;
  name: string;
  description: string;
  engagement_type: string;
  daily_cap: number;
  weight: number;
  counts_toward_engagement: number;
  builtin: number;
  created_at: string;
}

export interface ActivitiesTable {
  /** The source system's id; ingest is idempotent on it. */
  external_id: string;
  person_id: string;
  type_id: string;
  occurred_at: string;
  /** Calendar day in the organisation's time zone at ingest. */
  day: string;
  /** JSON: keywords, product, url, … */
  metadata: string | null;
  ingested_at: string;
}

/** Daily rollup per (person, type, day): what engagement scoring reads. */
export interface ActivityDailyTable {
  person_id: string;
  type_id: string;
  day: string;
  count: number;
}

export interface SolutionInterestsTable {
  id: string;
  name: string;
  description: string;
  role_template_id: string;
  stage_model_id: string | null;
  /** JSON string arrays. */
  keywords: string;
  products: string;
  created_at: string;
  updated_at: string;
}

export interface RoleTemplatesTable {
  id: string;
  /** Versions of one template share a family id. */
  family_id: string;
  version: number;
  name: string;
  description: string;
  /** `draft`, `live` or `retired`. */
  status: string;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TemplateRolesTable {
  template_id: string;
  /** Stable across versions; members reference roles by key. */
  key: string;
  name: string;
  weighting: string;
  members_required: number;
  counts_toward_completeness: number;
  decision_maker: number;
  /** JSON condition tree (see shared/api/templates). */
  conditions: string;
  /** 1 = evaluated first when a person matches several roles. */
  priority: number;
}

export interface StageModelsTable {
  id: string;
  name: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface StagesTable {
  id: string;
  model_id: string;
  name: string;
  /** `entry`, `in_progress`, `success` or `failure`. */
  kind: string;
  position: number;
}

export interface StageTransitionsTable {
  model_id: string;
  from_stage_id: string;
  to_stage_id: string;
}

export interface BuyingGroupsTable {
  id: string;
  account_id: string;
  solution_interest_id: string;
  name: string;
  role_template_id: string;
  stage_id: string | null;
  completeness: number;
  engagement: number;
  engagement_raw: number;
  scores_computed_at: string;
  summary: string | null;
  created_at: string;
  updated_at: string;
  /** Changes with every change to what the group's details show (migration 0006). */
  details_version: Generated<number>;
}

export interface GroupMembersTable {
  group_id: string;
  person_id: string;
  role_key: string;
  /** `active` or `removed`. */
  status: string;
  /** The source that added the person. */
  source: string;
  /** The source of the last change (add, remove or role change); decides precedence. */
  last_change_source: string;
  last_change_at: string;
  last_changed_by: string | null;
  added_at: string;
  removed_at: string | null;
}

/** Whether each role of a group's template is filled; written with completeness. */
export interface GroupRoleFillTable {
  group_id: string;
  role_key: string;
  filled: number;
}

export interface GroupStageHistoryTable {
  id: string;
  group_id: string;
  from_stage_id: string | null;
  to_stage_id: string;
  source: string;
  changed_by: string | null;
  changed_at: string;
}

export interface JourneysTable {
  id: string;
  name: string;
  status: string;
  created_at: string;
}

export interface AccountJourneysTable {
  account_id: string;
  journey_id: string;
  entered_at: string;
  status: string;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: string;
}

export interface EmailsTable {
  id: string;
  workspace_id: string;
  name: string;
  subject: string;
  html_body: string;
  text_body: string;
  status: string;
  approved_by: string | null;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  updated_by: string | null;
}

/** One send request per (user, idempotency key); `response` (JSON) is what a replay returns. */
export interface EmailSendRequestsTable {
  id: string;
  user_id: string;
  idempotency_key: string;
  request_hash: string;
  group_id: string;
  email_id: string;
  response: string;
  created_at: string;
}

/** Rendered messages waiting for (or done with) delivery; `message_id` is fixed at queue time. */
export interface EmailOutboxTable {
  id: string;
  request_id: string;
  message_id: string;
  email_id: string;
  group_id: string;
  person_id: string;
  from_address: string;
  reply_to: string | null;
  to_address: string;
  subject: string;
  html_body: string;
  text_body: string;
  unsubscribe_url: string;
  /** `queued`, `sent` or `failed`. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface EmailOptOutsTable {
  person_id: string;
  email: string | null;
  opted_out_at: string;
  via: string;
}

export interface AppSettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  name: string;
  email: string | null;
  role: string;
  created_at: string;
  /** Set when an admin disabled the user (migration 0015_sso): no sign-in, no refresh, API tokens revoked. */
  disabled_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** Hex digest of the token (see `hash_scheme`); the token itself is shown once and never stored. */
  token_hash: string;
  /** `hmac-sha256` (keyed with the server's token secret) or `sha256` (legacy, upgraded on next use). Migration 0009. */
  hash_scheme: string;
  /** Null: never expires. Migration 0009. */
  expires_at: string | null;
  /** First characters of the token, to tell tokens apart in lists. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_user_id: string | null;
  source: string;
  action: string;
  entity_type: string;
  entity_id: string;
  group_id: string | null;
  details: string;
}

/** Creation / maintenance jobs (migration 0002); see server/lifecycle. */
export interface LifecycleJobsTable {
  id: string;
  kind: string;
  solution_interest_id: string;
  audience: string;
  status: string;
  cursor: string | null;
  total: number;
  done: number;
  groups_created: number;
  members_assigned: number;
  members_removed: number;
  roles_changed: number;
  skipped_changes: number;
  error_count: number;
  errors: string;
  skipped: string;
  trigger: string;
  lease_owner: string | null;
  lease_until: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface StageRulesTable {
  id: string;
  model_id: string;
  from_stage_id: string | null;
  to_stage_id: string;
  min_completeness: number | null;
  min_engagement: number | null;
  requires_open_opportunity: number;
  position: number;
}

export interface EventsTable {
  /** Assigned by the database (identity on PostgreSQL, AUTOINCREMENT on SQLite): the feed's order and cursor. bigint: a string from pg. */
  seq: Generated<number | string>;
  id: string;
  at: string;
  type: string;
  group_id: string | null;
  person_id: string | null;
  source: string;
  data: string;
}

export interface IntentSignalsTable {
  external_id: string;
  account_id: string;
  person_id: string | null;
  type: string;
  topic: string;
  topic_key: string;
  strength: number;
  occurred_at: string;
  origin: string;
  ingested_at: string;
}

export type AccountRow = Selectable<AccountsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type GroupRow = Selectable<BuyingGroupsTable>;
export type MemberRow = Selectable<GroupMembersTable>;
export type TemplateRoleRow = Selectable<TemplateRolesTable>;
export type ActivityTypeRow = Selectable<ActivityTypesTable>;

/** One lease row per scheduled task: each period runs once across every server process. */
export interface ScheduleRunsTable {
  name: string;
  period: string;
  status: string;
  owner: string | null;
  lease_until: string | null;
  started_at: string | null;
  finished_at: string | null;
}

/** Single sign-on (migration 0015_sso, server/sso/). */
export interface SsoIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  email: string;
  created_at: string;
  last_login_at: string;
}

export interface SsoSessionsTable {
  id: string;
  user_id: string;
  client: string;
  created_at: string;
  last_refreshed_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface SsoRefreshTokensTable {
  /** SHA-256 hex of the refresh token (the token is handed out once). */
  token_hash: string;
  session_id: string;
  created_at: string;
  replaced_at: string | null;
}

/** CRM connections (migration 0010); `secrets` is an AES-256-GCM envelope, never returned. */
export interface CrmConnectionsTable {
  id: string;
  crm: string;
  name: string;
  auth_kind: string;
  base_url: string;
  login_url: string | null;
  client_id: string | null;
  username: string | null;
  secrets: string | null;
  status: string;
  status_reason: string | null;
  settings: string;
  /** Event-feed cursor (events.repo `listEvents`) the write-back has enqueued up to. */
  writeback_cursor: string | null;
  last_sync_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CrmOauthStatesTable {
  state: string;
  connection_id: string;
  verifier: string;
  expires_at: string;
}

export interface CrmSyncRunsTable {
  id: string;
  connection_id: string;
  kind: string;
  trigger: string;
  status: string;
  stream: string | null;
  fetched: number;
  written: number;
  deleted: number;
  skipped_count: number;
  api_calls: number;
  skipped: string;
  error: string | null;
  attempts: number;
  not_before: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface CrmSyncStateTable {
  connection_id: string;
  stream: string;
  since: string | null;
  run_id: string | null;
  position: string | null;
  updated_at: string;
}

export interface PersonCrmLinksTable {
  crm: string;
  record_id: string;
  person_id: string;
  crm_role: string | null;
  created_at: string;
}

export interface CrmOwnersTable {
  crm: string;
  record_id: string;
  name: string;
  email: string | null;
  active: number;
  updated_at: string;
}

export interface CrmOpportunitiesTable {
  crm: string;
  record_id: string;
  account_id: string | null;
  name: string;
  amount: number | null;
  stage: string | null;
  is_closed: number;
  is_won: number;
  close_date: string | null;
  owner_record_id: string | null;
  updated_at: string;
}

export interface CrmOpportunityContactsTable {
  crm: string;
  opportunity_record_id: string;
  contact_record_id: string;
  role: string | null;
  is_primary: number;
}

export interface CrmActivityMappingsTable {
  crm: string;
  source_key: string;
  type_id: string | null;
  updated_at: string;
}

export interface CrmWritebackOutboxTable {
  id: string;
  connection_id: string;
  event_id: string;
  person_id: string;
  record_id: string;
  value: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** An event source (CDP webhook destination), migration 0017. */
export interface EventSourcesTable {
  id: string;
  name: string;
  /** `active` or `paused`. */
  status: string;
  /** AES-256-GCM envelope of the signing secret (server/connectors/crypto.ts). */
  secret_enc: string;
  secret_hint: string;
  created_at: string;
  updated_at: string;
  rotated_at: string | null;
  last_event_at: string | null;
  events_received: Generated<number>;
}

/** A source's `userId` / `anonymousId` → person (migration 0017). */
export interface EventIdentitiesTable {
  source_id: string;
  /** `user` or `anon`. */
  kind: string;
  key: string;
  person_id: string;
  created_at: string;
}

/** Accepted events waiting for a person (anonymous) or an activity type (unmapped), migration 0017. */
export interface EventHeldTable {
  source_id: string;
  message_id: string;
  anonymous_id: string | null;
  user_id: string | null;
  person_id: string | null;
  event_name: string;
  type_id: string | null;
  occurred_at: string;
  metadata: string | null;
  received_at: string;
}

/** Track event name (key: lower case, trimmed) → activity type; null type: not imported (migration 0017). */
export interface EventMappingsTable {
  event_key: string;
  event_name: string;
  type_id: string | null;
  updated_at: string;
}

export interface EventUnmappedTable {
  event_key: string;
  event_name: string;
  count: number;
  first_seen_at: string;
  last_seen_at: string;
}
/** Work queued for a background worker (migration 0016_jobs, server/workers/). */
export interface BackgroundJobsTable {
  id: string;
  kind: string;
  status: string;
  params: string;
  cursor: string | null;
  done: number;
  total: number;
  result: string | null;
  error: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}
