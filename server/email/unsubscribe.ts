import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/create-db";
import type { Deps } from "../deps";
import { ensureSetting } from "./email.repo";

const SECRET_KEY = "email.unsubscribe_secret";

/** The key that signs unsubscribe links: QUORUM_EMAIL_SECRET, else a random one generated once and kept in the database. */
export async function unsubscribeSecret(deps: Pick<Deps, "db" | "config">): Promise<string> {
  return deps.config.email.secret ?? ensureSetting(deps.db, SECRET_KEY, () => randomBytes(32).toString("base64url"));
}

const mac = (secret: string, personId: string) =>
  createHmac("sha256", secret).update(`unsubscribe:${personId}`).digest("base64url");

/** `<person id, base64url>.<HMAC-SHA256>`: unguessable without the secret, stable per recipient. */
export function signUnsubscribeToken(secret: string, personId: string): string {
  return `${Buffer.from(personId).toString("base64url")}.${mac(secret, personId)}`;
}

/** The person id a token was signed for, or null for a forged or damaged token. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const [idPart, sig] = token.split(".");
  if (!idPart || !sig || !/^[A-Za-z0-9_-]+$/.test(idPart)) return null;
  const personId = Buffer.from(idPart, "base64url").toString("utf8");
  const expected = Buffer.from(mac(secret, personId));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? personId : null;
}

export const unsubscribeUrl = (publicUrl: string, token: string) => `${publicUrl}/unsubscribe/${token}`;

/** Records an opt-out (idempotent: the first time is kept). Returns false for an unknown person. */
export async function optOut(db: Db, personId: string, at: string, via: string): Promise<boolean> {
  const person = await db.selectFrom("people").select(["id", "email"]).where("id", "=", personId).executeTakeFirst();
  if (!person) return false;
  await db
    .insertInto("email_opt_outs")
    .values({ person_id: personId, email: person.email, opted_out_at: at, via })
    .onConflict((oc) => oc.column("person_id").doNothing())
    .execute();
  return true;
}
