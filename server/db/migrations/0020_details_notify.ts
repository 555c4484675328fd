import { type Kysely, PostgresAdapter, sql } from "kysely";

// Frozen in time: never import application code here. PostgreSQL only (issue 17): every change of a group's
// `details_version` (migration 0006: bumped in the same transaction as every change to what the group's
// details show) and every deleted group is announced with NOTIFY on the channel `qd:<md5 of the table's schema>`
// (one channel per schema, always a valid channel name), payload `v:<id>,<id>,…` (at most 200 ids per notification, far below NOTIFY's 8 000-byte limit).
// PostgreSQL delivers notifications at commit, in commit order, and drops them with a rolled-back
// transaction. Each server's details feed (server/groups/details-feed.ts) listens and stops trusting its
// cached details of those groups. Statement-level triggers with transition tables: one trigger call per
// statement, however many rows a job updates. A column list is not allowed with transition tables, so every
// updated group is named (nearly every update of a group moves its version anyway; naming one that did not
// only costs that group one version read). Comparing old and new versions instead meant joining the two
// transition tables, which PostgreSQL (no statistics on them) ran as a nested loop: copy-data's template
// roles, each bumping 30 000 groups, took minutes instead of a second.
/** The update trigger reads the new rows, the delete trigger the old ones. */
const TRIGGERS = [
  { event: "update", rows: "new" },
  { event: "delete", rows: "old" },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const { event, rows } of TRIGGERS) {
    const name = `quorum_details_notify_${event}`;
    await sql
      .raw(
        `create or replace function ${name}() returns trigger language plpgsql as $$
         declare ids text[]; i int;
         begin
           select array_agg(id) into ids from quorum_details_${rows};
           if ids is null then return null; end if;
           for i in 1 .. array_length(ids, 1) by 200 loop
             perform pg_notify('qd:' || md5(TG_TABLE_SCHEMA), 'v:' || array_to_string(ids[i:i + 199], ','));
           end loop;
           return null;
         end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${name} after ${event} on buying_groups referencing ${rows} table as quorum_details_${rows}
         for each statement execute procedure ${name}()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const { event } of TRIGGERS) {
    await sql.raw(`drop trigger if exists quorum_details_notify_${event} on buying_groups`).execute(db);
    await sql.raw(`drop function if exists quorum_details_notify_${event}()`).execute(db);
  }
}
