import { type Kysely, PostgresAdapter, sql } from "kysely";

// Frozen in time. Ingest speed: every batch of activities moved thousands of stored person scores,
// and each moved score rewrote a whole `people` row (names, title, attributes …), so a batch dirtied
// most of the people table's pages.
// 1. Person (lead) scores are no longer stored: they are computed from the daily rollup wherever they
//    are shown (a handful of rows per person). `people.score` and `people.score_computed_at` are
//    dropped. Group scores stay stored (lists sort and filter by them).
// 2. SQLite: the daily rollup becomes a WITHOUT ROWID table (its primary key was a second b-tree
//    beside the rows, so each upsert wrote two). PostgreSQL has no such choice and keeps its table.
// 3. `group_members_person_status` also covers `role_key`, so "the groups and roles of these people"
//    (every ingest asks it) is read from the index alone.
const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("people").dropColumn("score").execute();
  await db.schema.alterTable("people").dropColumn("score_computed_at").execute();

  if (!isPostgres(db)) {
    await sql`create table activity_daily_new (
      person_id text not null references people(id) on delete cascade,
      type_id text not null references activity_types(id),
      day text not null,
      count integer not null,
      constraint activity_daily_pk primary key (person_id, day, type_id)
    ) without rowid`.execute(db);
    await sql`insert into activity_daily_new (person_id, type_id, day, count)
      select person_id, type_id, day, count from activity_daily`.execute(db);
    await sql`drop table activity_daily`.execute(db);
    await sql`alter table activity_daily_new rename to activity_daily`.execute(db);
  }

  await db.schema.dropIndex("group_members_person_status").execute();
  await db.schema
    .createIndex("group_members_person_status")
    .on("group_members")
    .columns(["person_id", "status", "group_id", "role_key"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("group_members_person_status").execute();
  await db.schema
    .createIndex("group_members_person_status")
    .on("group_members")
    .columns(["person_id", "status", "group_id"])
    .execute();
  // Scores come back as never computed (0); `npm run quorum -- recompute` on the older version fills them.
  await db.schema
    .alterTable("people")
    .addColumn("score", "double precision", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("people").addColumn("score_computed_at", "text").execute();
  // The SQLite rollup stays WITHOUT ROWID: same columns and key, nothing reads it differently.
}
