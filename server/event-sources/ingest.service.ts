import { type CheckedActivity, ingestActivities } from "../activities/activities.service";
import type { Db } from "../db/create-db";
import { toJson } from "../db/json";
import type { EventHeldTable } from "../db/schema";
import type { Deps } from "../deps";
import { loadIdentities } from "./identity";
import { cachedTrackResolver, countUnmapped, eventKey, PAGE_TYPE, SCREEN_TYPE } from "./mapping";
import { type EventMessage, metadataOf } from "./messages";

/** What happened to the messages of one request. */
export interface EventIngestResult {
  /** Stored as activities (and counted in the rollup). */
  accepted: number;
  /** Seen before (same messageId): nothing changed. */
  duplicate: number;
  /** Stored and waiting: anonymous (attributed once the user is identified) or unmapped (until the admin maps the name). */
  held: number;
  /** identify and group calls applied. */
  identified: number;
  /** Track names the admin set to "not imported". */
  ignored: number;
  rejected: Array<{ index: number; messageId: string | null; reason: string }>;
}

export interface RequestMessages {
  sourceId: string;
  messages: EventMessage[];
}

/** Activities coming from events carry this external id: idempotent per source and messageId. */
export const activityIdOf = (sourceId: string, messageId: string) => `evt:${sourceId}:${messageId}`;

/** The JSON text of metadataOf(m) (computed where the message was parsed when that was a parse worker). */
export const metadataJsonOf = (m: EventMessage): string => m.metadataJson ?? toJson(metadataOf(m));

/**
 * One commit of the messages of several requests (group commit): identity resolution, mapping, the activities
 * through the same ingest and rollup path as POST /api/activities, held events, unmapped counts, in ONE
 * transaction. Returns one result per request, in order.
 */
