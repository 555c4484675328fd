import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Background work off the request path.
//
// `background_jobs`: work the API queues and a background worker (a worker thread of `serve`, or a
// separate `quorum worker` process) claims with a lease, like `lifecycle_jobs`. Today one kind:
// `recompute` (every group's scores, a page at a time; `cursor` is the last group id written, so a
// worker that dies is resumed from there by the next one).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("background_jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    /** `queued`, `running`, `done` or `failed`. */
    .addColumn("status", "text", (c) => c.notNull())
    /** JSON: the job's input (for `recompute`, the time the scores are computed as of). */
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("cursor", "text")
    .addColumn("done", "integer", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    /** JSON: what the finished job reports. */
    .addColumn("result", "text")
    .addColumn("error", "text")
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("background_jobs_status").on("background_jobs").columns(["status", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("background_jobs").execute();
}
