import { PostgresAdapter } from "kysely";

/**
 * Whether a Kysely instance (or a transaction of one) talks to PostgreSQL. Repos use it only where
 * the engines need different SQL for the same guarantee: row locks (`FOR UPDATE SKIP LOCKED`) and
 * the event feed's commit horizon. SQLite has one writer at a time and needs neither.
 */
export function isPostgres(db: { getExecutor(): { readonly adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