export async function commitMessages(deps: Deps, requests: readonly RequestMessages[]): Promise<EventIngestResult[]> {
  const now = deps.clock().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const tdeps: Deps = { ...deps, db: trx };
    const results: EventIngestResult[] = requests.map(() => ({
      accepted: 0,
      duplicate: 0,
      held: 0,
      identified: 0,
      ignored: 0,
      rejected: [],
    }));
    const [ids, typeOf] = await Promise.all([loadIdentities(trx, requests, now), cachedTrackResolver(deps.db, trx)]);
    const items: CheckedActivity[] = [];
    const itemOwner: Array<{ req: number; m: EventMessage }> = [];
    const held: EventHeldTable[] = [];
    const heldOwner: number[] = [];
    const unmapped = new Map<string, { name: string; count: number }>();
    for (const [req, r] of requests.entries()) {
      const res = results[req]!;
      for (const m of r.messages) {
        if (m.type === "identify" || m.type === "group") {
          const out = m.type === "identify" ? await ids.identify(m, r.sourceId) : await ids.group(m, r.sourceId);
          if ("error" in out) res.rejected.push({ index: m.index, messageId: m.messageId, reason: `${m.type} ${out.error}` });
          else res.identified++;
          continue;
        }
        const typeId = m.type === "page" ? PAGE_TYPE : m.type === "screen" ? SCREEN_TYPE : typeOf(m.event ?? "");
        if (typeId === null) {
          res.ignored++;
          continue;
        }
        const name = m.event ?? (m.type === "page" ? "Page" : "Screen");
        if (typeId === undefined) {
          const k = eventKey(name);
          const u = unmapped.get(k) ?? unmapped.set(k, { name, count: 0 }).get(k)!;
          u.count++;
        }
        const personId = ids.personOf(m, r.sourceId);
        if (personId && typeId) {
          items.push({
            externalId: activityIdOf(r.sourceId, m.messageId),
            personId,
            type: typeId,
            occurredAt: m.occurredAt,
            // Checked already: texts storable (parseMessage), cut to ActivityMetadata's limits (metadataOf).
            metadataJson: metadataJsonOf(m),
          });
          itemOwner.push({ req, m });
        } else {
          held.push({
            source_id: r.sourceId,
            message_id: m.messageId,
            anonymous_id: m.anonymousId,
            user_id: m.userId,
            person_id: personId,
            event_name: name,
            type_id: typeId ?? null,
            occurred_at: m.occurredAt,
            metadata: metadataJsonOf(m),
            received_at: now,
          });
          heldOwner.push(req);
        }
      }
    }
    // Earlier anonymous events of the users identified now become theirs.
    for (const l of ids.learnt) {
      await trx
        .updateTable("event_held")
        .set({ person_id: l.personId })
        .where("source_id", "=", l.sourceId)
        .where(l.kind === "anon" ? "anonymous_id" : "user_id", "=", l.key)
        .where("person_id", "is", null)
        .execute();
    }
    const stored = new Set<string>();
    if (items.length) {
      const out = await ingestActivities(tdeps, items, { storedIds: stored, peopleKnown: true, checked: true });
      for (const rej of out.rejected) {
        const owner = itemOwner[rej.index]!;
        results[owner.req]!.rejected.push({
          index: owner.m.index,
          messageId: owner.m.messageId,
          reason: rej.reason.replace(/^occurredAt/, "timestamp"),
        });
      }
      const rejectedIdx = new Set(out.rejected.map((r) => r.index));
      items.forEach((it, i) => {
        if (rejectedIdx.has(i)) return;
        const res = results[itemOwner[i]!.req]!;
        if (stored.has(it.externalId)) res.accepted++;
        else res.duplicate++;
      });
    }
    if (held.length) {
      for (let i = 0; i < held.length; i += 200) {
        const part = held.slice(i, i + 200);
        const went = await trx
          .insertInto("event_held")
          .values(part)
          .onConflict((oc) => oc.columns(["source_id", "message_id"]).doNothing())
          .returning(["source_id", "message_id"])
          .execute();
        const wentIn = new Set(went.map((w) => `${w.source_id}\u0000${w.message_id}`));
        part.forEach((h, j) => {
          const res = results[heldOwner[i + j]!]!;
          if (wentIn.has(`${h.source_id}\u0000${h.message_id}`)) res.held++;
          else res.duplicate++;
        });
      }
    }
    if (ids.learnt.length) await releaseHeld(tdeps);
    if (unmapped.size) await countUnmapped(trx, unmapped, now);
    const perSource = new Map<string, number>();
    for (const r of requests) perSource.set(r.sourceId, (perSource.get(r.sourceId) ?? 0) + r.messages.length);
    for (const [id, n] of perSource)
      await trx
        .updateTable("event_sources")
        .set((eb) => ({ last_event_at: now, events_received: eb("events_received", "+", n) }))
        .where("id", "=", id)
        .execute();
    return results;
  });
}

/**
 * Held events whose person and activity type are both known now go through activity ingest (idempotent on their
 * external id) and leave the holding table. Run after identify calls and mapping changes; `deps.db` may be a transaction.
 */
export async function releaseHeld(deps: Deps): Promise<{ released: number }> {
  const run = async (db: Db) => {
    let released = 0;
    for (;;) {
      const rows = await db
        .selectFrom("event_held")
        .selectAll()
        .where("person_id", "is not", null)
        .where("type_id", "is not", null)
        .orderBy("occurred_at")
        .limit(2000)
        .execute();
      if (!rows.length) return { released };
      await ingestActivities(
        { ...deps, db },
        rows.map((h) => ({
          externalId: activityIdOf(h.source_id, h.message_id),
          personId: h.person_id!,
          type: h.type_id!,
          occurredAt: h.occurred_at,
          metadata: h.metadata ? JSON.parse(h.metadata) : null,
        })),
      );
      for (const h of rows)
        await db.deleteFrom("event_held").where("source_id", "=", h.source_id).where("message_id", "=", h.message_id).execute();
      released += rows.length;
    }
  };
  return deps.db.isTransaction ? run(deps.db) : deps.db.transaction().execute(run);
}

/** Held events older than the engagement window no longer count for anything: dropped (scheduled, hourly). */
export async function dropExpiredHeld(deps: Deps): Promise<number> {
  const cutoff = new Date(deps.clock().getTime() - deps.config.windowDays * 86_400_000).toISOString();
  const r = await deps.db.deleteFrom("event_held").where("occurred_at", "<", cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
