import type { EventMapping, UnmappedEvent } from "../../shared/api/event-sources";
import { slugify } from "../../shared/domain/activity-catalogue";
import type { Db } from "../db/create-db";
import type { Deps } from "../deps";
import { validationError } from "../http/validate";
import { releaseHeld } from "./ingest.service";

/** `page` calls become this activity type; `screen` calls (mobile) the next one. */
export const PAGE_TYPE = "visit-webpage";
export const SCREEN_TYPE = "mobile-app-activity";

/**
 * Built-in track event names → activity types (Segment's B2B SaaS, video, email and mobile spec names and the
 * common form/webinar names). An admin's mapping for the same name wins; a name that is neither here nor
 * mapped but is itself an activity type's name (`Click Link`) maps to that type.
 */
export const DEFAULT_EVENT_MAPPINGS: ReadonlyArray<{ eventName: string; typeId: string }> = [
  { eventName: "Form Submitted", typeId: "fill-out-form" },
  { eventName: "Form Completed", typeId: "fill-out-form" },
  { eventName: "Demo Requested", typeId: "fill-out-form" },
  { eventName: "Trial Started", typeId: "fill-out-form" },
  { eventName: "Webinar Registered", typeId: "register-for-event" },
  { eventName: "Event Registered", typeId: "register-for-event" },
  { eventName: "Webinar Attended", typeId: "attend-event" },
  { eventName: "Event Attended", typeId: "attend-event" },
  { eventName: "Link Clicked", typeId: "click-link" },
  { eventName: "CTA Clicked", typeId: "click-rtp-call-to-action" },
  { eventName: "Email Opened", typeId: "open-email" },
  { eventName: "Email Link Clicked", typeId: "click-email" },
  { eventName: "Application Opened", typeId: "mobile-app-session" },
  { eventName: "Push Notification Tapped", typeId: "tap-push-notification" },
  { eventName: "Meeting Scheduled", typeId: "scheduled-meeting-in-dialogue" },
];

/** How names are compared: case, spaces, `_` and `-` do not matter (`form_submitted` = `Form Submitted`). */
export const eventKey = (name: string) => slugify(name) || name.trim().toLowerCase();

/** Resolves a track name to an activity type id: `undefined` = unmapped, `null` = deliberately not imported. */
export type TrackResolver = (eventName: string) => string | null | undefined;

const cached = new WeakMap<Db, { at: number; resolve: TrackResolver }>();
/** How long a commit reuses the mapping it read (another process's mapping change shows within this time). */
const RESOLVER_TTL_MS = 1000;

/**
 * trackResolver for the ingest commits (read through `trx`), kept for RESOLVER_TTL_MS per database handle `db` (group commits run hundreds of
 * times a second; the mapping changes rarely). saveEventMappings drops it in this process at once.
 */
export async function cachedTrackResolver(db: Db, trx: Db = db): Promise<TrackResolver> {
  const hit = cached.get(db);
  if (hit && Date.now() - hit.at < RESOLVER_TTL_MS) return hit.resolve;
  const resolve = await trackResolver(trx);
  cached.set(db, { at: Date.now(), resolve });
  return resolve;
}

export async function trackResolver(db: Db): Promise<TrackResolver> {
  const [custom, types] = await Promise.all([
    db.selectFrom("event_mappings").select(["event_key", "type_id"]).execute(),
    db.selectFrom("activity_types").select(["id", "name"]).execute(),
  ]);
  const map = new Map<string, string | null>();
  for (const t of types) map.set(slugify(t.name), t.id);
  const known = new Set(types.map((t) => t.id));
  for (const d of DEFAULT_EVENT_MAPPINGS) if (known.has(d.typeId)) map.set(eventKey(d.eventName), d.typeId);
  for (const c of custom) map.set(c.event_key, c.type_id);
  // Names repeat (a site sends a few dozen): each is turned into its key once per resolver.
  const byName = new Map<string, string | null | undefined>();
  return (name) => {
    const hit = byName.get(name);
    if (hit !== undefined || byName.has(name)) return hit;
    const typeId = map.get(eventKey(name));
    if (byName.size < 10_000) byName.set(name, typeId);
    return typeId;
  };
}

