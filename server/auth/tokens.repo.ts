import { randomBytes } from "node:crypto";
import { CompiledQuery } from "kysely";
import type { UserRole } from "../../shared/domain/roles";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { HASH_SCHEME, hashToken, LEGACY_HASH_SCHEME, legacyHashToken, type TokenKey } from "./token-secret";

export interface AuthUser {
  id: string;
  name: string;
  role: UserRole;
  tokenId: string;
}

/** A token's user and when the token stops working (null: never). */
export interface TokenHolder {
  user: AuthUser;
  expiresAt: string | null;
}

/** A new high-entropy token: `qrm_` + 32 url-safe characters. Only its keyed hash is stored. */
export function generateToken(): string {
  return `qrm_${randomBytes(24).toString("base64url")}`;
}

/** The api_tokens row of a new token (HMAC hash, never the token). */
function tokenRow(
  key: TokenKey,
  input: { tokenId: string; userId: string; name: string; token: string; now: string; expiresAt: string | null },
) {
  return {
    id: input.tokenId,
    user_id: input.userId,
    name: input.name,
    token_hash: hashToken(key, input.token),
    hash_scheme: HASH_SCHEME,
    prefix: input.token.slice(0, 8),
    created_at: input.now,
    last_used_at: null,
    revoked_at: null,
    expires_at: input.expiresAt,
  };
}

/** A user and their first token in one transaction. `key`: tokenKey(config). */
export async function createUserWithToken(
  db: Db,
  input: {
    name: string;
    role: UserRole;
    tokenName: string;
    token?: string;
    now: string;
    key: TokenKey;
    expiresAt?: string | null;
  },
): Promise<{ userId: string; tokenId: string; token: string }> {
  const token = input.token ?? generateToken();
  const userId = newId("usr");
  const tokenId = newId("tok");
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("users")
      .values({ id: userId, name: input.name, email: null, role: input.role, created_at: input.now })
      .execute();
    await trx
      .insertInto("api_tokens")
      .values(
        tokenRow(input.key, {
          tokenId,
          userId,
          name: input.tokenName,
          token,
          now: input.now,
          expiresAt: input.expiresAt ?? null,
        }),
      )
      .execute();
  });
  return { userId, tokenId, token };
}

const userByTokenQuery = (db: Db, hash: string) =>
  db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["u.id", "u.name", "u.role", "t.id as tokenId", "t.expires_at"])
    .where("t.token_hash", "=", hash)
    .where("t.revoked_at", "is", null)
    // A disabled user's tokens stop working even if one escaped the revocation (e.g. issued outside the API).
    .where("u.disabled_at", "is", null);
type UserByTokenRow = NonNullable<Awaited<ReturnType<ReturnType<typeof userByTokenQuery>["executeTakeFirst"]>>>;

/** The lookup's SQL, compiled by the dialect once per database: it runs on every API request. */
const userByTokenSql = new WeakMap<Db, string>();

const toHolder = (row: UserByTokenRow): TokenHolder => ({
  user: { id: row.id, name: row.name, role: row.role as UserRole, tokenId: row.tokenId },
  expiresAt: row.expires_at,
});

/** The holder of an unrevoked token by its keyed hash (expired ones included: the caller says why it refuses them). */
export async function findHolderByHash(db: Db, hash: string): Promise<TokenHolder | null> {
  let text = userByTokenSql.get(db);
  if (!text) {
    const compiled = userByTokenQuery(db, "").compile();
    if (compiled.parameters.length !== 1) throw new Error("findHolderByHash: expected one parameter");
    text = compiled.sql;
    userByTokenSql.set(db, text);
  }
  const row = (await db.executeQuery<UserByTokenRow>(CompiledQuery.raw(text, [hash]))).rows[0];
  return row ? toHolder(row) : null;
}

/**
 * A token stored before migration 0009 (bare SHA-256): found by that hash once, then rewritten with the
 * keyed hash so it is never looked up this way again. Returns its holder, or null.
 */
export async function upgradeLegacyToken(db: Db, key: TokenKey, token: string): Promise<TokenHolder | null> {
  const legacy = legacyHashToken(token);
  const res = await db
    .updateTable("api_tokens")
    .set({ token_hash: hashToken(key, token), hash_scheme: HASH_SCHEME })
    .where("token_hash", "=", legacy)
    .where("hash_scheme", "=", LEGACY_HASH_SCHEME)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return null;
  return findHolderByHash(db, hashToken(key, token));
}

/** The holder of an unrevoked token, upgrading a legacy hash on the way (expiry is the caller's to check). */
export async function findHolderByToken(db: Db, key: TokenKey, token: string): Promise<TokenHolder | null> {
  return (await findHolderByHash(db, hashToken(key, token))) ?? (await upgradeLegacyToken(db, key, token));
}

/** The user of an unrevoked, unexpired token at `now`. */
export async function findUserByToken(db: Db, key: TokenKey, token: string, now = new Date()): Promise<AuthUser | null> {
  const holder = await findHolderByToken(db, key, token);
  return holder && !isExpired(holder.expiresAt, now) ? holder.user : null;
}

export const isExpired = (expiresAt: string | null, now: Date): boolean =>
  expiresAt !== null && Date.parse(expiresAt) <= now.getTime();

/** Whether any token (revoked or not, of either hash scheme) has this value. */
export async function tokenExists(db: Db, key: TokenKey, token: string): Promise<boolean> {
  const row = await db
    .selectFrom("api_tokens")
    .select("id")
    .where((eb) =>
      eb.or([
        eb("token_hash", "=", hashToken(key, token)),
        eb.and([eb("token_hash", "=", legacyHashToken(token)), eb("hash_scheme", "=", LEGACY_HASH_SCHEME)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function listTokens(db: Db) {
  return db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select([
      "t.id",
      "t.name",
      "t.prefix",
      "t.created_at",
      "t.last_used_at",
      "t.revoked_at",
      "t.expires_at",
      "t.hash_scheme",
      "u.name as userName",
      "u.role",
    ])
    .orderBy("t.created_at")
    .execute();
}

let revocations = 0;
/** Counts revocations made by this process through revokeToken (the auth middleware forgets its tokens when it moves). */
export const tokenRevocations = () => revocations;

/** Revokes by token id or prefix; returns how many tokens were revoked. */
export async function revokeToken(db: Db, idOrPrefix: string, now: string): Promise<number> {
  revocations++;
  const res = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where((eb) => eb.or([eb("id", "=", idOrPrefix), eb("prefix", "=", idOrPrefix)]))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Inserts one new token for an existing user and returns it (the only time it is known). Runs on whatever `db` is
 * given, so callers put it in their own transaction beside the audit entry.
 */
export async function insertTokenForUser(
  db: Db,
  input: { userId: string; name: string; now: string; key: TokenKey; expiresAt?: string | null },
): Promise<{ tokenId: string; token: string; prefix: string }> {
  const token = generateToken();
  const tokenId = newId("tok");
  await db
    .insertInto("api_tokens")
    .values(
      tokenRow(input.key, {
        tokenId,
        userId: input.userId,
        name: input.name,
        token,
        now: input.now,
        expiresAt: input.expiresAt ?? null,
      }),
    )
    .execute();
  return { tokenId, token, prefix: token.slice(0, 8) };
}

/**
 * Records that a token was used at `at`, unless a later use is already stored (several processes write
 * it). The auth middleware calls it at most once a minute per token (see last-use.ts).
 */
export async function recordTokenUse(db: Db, tokenId: string, at: string): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ last_used_at: at })
    .where("id", "=", tokenId)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
    .execute();
}
