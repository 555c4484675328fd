import { CompiledQuery, type InsertQueryBuilder, type InsertResult } from "kysely";
import type { Db } from "./create-db";
import type { Database } from "./schema";

type Row<T extends keyof Database> = { [K in keyof Database[T]]: Database[T][K] };

const compiled = new Map<string, string>();

/**
 * A multi-row INSERT whose SQL is compiled by Kysely once per (statement, row count) and then reused
 * with fresh parameters: building and compiling a 400-row insert costs more than running it. The
 * dialect still writes the SQL, so this stays portable. `finish` adds ON CONFLICT / RETURNING.
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
  const cacheKey = `${key}:${rows.length}`;
  let text = compiled.get(cacheKey);
  const params: unknown[] = [];
  for (const r of rows) for (const c of columns) params.push((r as Record<string, unknown>)[c]);
  if (!text) {
    const query = finish(db.insertInto(table).values(rows as never)).compile();
    // The cached text is only valid if Kysely orders parameters row by row in `columns` order.
    if (query.parameters.length !== params.length || query.parameters.some((p, i) => p !== params[i])) {
      throw new Error(`insertMany(${key}): column order differs from the compiled query`);
    }
    text = query.sql;
    compiled.set(cacheKey, text);
  }
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, params));
  return result.rows;
}
