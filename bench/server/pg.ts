import pg from "pg";
import type { Scale } from "./dataset";
import { activityBatches } from "./phases";

/**
 * PostgreSQL counterparts of the bench's baselines (`--database-url postgres://…`): the same rows
 * through one plain multi-row INSERT per 10 000-row batch (`unnest` of arrays, one transaction per
 * batch, no ORM) into an empty copy of the activities table with the same indexes and foreign keys;
 * and the same GROUP BY pass.
 */

/** The schema named by `?options=-c search_path=…`, if any (created when missing). */
export function searchPath(url: string): string | null {
  const options = new URL(url).searchParams.get("options") ?? "";
  return /search_path=([A-Za-z0-9_]+)/.exec(options)?.[1] ?? null;
}

export async function ensureSchema(url: string): Promise<void> {
  const schema = searchPath(url);
  if (!schema) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema if not exists ${schema}`);
  await client.end();
}

export async function pgRawInsertPhase(
  url: string,
  people: Array<{ key: string; id: string; country: string }>,
  scale: Scale,
  end: Date,
  withForeignKeys = true,
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("drop table if exists bench_raw_activities");
  // Same columns, keys, indexes and foreign keys as the real table ("the same rows into the same tables":
  // a plain load into `activities` pays the same two foreign-key checks per row that the service pays).
  // Without the foreign keys this load is about 2.5× faster on PostgreSQL (per-row RI triggers); SQLite's
  // baseline turns them off, where they cost next to nothing. `--raw-without-fk` measures that variant.
  await client.query("create table bench_raw_activities (like activities including defaults including indexes)");
  if (withForeignKeys) {
    await client.query(
      `alter table bench_raw_activities
         add foreign key (person_id) references people (id) on delete cascade,
         add foreign key (type_id) references activity_types (id)`,
    );
  }
  const at = end.toISOString();
  let ms = 0;
  let rows = 0;
  for (const batch of activityBatches(people, scale, end)) {
    const cols: unknown[][] = [[], [], [], [], [], [], []];
    for (const r of batch) {
      cols[0]!.push(r.externalId);
      cols[1]!.push(r.personId);
      cols[2]!.push(r.type);
      cols[3]!.push(r.occurredAt);
      cols[4]!.push(r.occurredAt.slice(0, 10));
      cols[5]!.push(r.metadata ? JSON.stringify(r.metadata) : null);
      cols[6]!.push(at);
    }
    const t = performance.now();
    await client.query("begin");
    await client.query(
      `insert into bench_raw_activities (external_id, person_id, type_id, occurred_at, day, metadata, ingested_at)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      cols,
    );
    await client.query("commit");
    ms += performance.now() - t;
    rows += batch.length;
  }
  await client.query("drop table bench_raw_activities");
  await client.end();
  return { rows, ms, perSecond: Math.round((rows / ms) * 1000) };
}

/**
 * `VACUUM ANALYZE` of every table of the schema: what autovacuum does on a settled database (it is off on this
 * machine's cluster). After copy-data (which empties the tables with DELETE, leaving the previous run's rows
 * dead in the heap and indexes, and no statistics) and after the ingest. Set-up, not measured.
 */
export async function pgVacuumAnalyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = await client.query<{ t: string }>("select tablename as t from pg_tables where schemaname = current_schema()");
  for (const { t } of tables.rows) await client.query(`vacuum analyze "${t}"`);
  await client.end();
}

export async function pgGroupByPhase(url: string) {
  // Fresh statistics for every table (the bench loaded them a moment ago; autovacuum may not have run yet),
  // so this pass, the recompute and the HTTP phase get the plans a settled database would.
  await pgVacuumAnalyze(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  const r = await client.query("select person_id, type_id, day, count(*) as n from activities group by person_id, type_id, day");
  const ms = performance.now() - t;
  await client.end();
  return { groups: r.rowCount ?? 0, ms };
}

export async function pgGroupIds(url: string, n: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const r = await client.query<{ id: string }>("select id from buying_groups order by random() limit $1", [n]);
  await client.end();
  return r.rows.map((row) => row.id);
}
