import { createHash, randomBytes } from "node:crypto";
import { CompiledQuery } from "kysely";
import type { UserRole } from "../../shared/domain/roles";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";

export interface AuthUser {
  id: string;
  name: string;
  role: UserRole;
  tokenId: string;
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new high-entropy token: `qrm_` + 32 url-safe characters. Only its SHA-256 is stored. */
export function generateToken(): string {
  return `qrm_${randomBytes(24).toString("base64url")}`;
}

export async function createUserWithToken(
  db: Db,
  input: { name: string; role: UserRole; tokenName: string; token?: string; now: string },
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
      .values({
        id: tokenId,
        user_id: userId,
        name: input.tokenName,
        token_hash: hashToken(token),
        prefix: token.slice(0, 8),
        created_at: input.now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
  });
  return { userId, tokenId, token };
}

const userByTokenQuery = (db: Db, hash: string) =>
  db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["u.id", "u.name", "u.role", "t.id as tokenId"])
    .where("t.token_hash", "=", hash)
    .where("t.revoked_at", "is", null);
type UserByTokenRow = Awaited<ReturnType<ReturnType<typeof userByTokenQuery>["executeTakeFirst"]>>;

/** The lookup's SQL, compiled by the dialect once per database: it runs on every API request. */
const userByTokenSql = new WeakMap<Db, string>();

/** The user of an unrevoked token (the API's auth middleware keeps it for a moment; see there). */
export async function findUserByToken(db: Db, token: string): Promise<AuthUser | null> {
  return findUserByTokenHash(db, hashToken(token));
}

export async function findUserByTokenHash(db: Db, hash: string): Promise<AuthUser | null> {
  let text = userByTokenSql.get(db);
  if (!text) {
    const compiled = userByTokenQuery(db, "").compile();
    if (compiled.parameters.length !== 1) throw new Error("findUserByToken: expected one parameter");
    text = compiled.sql;
    userByTokenSql.set(db, text);
  }
  const row = (await db.executeQuery<NonNullable<UserByTokenRow>>(CompiledQuery.raw(text, [hash]))).rows[0];
  return row ? { id: row.id, name: row.name, role: row.role as UserRole, tokenId: row.tokenId } : null;
}

export async function tokenExists(db: Db, token: string): Promise<boolean> {
  const row = await db.selectFrom("api_tokens").select("id").where("token_hash", "=", hashToken(token)).executeTakeFirst();
  return row !== undefined;
}

export async function listTokens(db: Db) {
  return db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["t.id", "t.name", "t.prefix", "t.created_at", "t.last_used_at", "t.revoked_at", "u.name as userName", "u.role"])
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
  input: { userId: string; name: string; now: string },
): Promise<{ tokenId: string; token: string; prefix: string }> {
  const token = generateToken();
  const tokenId = newId("tok");
  const prefix = token.slice(0, 8);
  await db
    .insertInto("api_tokens")
    .values({
      id: tokenId,
      user_id: input.userId,
      name: input.name,
      token_hash: hashToken(token),
      prefix,
      created_at: input.now,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { tokenId, token, prefix };
}
