import { type Kysely, PostgresAdapter, sql } from "kysely";

// Frozen in time: never import application code here. Issue 17, lifecycle jobs on PostgreSQL.
//
// PostgreSQL: the `details_version` bumps for `group_members` (0006) become statement-level triggers
// with transition tables: one UPDATE of each group touched per statement instead of one per member row.
// A job batch writes all its member rows in one statement; with row triggers each of its ~3 000 rows
// updated its group's row again (16 new versions of each group row per batch, bloating `buying_groups`
// and making every later read of it slower). The version still changes in the same transaction as the
// members, so the details cache sees every change. SQLite has row triggers only and keeps those of 0006
// (a row update there is an in-process call, not a new row version to vacuum).

const EVENTS = ["insert", "update", "delete"] as const;
type Event = (typeof EVENTS)[number];

const tables = (event: Event) =>
  event === "insert" ? ["new_rows"] : event === "delete" ? ["old_rows"] : ["old_rows", "new_rows"];
const referencing = (event: Event) =>
  tables(event)
    .map((t) => `${t === "new_rows" ? "new" : "old"} table as ${t}`)
    .join(" ");

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const event of EVENTS) {
    const from = tables(event)
      .map((t) => `select group_id from ${t}`)
      .join(" union ");
    await sql.raw(`drop trigger if exists details_version_members_${event} on group_members`).execute(db);
    await sql.raw(`drop function if exists details_version_members_${event}()`).execute(db);
    await sql
      .raw(
        `create or replace function details_version_members_${event}_stmt() returns trigger language plpgsql as $$ begin
           update buying_groups set details_version = details_version + 1 where id in (${from}); return null; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger details_version_members_${event}_stmt after ${event} on group_members referencing ${referencing(event)}
         for each statement execute procedure details_version_members_${event}_stmt()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const event of EVENTS) {
    await sql.raw(`drop trigger if exists details_version_members_${event}_stmt on group_members`).execute(db);
    await sql.raw(`drop function if exists details_version_members_${event}_stmt()`).execute(db);
    // The row triggers of 0006, as they were.
    const refs = event === "insert" ? ["NEW"] : event === "delete" ? ["OLD"] : ["NEW", "OLD"];
    const where = refs.length === 1 ? `id = ${refs[0]}.group_id` : `id in (${refs.map((r) => `${r}.group_id`).join(", ")})`;
    await sql
      .raw(
        `create or replace function details_version_members_${event}() returns trigger language plpgsql as $$ begin update buying_groups set details_version = details_version + 1 where ${where}; return null; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger details_version_members_${event} after ${event} on group_members for each row execute procedure details_version_members_${event}()`,
      )
      .execute(db);
  }
}
