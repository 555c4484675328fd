import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Portable SQL only (SQLite and PostgreSQL).
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per send request, keyed by the caller's idempotency key: a replay returns `response`.
  await db.schema
    .createTable("email_send_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    /** SHA-256 of the canonical request body: the same key with another body is a conflict. */
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("group_id", "text", (c) => c.notNull())
    .addColumn("email_id", "text", (c) => c.notNull())
    .addColumn("response", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("email_send_requests_key", ["user_id", "idempotency_key"])
    .execute();

  // The outbox: every message rendered at queue time, with its stable Message-ID.
  await db.schema
    .createTable("email_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("request_id", "text", (c) => c.notNull().references("email_send_requests.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("email_id", "text", (c) => c.notNull())
    .addColumn("group_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("from_address", "text", (c) => c.notNull())
    .addColumn("reply_to", "text")
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("unsubscribe_url", "text", (c) => c.notNull())
    /** `queued`, `sent` or `failed`. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    /** A worker's claim: until `lease_until` only `lease_owner` may deliver the row. */
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("email_outbox_due").on("email_outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("email_outbox_person").on("email_outbox").columns(["person_id", "created_at"]).execute();
  await db.schema.createIndex("email_outbox_group").on("email_outbox").columns(["group_id", "created_at"]).execute();

  await db.schema
    .createTable("email_opt_outs")
    .addColumn("person_id", "text", (c) => c.primaryKey())
    .addColumn("email", "text")
    .addColumn("opted_out_at", "text", (c) => c.notNull())
    .addColumn("via", "text", (c) => c.notNull())
    .execute();

  // Server-wide settings generated once (e.g. the secret that signs unsubscribe links).
  await db.schema
    .createTable("app_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("emails").addColumn("created_by", "text").execute();
  await db.schema.alterTable("emails").addColumn("updated_by", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("emails").dropColumn("updated_by").execute();
  await db.schema.alterTable("emails").dropColumn("created_by").execute();
  for (const t of ["app_settings", "email_opt_outs", "email_outbox", "email_send_requests"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
