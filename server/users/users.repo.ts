import type { ExpressionBuilder } from "kysely";
import type { TokenSummary, UserSummary } from "../../shared/api/users";
import type { UserRole } from "../../shared/domain/roles";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import type { ApiTokensTable, Database } from "../db/schema";

/** A token that works at `now`: not revoked and not expired. */
const usable = (eb: ExpressionBuilder<Database & { t: ApiTokensTable }, "t">, now: string) =>
  eb.and([eb("t.revoked_at", "is", null), eb.or([eb("t.expires_at", "is", null), eb("t.expires_at", ">", now)])]);

/** Users with their token counts (active = usable at `now`), oldest first. */
export async function listUsers(db: Db, now: string, ids?: string[]): Promise<UserSummary[]> {
  if (ids && ids.length === 0) return [];
  const rows = await db
    .selectFrom("users as u")
    .leftJoin("api_tokens as t", "t.user_id", "u.id")
    .select((eb) => [
      "u.id",
      "u.name",
      "u.email",
      "u.role",
      "u.created_at",
      "u.disabled_at",
      eb.fn.count<number | string | bigint>("t.id").as("tokens"),
      eb.fn
        .sum<number | string | bigint | null>(
          eb
            .case()
            .when(eb.and([eb("t.id", "is not", null), usable(eb, now)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as("active"),
      eb.fn.max("t.last_used_at").as("last_used_at"),
    ])
    .$if(ids !== undefined, (q) => q.where("u.id", "in", ids!))
    .groupBy(["u.id", "u.name", "u.email", "u.role", "u.created_at", "u.disabled_at"])
    .orderBy("u.created_at")
    .orderBy("u.name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role as UserRole,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
    tokens: Number(r.tokens),
    activeTokens: Number(r.active ?? 0),
    lastUsedAt: r.last_used_at ?? null,
  }));
}

export async function getUser(db: Db, id: string, now: string): Promise<UserSummary | null> {
  return (await listUsers(db, now, [id]))[0] ?? null;
}

/** A user's tokens, newest first; `currentTokenId` marks the one the request came with. */
export async function listUserTokens(
  db: Db,
  userId: string,
  currentTokenId: string | null,
  now: string,
): Promise<TokenSummary[]> {
  const rows = await db
    .selectFrom("api_tokens")
    .select(["id", "user_id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "expires_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    expiresAt: r.expires_at,
    expired: r.expires_at !== null && r.expires_at <= now,
    current: r.id === currentTokenId,
  }));
}

export async function insertUser(db: Db, input: { id: string; name: string; role: UserRole; now: string }): Promise<void> {
  await db
    .insertInto("users")
    .values({ id: input.id, name: input.name, email: null, role: input.role, created_at: input.now })
    .execute();
}

export async function setUserRole(db: Db, id: string, role: UserRole): Promise<void> {
  await db.updateTable("users").set({ role }).where("id", "=", id).execute();
}

/** Revokes one token of one user if still active; returns whether it changed. */
export async function revokeUserToken(db: Db, userId: string, tokenId: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("id", "=", tokenId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Serialises changes that could leave Quorum without an admin: on PostgreSQL, locks the admin users' rows until the
 * transaction ends (two concurrent demotions cannot both see "another admin remains"). SQLite has one writer at a
 * time and needs nothing.
 */
export async function lockAdmins(db: Db): Promise<void> {
  if (!isPostgres(db)) return;
  await db.selectFrom("users").select("id").where("role", "=", "admin").forUpdate().execute();
}

/**
 * Enabled admins (other than `exceptUserId`) holding at least one token usable at `now` other than `exceptTokenId`: the
 * admins who can still sign in with a token.
 */
export async function countUsableAdmins(db: Db, now: string, except: { userId?: string; tokenId?: string }): Promise<number> {
  const row = await db
    .selectFrom("users as u")
    .innerJoin("api_tokens as t", "t.user_id", "u.id")
    .select((eb) => eb.fn.count<number | string | bigint>("u.id").distinct().as("n"))
    .where("u.role", "=", "admin")
    .where("u.disabled_at", "is", null)
    .where((eb) => usable(eb, now))
    .$if(except.userId !== undefined, (q) => q.where("u.id", "!=", except.userId!))
    .$if(except.tokenId !== undefined, (q) => q.where("t.id", "!=", except.tokenId!))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
