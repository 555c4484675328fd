import { createHash } from "node:crypto";
import type { SsoSessionSummary } from "../../shared/api/sso";
import type { UserRole } from "../../shared/domain/roles";
import type { Db } from "../db/create-db";

/** Refresh tokens are 144 random bits: a plain SHA-256 is enough to keep the stored value useless to a reader. */
export const hashRefreshToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface SsoUserRow {
  id: string;
  name: string;
  email: string | null;
  role: UserRole;
  disabledAt: string | null;
}

const userColumns = ["id", "name", "email", "role", "disabled_at"] as const;
const toUser = (r: { id: string; name: string; email: string | null; role: string; disabled_at: string | null }): SsoUserRow => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role as UserRole,
  disabledAt: r.disabled_at,
});

export async function findUserById(db: Db, id: string): Promise<SsoUserRow | null> {
  const r = await db.selectFrom("users").select(userColumns).where("id", "=", id).executeTakeFirst();
  return r ? toUser(r) : null;
}

/** The user the identity provider's (issuer, subject) was linked to at an earlier sign-in. */
export async function findUserByIdentity(db: Db, issuer: string, subject: string): Promise<SsoUserRow | null> {
  const r = await db
    .selectFrom("sso_identities as i")
    .innerJoin("users as u", "u.id", "i.user_id")
    .select(["u.id", "u.name", "u.email", "u.role", "u.disabled_at"])
    .where("i.issuer", "=", issuer)
    .where("i.subject", "=", subject)
    .executeTakeFirst();
  return r ? toUser(r) : null;
}

