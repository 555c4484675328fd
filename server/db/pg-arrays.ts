import { type RawBuilder, sql } from "kysely";

/**
 * PostgreSQL only: `column = any($1::text[])`, a whole list of text values as ONE array parameter. One
 * statement shape whatever the list's length (one prepared plan), no parameter limit, and one round
 * trip where `IN (…)` lists are split into parts of a few hundred. Portable code keeps `in` for SQLite.
 */
export function anyOf(column: string, values: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} = any(${values as string[]}::text[])`;
}

/**
 * `column IN (…values)` on SQLite, `column = any($1::text[])` on PostgreSQL: for callers that split
 * their lists with `idParts`.
 */
export function inList(postgres: boolean, column: string, values: readonly string[]): RawBuilder<boolean> {
  return postgres ? anyOf(column, values) : sql<boolean>`${sql.ref(column)} in (${sql.join(values.map((v) => sql`${v}`))})`;
}
