import { QuorumError } from "../../shared/errors";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { parseJson, toJson } from "../db/json";

export type EventType = "member.assigned" | "member.removed" | "member.role_changed" | "group.stage_changed";

export interface NewEvent {
  at: string;
  type: EventType;
  groupId: string | null;
  personId: string | null;
  source: string;
  data: Record<string, unknown>;
}

export interface FeedEvent extends NewEvent {
  id: string;
  cursor: string;
}

let sequence = 0;

/** Appends events; call inside the transaction that made the change so the feed never shows a change that rolled back. */
export async function writeEvents(db: Db, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  // Events of one transaction share `at`; ids grow monotonically in this process (wall clock, then a
  // counter) so the feed order is the write order and a cursor never skips a later write with the same `at`.
  const base = `evt_${Date.now().toString().padStart(15, "0")}_${String(++sequence).padStart(10, "0")}`;
  await db
    .insertInto("events")
    .values(
      events.map((e, i) => ({
        id: `${base}_${String(i).padStart(5, "0")}_${newId("r").slice(2, 8)}`,
        at: e.at,
        type: e.type,
        group_id: e.groupId,
        person_id: e.personId,
        source: e.source,
        data: toJson(e.data),
      })),
    )
    .execute();
}

const encode = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString("base64url");

function decode(cursor: string): { at: string; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const [at, id] = text.split("|");
  if (!at || !id || Number.isNaN(Date.parse(at))) {
    throw new QuorumError(400, "validation_failed", "Invalid query string: after is not a cursor returned by this feed.", {
      issues: [{ field: "after", message: "is not a cursor returned by this feed" }],
    });
  }
  return { at, id };
}

/** Events after a cursor (oldest first); `next` is the cursor to pass next time (unchanged when nothing is new). */
export async function listEvents(db: Db, after: string | undefined, limit: number) {
  let q = db.selectFrom("events").selectAll();
  if (after) {
    const c = decode(after);
    q = q.where((eb) => eb.or([eb("at", ">", c.at), eb.and([eb("at", "=", c.at), eb("id", ">", c.id)])]));
  }
  const rows = await q.orderBy("at").orderBy("id").limit(limit).execute();
  const items: FeedEvent[] = rows.map((r) => ({
    id: r.id,
    at: r.at,
    type: r.type as EventType,
    groupId: r.group_id,
    personId: r.person_id,
    source: r.source,
    data: parseJson(r.data, {}),
    cursor: encode(r.at, r.id),
  }));
  const last = items[items.length - 1];
  return { items, next: last ? last.cursor : (after ?? null), hasMore: items.length === limit };
}
