import { CompiledQuery } from "kysely";
import { type Db, sqliteStatements } from "./create-db";

/**
 * Runs one compiled single-row statement once per parameter list and returns the rows its RETURNING
 * gives, in order. For SQLite, where there is no round trip to save: a prepared single-row statement
 * costs a few microseconds, while a multi-row INSERT or a CASE UPDATE over hundreds of ids is parsed,
 * bound and evaluated for every row it touches. Inside a transaction the prepared statement is run
 * directly (see `sqliteStatements`); otherwise each row goes through Kysely.
 */
export async function runPerRow<R>(db: Db, text: string, paramLists: Iterable<unknown[]>): Promise<R[]> {
  const out: R[] = [];
  const prepare = sqliteStatements(db);
  if (prepare) {
    const stmt = prepare(text);
    if (!stmt.reader) {
      for (const params of paramLists) stmt.run(params);
      return out;
    }
    // A single-row statement returns at most one row: `get` skips building an array for it.
    for (const params of paramLists) {
      const r = stmt.get(params);
      if (r !== undefined) out.push(r as R);
    }
    return out;
  }
  for (const params of paramLists) for (const r of (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows) out.push(r);
  return out;
}

/**
 * Like runPerRow for statements without RETURNING: runs the single-row statement once per parameter
 * list and returns how many rows each run changed (an `INSERT … ON CONFLICT DO NOTHING`: 1 or 0).
 */
export async function runPerRowChanges(db: Db, text: string, paramLists: Iterable<unknown[]>): Promise<number[]> {
  const out: number[] = [];
  const prepare = sqliteStatements(db);
  if (prepare) {
    const stmt = prepare(text);
    for (const params of paramLists) out.push(stmt.run(params).changes);
    return out;
  }
  for (const params of paramLists)
    out.push(Number((await db.executeQuery(CompiledQuery.raw(text, params))).numAffectedRows ?? 0));
  return out;
}
