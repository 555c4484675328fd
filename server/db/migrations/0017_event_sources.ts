import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Event sources (issue 14), see server/event-sources/.
//
// 1. `event_sources`: one per CDP connection (Segment, RudderStack, Jitsu …); the signing secret is kept
//    AES-256-GCM encrypted with the connector key (HMAC needs the secret itself, a hash would not do).
// 2. `event_identities`: which person a source's `userId` or `anonymousId` is (learnt from identify calls).
// 3. `event_held`: accepted events that cannot become activities yet: anonymous (no person known) or
//    unmapped (track name without an activity type). Released into `activities` once both are known;
//    dropped by the scheduled clean-up after the engagement window. (source_id, message_id) is the
//    idempotency key of held messages (activities use `external_id` = `evt:<source>:<messageId>`).
// 4. `event_mappings`: admin-edited track event name → activity type (null: deliberately not imported).
// 5. `event_unmapped`: how often each unmapped track name arrived, for the console.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("event_sources")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    /** `active` or `paused`. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("secret_enc", "text", (c) => c.notNull())
    /** The first characters of the secret, to recognise it (`qes_ab12…`). */
    .addColumn("secret_hint", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("rotated_at", "text")
    .addColumn("last_event_at", "text")
    .addColumn("events_received", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("event_identities")
    .addColumn("source_id", "text", (c) => c.notNull().references("event_sources.id").onDelete("cascade"))
    /** `user` (userId) or `anon` (anonymousId). */
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("event_identities_pk", ["source_id", "kind", "key"])
    .execute();
  await db.schema.createIndex("event_identities_person").on("event_identities").column("person_id").execute();

  await db.schema
    .createTable("event_held")
    .addColumn("source_id", "text", (c) => c.notNull().references("event_sources.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("anonymous_id", "text")
    .addColumn("user_id", "text")
    .addColumn("person_id", "text", (c) => c.references("people.id").onDelete("cascade"))
    .addColumn("event_name", "text", (c) => c.notNull())
    .addColumn("type_id", "text", (c) => c.references("activity_types.id").onDelete("set null"))
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("metadata", "text")
    .addColumn("received_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("event_held_pk", ["source_id", "message_id"])
    .execute();
  await db.schema.createIndex("event_held_anonymous").on("event_held").columns(["source_id", "anonymous_id"]).execute();
  await db.schema.createIndex("event_held_name").on("event_held").columns(["event_name", "type_id"]).execute();
  await db.schema.createIndex("event_held_occurred").on("event_held").column("occurred_at").execute();

  await db.schema
    .createTable("event_mappings")
    .addColumn("event_key", "text", (c) => c.primaryKey())
    .addColumn("event_name", "text", (c) => c.notNull())
    .addColumn("type_id", "text", (c) => c.references("activity_types.id").onDelete("set null"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("event_unmapped")
    .addColumn("event_key", "text", (c) => c.primaryKey())
    .addColumn("event_name", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ["event_unmapped", "event_mappings", "event_held", "event_identities", "event_sources"])
    await db.schema.dropTable(t).execute();
}
