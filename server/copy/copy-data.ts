import SQLite from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { migrateDatabase } from "../bootstrap";
import type { Config } from "../config";
import { createDb } from "../db/create-db";

export interface CopyReport {
  tables: Array<{ table: string; rows: number }>;
  milliseconds: number;
}

const BATCH = 500;
const INTERNAL = /^(kysely_|sqlite_)/;

/**
 * Tables of the SQLite source in an order where every table comes after the tables it references
 * (self-references are handled by a second pass), read from SQLite's own catalogue.
 */
function sourcePlan(source: SQLite.Database) {
  const tables = (
    source.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>
  )
    .map((t) => t.name)
    .filter((t) => !INTERNAL.test(t));
  const refs = new Map<string, { parents: Set<string>; selfColumns: string[] }>();
  for (const t of tables) {
    const fks = source.prepare(`select "table" as parent, "from" as col from pragma_foreign_key_list(?)`).all(t) as Array<{
      parent: string;
      col: string;
    }>;
    refs.set(t, {
      parents: new Set(fks.filter((f) => f.parent !== t).map((f) => f.parent)),
      selfColumns: fks.filter((f) => f.parent === t).map((f) => f.col),
    });
  }
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t)) return;
    if (path.has(t)) throw new Error(`Foreign keys form a cycle through '${t}'; copy-data cannot order them.`);
    path.add(t);
    for (const p of refs.get(t)?.parents ?? []) if (refs.has(p)) visit(p, path);
    path.delete(t);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered.map((t) => ({ table: t, selfColumns: refs.get(t)?.selfColumns ?? [] }));
}

async function count(db: Kysely<any>, table: string): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * `npm run quorum -- copy-data --from <sqlite file> --to <postgres url>`: migrates the destination to
 * the same schema, refuses a destination that already holds data unless `force`, copies every table
 * in foreign-key order inside one transaction, and checks the row count of every table at the end.
 */
export async function copyData(
  from: string,
  to: string,
  options: { force?: boolean; log?: (s: string) => void } = {},
): Promise<CopyReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const source = new SQLite(from, { readonly: true, fileMustExist: true });
  const destConfig = { database: { kind: "postgres", url: to, poolSize: 4 } } as unknown as Config;
  const dest = createDb(destConfig.database) as unknown as Kysely<any>;
  try {
    await migrateDatabase(dest as never, destConfig);
    const plan = sourcePlan(source);
    const nonEmpty: string[] = [];
    for (const { table } of plan) if ((await count(dest, table)) > 0) nonEmpty.push(table);
    if (nonEmpty.length > 0 && !options.force) {
      throw new Error(
        `The destination already has data (${nonEmpty.slice(0, 5).join(", ")}${nonEmpty.length > 5 ? ", …" : ""}). Use an empty database, or pass --force to replace it.`,
      );
    }
    const tables: CopyReport["tables"] = [];
    await dest.transaction().execute(async (trx) => {
      for (const { table } of [...plan].reverse()) await sql`delete from ${sql.table(table)}`.execute(trx);
      for (const { table, selfColumns } of plan) {
        let rows = 0;
        let batch: Record<string, unknown>[] = [];
        const deferred: Array<{ key: Record<string, unknown>; values: Record<string, unknown> }> = [];
        const pk = (
          source.prepare(`select name from pragma_table_info(?) where pk > 0 order by pk`).all(table) as Array<{ name: string }>
        ).map((c) => c.name);
        const flush = async () => {
          if (batch.length) await trx.insertInto(table).values(batch).execute();
          batch = [];
        };
        for (const row of source.prepare(`select * from "${table.replace(/"/g, '""')}"`).iterate() as Iterable<
          Record<string, unknown>
        >) {
          if (selfColumns.length) {
            const values = Object.fromEntries(selfColumns.map((c) => [c, row[c]]));
            if (Object.values(values).some((v) => v !== null)) {
              deferred.push({ key: Object.fromEntries(pk.map((c) => [c, row[c]])), values });
              for (const c of selfColumns) row[c] = null;
            }
          }
          batch.push(row);
          rows++;
          if (batch.length === BATCH) await flush();
        }
        await flush();
        for (const d of deferred) {
          let q = trx.updateTable(table).set(d.values);
          for (const [c, v] of Object.entries(d.key)) q = q.where(c, "=", v);
          await q.execute();
        }
        tables.push({ table, rows });
        log(`${table}: ${rows}`);
      }
      // Identity columns (events.seq) were copied with their values: move each sequence past them.
      const identities = await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and is_identity = 'YES'`.execute(trx);
      for (const { table_name: t, column_name: c } of identities.rows)
        await sql`select setval(pg_get_serial_sequence(${sql.lit(`"${t}"`)}, ${sql.lit(c)}), coalesce((select max(${sql.ref(c)}) from ${sql.table(t)}), 0) + 1, false)`.execute(
          trx,
        );
      for (const t of tables) {
        const n = await count(trx, t.table);
        if (n !== t.rows)
          throw new Error(`Row count check failed for ${t.table}: copied ${t.rows}, destination has ${n}. Nothing was written.`);
      }
    });
    return { tables, milliseconds: Math.round(performance.now() - started) };
  } finally {
    source.close();
    await dest.destroy();
  }
}
