import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Portable SQL only (SQLite and PostgreSQL).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Creation and maintenance jobs: persisted progress and a cursor so a restarted server resumes.
  await db.schema
    .createTable("lifecycle_jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    /** `creation` or `maintenance`. */
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("solution_interest_id", "text", (c) => c.notNull().references("solution_interests.id").onDelete("cascade"))
    /** JSON audience filter (creation jobs). */
    .addColumn("audience", "text", (c) => c.notNull().defaultTo("{}"))
    /** `queued`, `running`, `cancelling`, `done`, `cancelled` or `failed`. */
    .addColumn("status", "text", (c) => c.notNull())
    /** Last account id (creation) or group id (maintenance) fully processed; work is ordered by id. */
    .addColumn("cursor", "text")
    .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("groups_created", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("members_assigned", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("members_removed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("roles_changed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("skipped_changes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error_count", "integer", (c) => c.notNull().defaultTo(0))
    /** JSON array of the first errors and skipped changes (bounded). */
    .addColumn("errors", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("skipped", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("lifecycle_jobs_interest")
    .on("lifecycle_jobs")
    .columns(["solution_interest_id", "created_at"])
    .execute();
  await db.schema.createIndex("lifecycle_jobs_status").on("lifecycle_jobs").columns(["status", "created_at"]).execute();

  // Automatic stage transitions: when every given threshold holds, move from `from_stage_id` (any if null).
  await db.schema
    .createTable("stage_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("model_id", "text", (c) => c.notNull().references("stage_models.id").onDelete("cascade"))
    .addColumn("from_stage_id", "text", (c) => c.references("stages.id").onDelete("cascade"))
    .addColumn("to_stage_id", "text", (c) => c.notNull().references("stages.id").onDelete("cascade"))
    .addColumn("min_completeness", "double precision")
    .addColumn("min_engagement", "double precision")
    .addColumn("requires_open_opportunity", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("stage_rules_model").on("stage_rules").column("model_id").execute();

  // The event feed automation tools follow: ordered by (at, id), read with an opaque cursor.
  await db.schema
    .createTable("events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    /** `member.assigned`, `member.removed`, `member.role_changed`, `group.stage_changed`. */
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("group_id", "text")
    .addColumn("person_id", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_at_id").on("events").columns(["at", "id"]).execute();

  // Intent signals: ingested (idempotent on external_id) or derived from activity metadata.
  await db.schema
    .createTable("intent_signals")
    .addColumn("external_id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.references("people.id").onDelete("cascade"))
    /** `keyword`, `product` or `solution`. */
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    /** Folded topic (lower case, no accents) used for grouping and matching. */
    .addColumn("topic_key", "text", (c) => c.notNull())
    .addColumn("strength", "integer", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    /** `ingest` or `activity`. */
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("ingested_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("intent_signals_account").on("intent_signals").columns(["account_id", "occurred_at"]).execute();
  await db.schema.createIndex("intent_signals_person").on("intent_signals").columns(["person_id", "occurred_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ["intent_signals", "events", "stage_rules", "lifecycle_jobs"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