/** The mapping in force: every default and every admin's choice (custom wins). */
export async function listEventMappings(db: Db): Promise<EventMapping[]> {
  const custom = await db.selectFrom("event_mappings").select(["event_key", "event_name", "type_id"]).execute();
  const byKey = new Map<string, EventMapping>();
  for (const d of DEFAULT_EVENT_MAPPINGS) byKey.set(eventKey(d.eventName), { ...d, origin: "default" });
  for (const c of custom) byKey.set(c.event_key, { eventName: c.event_name, typeId: c.type_id, origin: "custom" });
  return [...byKey.values()].sort((a, b) => a.eventName.localeCompare(b.eventName));
}

/** Unmapped names (counted as they arrive) still without a mapping, most frequent first, with how many wait. */
export async function listUnmapped(db: Db): Promise<UnmappedEvent[]> {
  const resolve = await trackResolver(db);
  const rows = await db.selectFrom("event_unmapped").selectAll().orderBy("count", "desc").limit(500).execute();
  const waiting = await db
    .selectFrom("event_held")
    .select(["event_name", db.fn.countAll<number | string>().as("n")])
    .where("type_id", "is", null)
    .groupBy("event_name")
    .execute();
  const waitingBy = new Map<string, number>();
  for (const w of waiting) waitingBy.set(eventKey(w.event_name), (waitingBy.get(eventKey(w.event_name)) ?? 0) + Number(w.n));
  return rows
    .filter((r) => resolve(r.event_name) === undefined)
    .map((r) => ({
      eventName: r.event_name,
      count: Number(r.count),
      waiting: waitingBy.get(r.event_key) ?? 0,
      lastSeenAt: r.last_seen_at,
    }));
}

/** Counts unmapped names of one commit (one upsert per name). */
export async function countUnmapped(db: Db, names: ReadonlyMap<string, { name: string; count: number }>, now: string) {
  for (const [key, { name, count }] of names) {
    await db
      .insertInto("event_unmapped")
      .values({ event_key: key, event_name: name, count, first_seen_at: now, last_seen_at: now })
      .onConflict((oc) =>
        oc.column("event_key").doUpdateSet((eb) => ({
          count: eb("event_unmapped.count", "+", eb.ref("excluded.count")),
          last_seen_at: eb.ref("excluded.last_seen_at"),
        })),
      )
      .execute();
  }
}

/**
 * Saves the admin's mapping (a null type: not imported) in one transaction, then releases the held events of
 * names that now have a type. Unknown activity types are refused (400 naming the item) and nothing changes.
 */
export async function saveEventMappings(
  deps: Deps,
  items: ReadonlyArray<{ eventName: string; typeId: string | null }>,
): Promise<number> {
  const now = deps.clock().toISOString();
  const types = new Set((await deps.db.selectFrom("activity_types").select("id").execute()).map((t) => t.id));
  const issues = items.flatMap((it, i) =>
    it.typeId !== null && !types.has(it.typeId)
      ? [{ field: `items.${i}.typeId`, message: `'${it.typeId}' is not an activity type (GET /api/activity-types lists them)` }]
      : [],
  );
  if (issues.length) throw validationError("request body", issues);
  cached.delete(deps.db);
  const released = await deps.db.transaction().execute(async (trx) => {
    for (const it of items) {
      const key = eventKey(it.eventName);
      await trx
        .insertInto("event_mappings")
        .values({ event_key: key, event_name: it.eventName, type_id: it.typeId, updated_at: now })
        .onConflict((oc) => oc.column("event_key").doUpdateSet({ event_name: it.eventName, type_id: it.typeId, updated_at: now }))
        .execute();
    }
    await remapHeld(trx);
    return (await releaseHeld({ ...deps, db: trx })).released;
  });
  cached.delete(deps.db);
  return released;
}

/** Held unmapped events take the type their name has now (names compared as eventKey does); "not imported" ones go. */
export async function remapHeld(db: Db): Promise<void> {
  const resolve = await trackResolver(db);
  const names = await db.selectFrom("event_held").select("event_name").distinct().where("type_id", "is", null).execute();
  for (const { event_name } of names) {
    const typeId = resolve(event_name);
    if (typeId === null)
      await db.deleteFrom("event_held").where("event_name", "=", event_name).where("type_id", "is", null).execute();
    else if (typeId)
      await db
        .updateTable("event_held")
        .set({ type_id: typeId })
        .where("event_name", "=", event_name)
        .where("type_id", "is", null)
        .execute();
  }
}
