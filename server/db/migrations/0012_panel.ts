import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// `accounts.currency`: the ISO 4217 code the account's amounts (open opportunities) are in, so
// the panel and the generated summaries format them as money ("€1.7M", "1,7 mln €"). Null when
// unknown: amounts are then shown as plain numbers, never with a guessed currency.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("accounts").addColumn("currency", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("accounts").dropColumn("currency").execute();
}
