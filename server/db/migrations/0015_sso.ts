import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Single sign-on (OpenID Connect), see server/sso/.
//
// 1. `users.disabled_at`: a disabled user keeps their history but can neither sign in nor refresh a session
//    (and disabling revokes their API tokens in the same transaction).
// 2. `sso_identities`: which Quorum user an identity provider's (issuer, subject) is, with the email it last had.
// 3. `sso_sessions`: one per sign-in of a browser; refresh tokens belong to a session and end with it
//    (sign-out, revocation, disabling, or its absolute end `expires_at`).
// 4. `sso_refresh_tokens`: SHA-256 of each refresh token; a rotated one keeps `replaced_at`, so presenting it
//    again is recognised as reuse and ends the session.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").addColumn("disabled_at", "text").execute();

  await db.schema
    .createTable("sso_identities")
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_login_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sso_identities_pk", ["issuer", "subject"])
    .execute();
  await db.schema.createIndex("sso_identities_user").on("sso_identities").column("user_id").execute();

  await db.schema
    .createTable("sso_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    /** `chrome`, `firefox` or `other`: what signed in, for the sessions list. */
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_refreshed_at", "text", (c) => c.notNull())
    /** The absolute end: no refresh after it, the browser signs in again (silently while the IdP session lasts). */
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    /** `sign-out`, `revoked`, `user-disabled`, `refresh-token-reuse`. */
    .addColumn("revoked_reason", "text")
    .execute();
  await db.schema.createIndex("sso_sessions_user").on("sso_sessions").column("user_id").execute();

  await db.schema
    .createTable("sso_refresh_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("sso_sessions.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("replaced_at", "text")
    .execute();
  await db.schema.createIndex("sso_refresh_tokens_session").on("sso_refresh_tokens").column("session_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("sso_refresh_tokens").execute();
  await db.schema.dropTable("sso_sessions").execute();
  await db.schema.dropTable("sso_identities").execute();
  await db.schema.alterTable("users").dropColumn("disabled_at").execute();
}
