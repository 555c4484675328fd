import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../../server/db/create-db";

/**
 * Columns that may change on a refused request by design: none today. (Recording a token's last use
 * would be one; it is bookkeeping of the request, not data the request changed.)
 */
const BOOKKEEPING = new Set(["last_used_at"]);

/** The tables of the app's schema (Kysely's own migration tables left out). */
export async function appTables(db: Db): Promise<string[]> {
  const tables = await db.introspection.getTables();
  // PostgreSQL lists every schema's tables: only this database's own (the tests' schema on its search_path).
  const own = tables.some((t) => t.schema)
    ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
    : undefined;
  return tables
    .filter((t) => !t.isView && !t.name.startsWith("kysely_") && (own === undefined || t.schema === own))
    .map((t) => t.name)
    .sort();
}

/**
 * A fingerprint of every table: its row count and a hash of all its rows (in a stable order). Small test
 * databases make this cheap enough to take around every request.
 */
export async function fingerprint(db: Db, tables: readonly string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    tables.map(async (t) => {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db)).rows;
      const lines = rows
        .map((r) =>
          JSON.stringify(
            Object.keys(r)
              .filter((k) => !BOOKKEEPING.has(k))
              .sort()
              .map((k) => [k, r[k] instanceof Date ? (r[k] as Date).toISOString() : String(r[k])]),
          ),
        )
        .sort();
      return [t, `${rows.length}:${createHash("sha1").update(lines.join("\n")).digest("hex")}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
