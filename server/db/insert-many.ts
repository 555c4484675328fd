import { CompiledQuery, type InsertQueryBuilder, type InsertResult, sql } from "kysely";
import type { Db } from "./create-db";
import { isPostgres } from "./dialect";
import { runPerRow, runPerRowChanges } from "./per-row";
import type { Database } from "./schema";

type Row<T extends keyof Database> = { [K in keyof Database[T]]: Database[T][K] };

const compiled = new Map<string, string>();

/** A row's values in `columns` order: the parameters of its single-row statement. */
const rowParams = <T extends keyof Database>(r: Row<T>, columns: ReadonlyArray<keyof Database[T] & string>) =>
  columns.map((c) => (r as Record<string, unknown>)[c]);

/**
 * Inserts many rows with SQL compiled by Kysely once per statement and then reused with fresh
 * parameters (building and compiling a multi-row insert costs more than running it). SQLite: one
 * prepared single-row statement per row; PostgreSQL: one `INSERT … SELECT * FROM unnest(<one array
 * per column>)` for all the rows. `finish` adds ON CONFLICT / RETURNING (without parameters).
 */
export async function insertMany<T extends keyof Database, R>(
  db: Db,
  key: string,
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  rows: ReadonlyArray<Row<T>>,
  finish: (q: InsertQueryBuilder<Database, T, InsertResult>) => { compile(): CompiledQuery },
): Promise<R[]> {
  if (rows.length === 0) return [];
  if (!isPostgres(db)) {
    // SQLite runs in-process: one prepared single-row statement per row (see runPerRow).
    const text = compiledText(db, key, table, columns, rows.slice(0, 1), finish);
    return runPerRow<R>(
      db,
      text,
      rows.map((r) => rowParams(r, columns)),
    );
  }
  // PostgreSQL: one statement for all the rows, one array parameter per column
  // (`INSERT … SELECT * FROM unnest($1::text[], $2::integer[], …)`): a single round trip, one parse and
  // plan, and a SQL text whose shape does not depend on the number of rows.
  const types = await pgColumnTypes(db, table);
  const params = columns.map((c) => rows.map((r) => (r as Record<string, unknown>)[c] ?? null));
  const cacheKey = `pg-unnest:${key}`;
  let text = compiled.get(cacheKey);
  if (!text) {
    const arrays = columns.map((c, i) => {
      const type = types.get(c);
      if (!type) throw new Error(`insertMany(${key}): no column ${table}.${c} in the database`);
      return sql`${params[i]}::${sql.raw(`${type}[]`)}`;
    });
    const query = finish(
      db
        .insertInto(table)
        .columns(columns as never)
        .expression(sql`select * from unnest(${sql.join(arrays)})` as never),
    ).compile();
    if (query.parameters.length !== params.length) {
      throw new Error(`insertMany(${key}): finish() must not add parameters (PostgreSQL unnest)`);
    }
    text = query.sql;
    compiled.set(cacheKey, text);
  }
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, params));
  return result.rows;
}

/** Column types of PostgreSQL tables (`format_type`), read once per table and process. */
const pgTypes = new Map<string, Promise<Map<string, string>>>();

function pgColumnTypes(db: Db, table: string): Promise<Map<string, string>> {
  let types = pgTypes.get(table);
  if (!types) {
    types = db
      .executeQuery<{ name: string; type: string }>(
        CompiledQuery.raw(
          `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
           where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped`,
          [table],
        ),
      )
      .then((r) => new Map(r.rows.map((row) => [row.name, row.type])));
    pgTypes.set(table, types);
    types.catch(() => pgTypes.delete(table));
  }
  return types;
}

/**
 * Inserts rows whose `finish` adds `ON CONFLICT … DO NOTHING`, and tells per row whether it went in.
 * SQLite: one single-row statement per row, its change count says (no RETURNING to build); PostgreSQL:
 * one `INSERT … SELECT FROM unnest(…) RETURNING keyColumn` (rows must have distinct keys), and inside a
 * transaction first one plain INSERT of them all (see below).
 */
export async function insertManyInserted<T extends keyof Database>(
  db: Db,
  key: string,
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  rows: ReadonlyArray<Row<T>>,
  keyColumn: keyof Database[T] & string,
  finish: (q: InsertQueryBuilder<Database, T, InsertResult>) => { compile(): CompiledQuery },
): Promise<boolean[]> {
  if (rows.length === 0) return [];
  if (!isPostgres(db)) {
    const text = compiledText(db, key, table, columns, rows.slice(0, 1), finish);
    const changes = await runPerRowChanges(
      db,
      text,
      rows.map((r) => rowParams(r, columns)),
    );
    return changes.map((n) => n > 0);
  }
  if (db.isTransaction) {
    // Most batches are all new: try a plain INSERT first, under a savepoint. ON CONFLICT makes PostgreSQL
    // search the unique index for every row before inserting it and then insert it speculatively (a second
    // descent of the same index, plus a speculative-insertion confirm per row), and RETURNING sends every key
    // back; the plain statement does neither. A batch with a key stored before fails at that row (unique
    // violation, SQLSTATE 23505): back to the savepoint and run the ON CONFLICT … RETURNING statement below.
    await db.executeQuery(CompiledQuery.raw("savepoint insert_many_plain"));
    try {
      await insertMany(db, `${key}:plain`, table, columns, rows, (q) => q);
      await db.executeQuery(CompiledQuery.raw("release savepoint insert_many_plain"));
      return rows.map(() => true);
    } catch (err) {
      if ((err as { code?: string }).code !== "23505") throw err;
      await db.executeQuery(CompiledQuery.raw("rollback to savepoint insert_many_plain"));
    }
  }
  const returned = await insertMany<T, Record<string, unknown>>(db, `${key}:returning`, table, columns, rows, (q) =>
    finish(q.returning(keyColumn as never) as unknown as InsertQueryBuilder<Database, T, InsertResult>),
  );
  const inserted = new Set(returned.map((r) => r[keyColumn]));
  return rows.map((r) => inserted.has((r as Record<string, unknown>)[keyColumn]));
}

function compiledText<T extends keyof Database>(
  db: Db,
  key: string,
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  rows: ReadonlyArray<Row<T>>,
  finish: (q: InsertQueryBuilder<Database, T, InsertResult>) => { compile(): CompiledQuery },
  params: unknown[] = rows.flatMap((r) => rowParams(r, columns)),
): string {
  const cacheKey = `${db.getExecutor().adapter.constructor.name}:${key}:${rows.length}`;
  let text = compiled.get(cacheKey);
  if (!text) {
    const query = finish(db.insertInto(table).values(rows as never)).compile();
    // The cached text is only valid if Kysely orders parameters row by row in `columns` order.
    if (query.parameters.length !== params.length || query.parameters.some((p, i) => p !== params[i])) {
      throw new Error(`insertMany(${key}): column order differs from the compiled query`);
    }
    text = query.sql;
    compiled.set(cacheKey, text);
  }
  return text;
}
