import { sql } from "kysely";
import { unsafeTextReason } from "../../shared/api/text";
import { QuorumError } from "../../shared/errors";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { newId } from "../db/ids";
import { parseJson, toJson } from "../db/json";

export type EventType =
  | "member.assigned"
  | "member.removed"
  | "member.role_changed"
  | "group.stage_changed"
  /** A buying group was deleted (its active members each get a member.removed first). */
  | "group.deleted";

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

/**
 * Appends events; call inside the transaction that made the change so the feed never shows a change
 * that rolled back. The database numbers them (`seq`: identity on PostgreSQL, AUTOINCREMENT on
 * SQLite) in the order of this array, whichever process writes them.
 */
export async function writeEvents(db: Db, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto("events")
    .values(
      events.map((e) => ({
        id: newId("evt"),
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

const encode = (seq: number) => Buffer.from(`s${seq}`).toString("base64url");

const badCursor = () =>
  new QuorumError(400, "validation_failed", "Invalid query string: after is not a cursor returned by this feed.", {
    issues: [{ field: "after", message: "is not a cursor returned by this feed" }],
  });

/** The feed position a cursor stands for. Cursors from before the sequence (`at|id`) map to that event's number. */
async function decode(db: Db, cursor: string): Promise<number> {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const m = /^s(\d{1,18})$/.exec(text);
  if (m) return Number(m[1]);
  const [at, id] = text.split("|");
  if (!at || !id || Number.isNaN(Date.parse(at)) || unsafeTextReason(id)) throw badCursor();
  const row = await db.selectFrom("events").select("seq").where("id", "=", id).executeTakeFirst();
  if (!row) throw badCursor();
  return Number(row.seq);
}

interface EventRow {
  seq: number | string;
  id: string;
  at: string;
  type: string;
  group_id: string | null;
  person_id: string | null;
  source: string;
  data: string;
}

export interface FeedOptions {
  /**
   * PostgreSQL: how long a read waits for transactions still running to finish when committed
   * events are held back behind them (see below), in ms. Afterwards it returns what is settled.
   */
  settleWaitMs?: number;
}

/**
 * PostgreSQL: events after position `after` in (writing transaction, seq) order, each with whether it
 * is settled: its transaction id is below the snapshot's xmin, so every transaction that could still
 * commit an event before it in this order has finished. Identity values are handed out at INSERT, not
 * at COMMIT, so ordering by `seq` alone could show seq 8 (committed) while seq 7 (running) is
 * invisible, and a reader's cursor would then skip 7 for ever. Transaction ids never go back below
 * the xmin, so a cursor past settled rows only never skips a committed event.
 */
async function pgPage(db: Db, after: number | null, limit: number) {
  const position =
    after === null
      ? sql`true`
      : sql`(e.tx_id, e.seq) > (coalesce((select p.tx_id from events p where p.seq = ${after}), '0'::xid8), ${after})`;
  const r = await sql<EventRow & { settled: boolean }>`
    select e.seq, e.id, e.at, e.type, e.group_id, e.person_id, e.source, e.data,
      e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) as settled
    from events e
    where ${position}
    order by e.tx_id, e.seq
    limit ${limit}`.execute(db);
  return r.rows;
}

/**
 * Events after a cursor (oldest first); `next` is the cursor to pass next time (unchanged when nothing
 * is new). A cursor never skips an event that commits later, on either engine: SQLite has one writer,
 * so `seq` order is commit order; PostgreSQL is handled in `pgPage`.
 */
export async function listEvents(db: Db, after: string | undefined, limit: number, options: FeedOptions = {}) {
  const position = after ? await decode(db, after) : null;
  let rows: EventRow[];
  let heldBack = false;
  if (isPostgres(db)) {
    const deadline = Date.now() + (options.settleWaitMs ?? 3000);
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      const page = await pgPage(db, position, limit);
      const settled = page.findIndex((r) => !r.settled);
      rows = settled < 0 ? page : page.slice(0, settled);
      heldBack = settled >= 0;
      // Committed events wait behind a transaction still running: wait briefly for it to end.
      if (!heldBack || rows.length === limit || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, pause));
    }
  } else {
    rows = await db
      .selectFrom("events")
      .select(["seq", "id", "at", "type", "group_id", "person_id", "source", "data"])
      .$if(position !== null, (q) => q.where("seq", ">", position!))
      .orderBy("seq")
      .limit(limit)
      .execute();
  }
  const items: FeedEvent[] = rows.map((r) => ({
    id: r.id,
    at: r.at,
    type: r.type as EventType,
    groupId: r.group_id,
    personId: r.person_id,
    source: r.source,
    data: parseJson(r.data, {}),
    cursor: encode(Number(r.seq)),
  }));
  const last = items[items.length - 1];
  return { items, next: last ? last.cursor : (after ?? null), hasMore: items.length === limit || heldBack };
}
