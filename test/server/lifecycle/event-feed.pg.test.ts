import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../server/bootstrap";
import type { Db } from "../../../server/db/create-db";
import { listEvents, type NewEvent, writeEvents } from "../../../server/events/events.repo";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The event feed with several writers on PostgreSQL: sequence numbers are handed out at INSERT, so a
// later number can commit before an earlier one. A reader must never move its cursor past an event
// that commits afterwards.
const event = (personId: string): NewEvent => ({
  at: "2026-11-23T12:00:00.000Z",
  type: "member.assigned",
  groupId: "grp_feed",
  personId,
  source: "manual",
  data: { roleKey: "user" },
});

/** A transaction on its own connection, held open until `commit()` is called. */
function openTransaction(db: Db, body: (trx: Db) => Promise<void>) {
  let commit!: () => void;
  const release = new Promise<void>((r) => {
    commit = r;
  });
  let ready!: () => void;
  const started = new Promise<void>((r) => {
    ready = r;
  });
  const done = db.transaction().execute(async (trx) => {
    await body(trx);
    ready();
    await release;
  });
  return {
    started,
    commit: () => {
      commit();
      return done;
    },
  };
}

describe("event feed with concurrent writers (PostgreSQL)", () => {
  let t: TestContext;
  let other: Db;
  beforeEach(async () => {
    t = await createTestContext();
    other = await openDatabase(t.deps.config);
  });
  afterEach(async () => {
    await other.destroy();
    await t.close();
  });

  // Expecting events: wait as long as other test files' transactions may hold the horizon back.
  // Expecting none: a short wait (the event is held back whatever happens elsewhere).
  const personIds = async (after?: string, settleWaitMs = 10_000) => {
    const page = await listEvents(t.deps.db, after, 100, { settleWaitMs });
    return { ids: page.items.map((e) => e.personId), next: page.next ?? undefined, hasMore: page.hasMore };
  };

  it("holds a committed event back while an earlier-numbered one is uncommitted, then gives both in order", async () => {
    await writeEvents(t.deps.db, [event("p0")]);
    const first = await personIds();
    expect(first.ids).toEqual(["p0"]);

    // A takes sequence number n and stays open; B takes n + 1 and commits first.
    const a = openTransaction(t.deps.db, (trx) => writeEvents(trx, [event("a")]));
    await a.started;
    await writeEvents(other, [event("b")]);
    const seqs = await sql<{ seq: string }>`select seq from events order by seq`.execute(other);
    expect(seqs.rows).toHaveLength(2); // b is visible; a is not (yet)

    const held = await personIds(first.next, 200);
    expect(held.ids).toEqual([]); // b waits behind a: handing it out now would let the cursor skip a
    expect(held.hasMore).toBe(true);
    expect(held.next).toBe(first.next);

    await a.commit();
    const after = await personIds(held.next);
    expect(after.ids).toEqual(["a", "b"]);
    expect((await personIds(after.next, 200)).ids).toEqual([]);
  });

  it("also when the open transaction writes its event only after the other committed", async () => {
    const first = await personIds();
    // A starts writing (it has a transaction id) but adds its event later.
    let wrote!: () => void;
    const gate = new Promise<void>((r) => {
      wrote = r;
    });
    let began!: () => void;
    const hasXid = new Promise<void>((r) => {
      began = r;
    });
    const a = openTransaction(t.deps.db, async (trx) => {
      await sql`insert into app_settings (key, value) values ('feed-test', 'x')`.execute(trx);
      began();
      await gate;
      await writeEvents(trx, [event("late")]);
    });
    await hasXid;
    await writeEvents(other, [event("early")]);
    expect((await personIds(first.next, 200)).ids).toEqual([]);
    wrote();
    await a.started;
    await a.commit();
    // Both arrive, in (transaction, sequence) order; nothing was skipped.
    expect((await personIds(first.next)).ids).toEqual(["late", "early"]);
  });

  it("returns what is settled when the wait runs out, and the rest on the next read", async () => {
    const a = openTransaction(t.deps.db, async (trx) => {
      await sql`insert into app_settings (key, value) values ('feed-test-2', 'x')`.execute(trx);
    });
    await a.started;
    await writeEvents(other, [event("x")]);
    const started = Date.now();
    const page = await listEvents(t.deps.db, undefined, 100, { settleWaitMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(page).toMatchObject({ items: [], hasMore: true, next: null });
    await a.commit();
    expect((await personIds()).ids).toEqual(["x"]);
  });
});
