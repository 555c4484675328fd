import { type Kysely, PostgresAdapter, sql } from "kysely";

// Frozen in time: never import application code here. PostgreSQL only (issue 17): room on each page for
// the new versions of the rows ingest rewrites in every request, so PostgreSQL can update them in place
// ("HOT" updates: no new index entries, and the old versions are pruned on the page without VACUUM).
//
// - `buying_groups`: every ingest request moves the engagement of the groups of the people it touches, and
//   bumps `details_version`; with full pages each such update wrote new entries in all four indexes and
//   left a dead row behind (the table grew from 13 to 506 MB in the full-size bench).
// - `activity_daily`: the rollup upsert adds to `count` of an existing (person, day, type) row.
//
// Existing pages keep their rows until they are rewritten (`VACUUM FULL buying_groups, activity_daily`, see
// docs/postgresql.md); rows written from now on leave the room. SQLite has no such setting: nothing to do.
const FILLFACTOR: Record<string, number> = { buying_groups: 50, activity_daily: 70 };

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, fill] of Object.entries(FILLFACTOR))
    await sql`alter table ${sql.table(table)} set (fillfactor = ${sql.lit(fill)})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of Object.keys(FILLFACTOR)) await sql`alter table ${sql.table(table)} reset (fillfactor)`.execute(db);
}
