import { createHash, randomBytes } from "node:crypto";
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

export async function findUserByToken(db: Db, token: string): Promise<AuthUser | null> {
  const row = await db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["u.id", "u.name", "u.role", "t.id as tokenId"])
    .where("t.token_hash", "=", hashToken(token))
    .where("t.revoked_at", "is", null)
    .executeTakeFirst();
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

/** Revokes by token id or prefix; returns how many tokens were revoked. */
export async function revokeToken(db: Db, idOrPrefix: string, now: string): Promise<number> {
  const res = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where((eb) => eb.or([eb("id", "=", idOrPrefix), eb("prefix", "=", idOrPrefix)]))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
