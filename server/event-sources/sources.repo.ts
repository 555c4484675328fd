import { randomBytes } from "node:crypto";
import type { Selectable } from "kysely";
import type { EventSource, EventSourceWithSecret } from "../../shared/api/event-sources";
import { notFound } from "../../shared/errors";
import type { Config } from "../config";
import { connectorKey, decryptSecret, encryptSecret } from "../connectors/crypto";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import type { EventSourcesTable } from "../db/schema";

/** `qes_` + 32 random bytes (base64url): the signing secret, and the bearer token where a CDP cannot sign. */
const newSecret = () => `qes_${randomBytes(32).toString("base64url")}`;
const hintOf = (secret: string) => `${secret.slice(0, 8)}…`;

function toSource(r: Selectable<EventSourcesTable>): EventSource {
  return {
    id: r.id,
    name: r.name,
    status: r.status === "paused" ? "paused" : "active",
    ingestPath: `/hooks/events/${r.id}`,
    secretHint: r.secret_hint,
    createdAt: r.created_at,
    rotatedAt: r.rotated_at,
    lastEventAt: r.last_event_at,
    eventsReceived: Number(r.events_received),
  };
}

export async function listSources(db: Db): Promise<EventSource[]> {
  return (await db.selectFrom("event_sources").selectAll().orderBy("created_at").orderBy("id").execute()).map(toSource);
}

export async function getSource(db: Db, id: string): Promise<EventSource> {
  const row = await db.selectFrom("event_sources").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Event source", id);
  return toSource(row);
}

/** Creates a source; the answer is the only place its secret appears (it is stored encrypted). */
export async function createSource(db: Db, config: Config, name: string, now: string): Promise<EventSourceWithSecret> {
  const id = newId("evs");
  const secret = newSecret();
  await db
    .insertInto("event_sources")
    .values({
      id,
      name,
      status: "active",
      secret_enc: encryptSecret(connectorKey(config), secret),
      secret_hint: hintOf(secret),
      created_at: now,
      updated_at: now,
      rotated_at: null,
      last_event_at: null,
    })
    .execute();
  return { ...(await getSource(db, id)), secret };
}

/** A new secret; the old one stops working at once (signatures and bearer tokens made with it are refused). */
export async function rotateSecret(db: Db, config: Config, id: string, now: string): Promise<EventSourceWithSecret> {
  await getSource(db, id);
  const secret = newSecret();
  await db
    .updateTable("event_sources")
    .set({
      secret_enc: encryptSecret(connectorKey(config), secret),
      secret_hint: hintOf(secret),
      rotated_at: now,
      updated_at: now,
    })
    .where("id", "=", id)
    .execute();
  return { ...(await getSource(db, id)), secret };
}

export async function updateSource(
  db: Db,
  id: string,
  patch: { name?: string | undefined; status?: "active" | "paused" | undefined },
  now: string,
): Promise<EventSource> {
  await getSource(db, id);
  await db
    .updateTable("event_sources")
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      updated_at: now,
    })
    .where("id", "=", id)
    .execute();
  return getSource(db, id);
}

/** Deletes the source with its identities and held events; activities it delivered stay. */
export async function deleteSource(db: Db, id: string): Promise<void> {
  await getSource(db, id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("event_held").where("source_id", "=", id).execute();
    await trx.deleteFrom("event_identities").where("source_id", "=", id).execute();
    await trx.deleteFrom("event_sources").where("id", "=", id).execute();
  });
}

/** What the ingest endpoint needs of a source: its status and its secret (decrypted). */
export interface SourceAuth {
  id: string;
  status: "active" | "paused";
  secret: string;
}

/**
 * Source look-ups for the ingest endpoint, cached for `ttlMs` (CDPs send thousands of requests a second; a
 * rotation, pause or deletion takes effect within that time in every process, at once in this one).
 */
export function sourceCache(db: Db, config: Config, ttlMs = 1000) {
  const cache = new Map<string, { at: number; value: SourceAuth | null }>();
  return {
    async get(id: string): Promise<SourceAuth | null> {
      const hit = cache.get(id);
      const now = Date.now();
      if (hit && now - hit.at < ttlMs) return hit.value;
      const row = await db
        .selectFrom("event_sources")
        .select(["id", "status", "secret_enc"])
        .where("id", "=", id)
        .executeTakeFirst();
      const value = row
        ? {
            id: row.id,
            status: row.status === "paused" ? ("paused" as const) : ("active" as const),
            secret: decryptSecret(connectorKey(config), row.secret_enc),
          }
        : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(id, { at: now, value });
      return value;
    },
    forget(id: string) {
      cache.delete(id);
    },
  };
}
export type SourceCache = ReturnType<typeof sourceCache>;