/** The oldest user with this email address (case-insensitive), to link a first sign-in to an existing user. */
export async function findUserByEmail(db: Db, email: string): Promise<SsoUserRow | null> {
  const r = await db
    .selectFrom("users")
    .select(userColumns)
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
    .orderBy("created_at")
    .orderBy("id")
    .executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function insertUser(db: Db, u: { id: string; name: string; email: string; role: UserRole; now: string }) {
  await db.insertInto("users").values({ id: u.id, name: u.name, email: u.email, role: u.role, created_at: u.now }).execute();
}

export async function updateUserFromProvider(db: Db, id: string, change: { email: string; role: UserRole; name: string | null }) {
  await db
    .updateTable("users")
    .set({ email: change.email, role: change.role, ...(change.name ? { name: change.name } : {}) })
    .where("id", "=", id)
    .execute();
}

export async function upsertIdentity(db: Db, i: { issuer: string; subject: string; userId: string; email: string; now: string }) {
  await db
    .insertInto("sso_identities")
    .values({ issuer: i.issuer, subject: i.subject, user_id: i.userId, email: i.email, created_at: i.now, last_login_at: i.now })
    .onConflict((oc) =>
      oc.columns(["issuer", "subject"]).doUpdateSet({ email: i.email, last_login_at: i.now, user_id: i.userId }),
    )
    .execute();
}

export async function insertSession(db: Db, s: { id: string; userId: string; client: string; now: string; expiresAt: string }) {
  await db
    .insertInto("sso_sessions")
    .values({
      id: s.id,
      user_id: s.userId,
      client: s.client,
      created_at: s.now,
      last_refreshed_at: s.now,
      expires_at: s.expiresAt,
      revoked_at: null,
      revoked_reason: null,
    })
    .execute();
}

export async function insertRefreshToken(db: Db, sessionId: string, token: string, now: string) {
  await db
    .insertInto("sso_refresh_tokens")
    .values({ token_hash: hashRefreshToken(token), session_id: sessionId, created_at: now, replaced_at: null })
    .execute();
}

export interface RefreshTokenRow {
  sessionId: string;
  replacedAt: string | null;
  sessionExpiresAt: string;
  sessionRevokedAt: string | null;
  user: SsoUserRow;
}

export async function findRefreshToken(db: Db, token: string): Promise<RefreshTokenRow | null> {
  const r = await db
    .selectFrom("sso_refresh_tokens as t")
    .innerJoin("sso_sessions as s", "s.id", "t.session_id")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select([
      "t.session_id",
      "t.replaced_at",
      "s.expires_at",
      "s.revoked_at",
      "u.id",
      "u.name",
      "u.email",
      "u.role",
      "u.disabled_at",
    ])
    .where("t.token_hash", "=", hashRefreshToken(token))
    .executeTakeFirst();
  if (!r) return null;
  return {
    sessionId: r.session_id,
    replacedAt: r.replaced_at,
    sessionExpiresAt: r.expires_at,
    sessionRevokedAt: r.revoked_at,
    user: toUser(r),
  };
}

/** Marks a refresh token used; 0 when another request used it first (the caller treats that as reuse). */
export async function markRefreshTokenUsed(db: Db, token: string, now: string): Promise<number> {
  const res = await db
    .updateTable("sso_refresh_tokens")
    .set({ replaced_at: now })
    .where("token_hash", "=", hashRefreshToken(token))
    .where("replaced_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function touchSession(db: Db, id: string, now: string) {
  await db.updateTable("sso_sessions").set({ last_refreshed_at: now }).where("id", "=", id).execute();
}

/** Ends sessions (one by id, or all of a user's); returns the ids of those that were still open. */
export async function revokeSessions(
  db: Db,
  where: { sessionId: string } | { userId: string },
  reason: string,
  now: string,
): Promise<string[]> {
  const open = await db
    .selectFrom("sso_sessions")
    .select("id")
    .$if("sessionId" in where, (q) => q.where("id", "=", (where as { sessionId: string }).sessionId))
    .$if("userId" in where, (q) => q.where("user_id", "=", (where as { userId: string }).userId))
    .where("revoked_at", "is", null)
    .execute();
  if (open.length === 0) return [];
  const ids = open.map((r) => r.id);
  await db.updateTable("sso_sessions").set({ revoked_at: now, revoked_reason: reason }).where("id", "in", ids).execute();
  return ids;
}

/** A user's sessions that can still be refreshed, newest first. */
export async function listOpenSessions(db: Db, userId: string, now: string): Promise<Omit<SsoSessionSummary, "current">[]> {
  const rows = await db
    .selectFrom("sso_sessions")
    .select(["id", "user_id", "client", "created_at", "last_refreshed_at", "expires_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    client: r.client,
    createdAt: r.created_at,
    lastRefreshedAt: r.last_refreshed_at,
    expiresAt: r.expires_at,
  }));
}

export async function findSession(db: Db, id: string) {
  return db.selectFrom("sso_sessions").select(["id", "user_id", "revoked_at"]).where("id", "=", id).executeTakeFirst();
}

/** Sessions that ended more than `before` ago go, with their refresh tokens (cascade would need PRAGMA foreign_keys on every path). */
export async function pruneSessions(db: Db, before: string) {
  const old = db
    .selectFrom("sso_sessions")
    .select("id")
    .where((eb) => eb.or([eb("expires_at", "<", before), eb("revoked_at", "<", before)]));
  await db.deleteFrom("sso_refresh_tokens").where("session_id", "in", old).execute();
  await db.deleteFrom("sso_sessions").where("id", "in", old).execute();
}

export async function setUserDisabled(db: Db, userId: string, disabledAt: string | null) {
  await db.updateTable("users").set({ disabled_at: disabledAt }).where("id", "=", userId).execute();
}

/** Revokes every active API token of a user; returns how many. */
export async function revokeApiTokensOf(db: Db, userId: string, now: string): Promise<number> {
  const res = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Enabled admins other than `exceptUserId` (disabling must leave one). */
export async function countEnabledAdmins(db: Db, exceptUserId: string): Promise<number> {
  const r = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number | string | bigint>().as("n"))
    .where("role", "=", "admin")
    .where("disabled_at", "is", null)
    .where("id", "!=", exceptUserId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
