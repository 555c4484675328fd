import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Portable SQL only (SQLite and PostgreSQL).
// CRM connections (Salesforce, HubSpot): credentials (encrypted), sync runs with leases, the stream
// cursors each page commits with its records, contact and opportunity links by (crm, record id), the
// activity-type mapping, and the role write-back outbox. See server/connectors/ and docs/crm-sync.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("crm_connections")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("crm", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    /** `oauth`, `private_app`, `password` or `jwt`. */
    .addColumn("auth_kind", "text", (c) => c.notNull())
    /** Salesforce instance URL / HubSpot API base URL. */
    .addColumn("base_url", "text", (c) => c.notNull())
    /** Salesforce login host (token and authorize endpoints) / HubSpot OAuth host. */
    .addColumn("login_url", "text")
    .addColumn("client_id", "text")
    .addColumn("username", "text")
    /** AES-256-GCM envelope (JSON) of every secret: client secret, tokens, password, private key. */
    .addColumn("secrets", "text")
    /** `connected`, `needs_sign_in` or `error`. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("status_reason", "text")
    /** JSON: schedule, write-back, role mapping. */
    .addColumn("settings", "text", (c) => c.notNull())
    /** Event-feed cursor the write-back has enqueued up to (null: from the connection's creation on). */
    .addColumn("writeback_cursor", "text")
    .addColumn("last_sync_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("crm_connections_crm").on("crm_connections").column("crm").unique().execute();

  // OAuth authorization-code flows in progress: state → PKCE verifier (encrypted), 10 minutes.
  await db.schema
    .createTable("crm_oauth_states")
    .addColumn("state", "text", (c) => c.primaryKey())
    .addColumn("connection_id", "text", (c) => c.notNull().references("crm_connections.id").onDelete("cascade"))
    .addColumn("verifier", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("crm_sync_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("connection_id", "text", (c) => c.notNull().references("crm_connections.id").onDelete("cascade"))
    /** `full` or `incremental`. */
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    /** `queued`, `running`, `done`, `failed`, `paused` (rate limit), `needs_sign_in`. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("stream", "text")
    .addColumn("fetched", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("written", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("skipped_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("api_calls", "integer", (c) => c.notNull().defaultTo(0))
    /** JSON: up to 200 skipped records with the reason. */
    .addColumn("skipped", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("error", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("not_before", "text")
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("crm_sync_runs_connection").on("crm_sync_runs").columns(["connection_id", "created_at"]).execute();
  await db.schema.createIndex("crm_sync_runs_status").on("crm_sync_runs").columns(["status", "created_at"]).execute();

  // Per (connection, stream): the watermark of the last finished pass and the page position of the
  // pass in progress; a page's records and its position commit in one transaction.
  await db.schema
    .createTable("crm_sync_state")
    .addColumn("connection_id", "text", (c) => c.notNull().references("crm_connections.id").onDelete("cascade"))
    .addColumn("stream", "text", (c) => c.notNull())
    .addColumn("since", "text")
    .addColumn("run_id", "text")
    /** JSON page position of the pass in progress (null: the pass has not started). */
    .addColumn("position", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_sync_state_pk", ["connection_id", "stream"])
    .execute();

  // The CRM parent of a synced account, resolved to accounts.parent_id once the parent is synced too.
  await db.schema.alterTable("account_crm_links").addColumn("parent_record_id", "text").execute();

  await db.schema
    .createTable("person_crm_links")
    .addColumn("crm", "text", (c) => c.notNull())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    /** The buying-role value last seen in or written to the CRM (write-back loop detection). */
    .addColumn("crm_role", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("person_crm_links_pk", ["crm", "record_id"])
    .execute();
  await db.schema.createIndex("person_crm_links_person").on("person_crm_links").column("person_id").execute();

  await db.schema
    .createTable("crm_owners")
    .addColumn("crm", "text", (c) => c.notNull())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_owners_pk", ["crm", "record_id"])
    .execute();

  await db.schema
    .createTable("crm_opportunities")
    .addColumn("crm", "text", (c) => c.notNull())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.references("accounts.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("amount", "double precision")
    .addColumn("stage", "text")
    .addColumn("is_closed", "integer", (c) => c.notNull())
    .addColumn("is_won", "integer", (c) => c.notNull())
    .addColumn("close_date", "text")
    .addColumn("owner_record_id", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_opportunities_pk", ["crm", "record_id"])
    .execute();
  await db.schema.createIndex("crm_opportunities_account").on("crm_opportunities").column("account_id").execute();

  await db.schema
    .createTable("crm_opportunity_contacts")
    .addColumn("crm", "text", (c) => c.notNull())
    .addColumn("opportunity_record_id", "text", (c) => c.notNull())
    .addColumn("contact_record_id", "text", (c) => c.notNull())
    .addColumn("role", "text")
    .addColumn("is_primary", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_opportunity_contacts_pk", ["crm", "opportunity_record_id", "contact_record_id"])
    .execute();

  // CRM activity kinds (`task:Call`, `campaign:Attended`, `hubspot:meeting` …) → activity type; null type: not imported.
  await db.schema
    .createTable("crm_activity_mappings")
    .addColumn("crm", "text", (c) => c.notNull())
    .addColumn("source_key", "text", (c) => c.notNull())
    .addColumn("type_id", "text", (c) => c.references("activity_types.id").onDelete("set null"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_activity_mappings_pk", ["crm", "source_key"])
    .execute();

  // One row per membership event to write back; (connection, event) unique: exactly one effect per change.
  await db.schema
    .createTable("crm_writeback_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("connection_id", "text", (c) => c.notNull().references("crm_connections.id").onDelete("cascade"))
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("value", "text")
    /** `queued`, `sent`, `failed`. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .addUniqueConstraint("crm_writeback_outbox_event", ["connection_id", "event_id"])
    .execute();
  await db.schema
    .createIndex("crm_writeback_outbox_due")
    .on("crm_writeback_outbox")
    .columns(["status", "next_attempt_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "crm_writeback_outbox",
    "crm_activity_mappings",
    "crm_opportunity_contacts",
    "crm_opportunities",
    "crm_owners",
    "person_crm_links",
    "crm_sync_state",
    "crm_sync_runs",
    "crm_oauth_states",
    "crm_connections",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.alterTable("account_crm_links").dropColumn("parent_record_id").execute();
}
