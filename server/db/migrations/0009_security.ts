import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Security hardening (issue 16).
//
// api_tokens:
// - `hash_scheme`: how `token_hash` was made. Rows from before this migration hold a bare SHA-256
//   ('sha256'); new tokens hold an HMAC-SHA256 keyed with the server's token secret ('hmac-sha256').
//   A legacy row is checked with SHA-256 once, on its token's next use, and rewritten as HMAC.
// - `expires_at`: optional end of validity (ISO-8601 UTC); null = never expires.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("api_tokens")
    .addColumn("hash_scheme", "text", (c) => c.notNull().defaultTo("sha256"))
    .execute();
  await db.schema.alterTable("api_tokens").addColumn("expires_at", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("api_tokens").dropColumn("expires_at").execute();
  await db.schema.alterTable("api_tokens").dropColumn("hash_scheme").execute();
}
