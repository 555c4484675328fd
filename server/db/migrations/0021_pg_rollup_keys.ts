import { type Kysely, PostgresAdapter, sql } from "kysely";

// Frozen in time: never import application code here. PostgreSQL only (issue 17, ingest speed).
// The daily rollup `activity_daily` is derived from `activities`: every row is written in the transaction that
// stores (or moves, or recomputes) the activities it counts, and those activities' own foreign keys have just
// checked (and key-share locked) the same person and activity type. On PostgreSQL each new rollup row still ran
// two more referential-integrity checks (one query each, per row): inserting 200 000 new rollup rows took 5.0 s
// with them and 2.3 s without (measured on this machine); in the full bench the rollup upsert was a quarter of
// the ingest. So the rollup's two foreign keys become triggers that keep what they promised, per statement:
// - deleting people deletes their rollup rows (was ON DELETE CASCADE), after the statement, from its transition
//   table: one statement however many people go;
// - deleting an activity type that rollup rows still count is refused with foreign_key_violation (was NO ACTION).
// Inserting a rollup row for an unknown person or type is no longer refused by the database; the one writer of
// rollup rows (server/activities, server/scores, server/connectors) only writes rows counted from activities.
// SQLite keeps its foreign keys (checked in-process, a B-tree probe each).

/** One statement-level AFTER DELETE trigger per parent table, reading the deleted rows from `gone`. */
const TRIGGERS = [
  {
    name: "quorum_rollup_people_gone",
    table: "people",
    gone: "quorum_people_gone",
    body: `begin
           delete from activity_daily d using quorum_people_gone g where d.person_id = g.id;
           return null;
         end`,
  },
  {
    name: "quorum_rollup_types_gone",
    table: "activity_types",
    gone: "quorum_types_gone",
    body: `declare t text;
         begin
           select d.type_id into t from activity_daily d join quorum_types_gone g on d.type_id = g.id limit 1;
           if t is not null then
             raise exception 'activity type % is still counted in activity_daily', t
               using errcode = 'foreign_key_violation', table = 'activity_daily';
           end if;
           return null;
         end`,
  },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const fks = await sql<{ conname: string }>`
    select conname from pg_constraint
    where conrelid = 'activity_daily'::regclass and contype = 'f'`.execute(db);
  for (const { conname } of fks.rows)
    await sql.raw(`alter table activity_daily drop constraint "${conname.replaceAll('"', '""')}"`).execute(db);
  for (const t of TRIGGERS) {
    await sql
      .raw(
        `create or replace function ${t.name}() returns trigger language plpgsql as $$
         ${t.body}
         $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${t.name} after delete on ${t.table} referencing old table as ${t.gone}
         for each statement execute procedure ${t.name}()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const t of TRIGGERS) {
    await sql.raw(`drop trigger if exists ${t.name} on ${t.table}`).execute(db);
    await sql.raw(`drop function if exists ${t.name}()`).execute(db);
  }
  await sql
    .raw(
      `alter table activity_daily
         add constraint activity_daily_person_id_fkey foreign key (person_id) references people(id) on delete cascade,
         add constraint activity_daily_type_id_fkey foreign key (type_id) references activity_types(id)`,
    )
    .execute(db);
}
