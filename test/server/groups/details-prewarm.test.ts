import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../server/app";
import { type CachedDetails, detailsCachesOf, type GroupDetailsCache } from "../../../server/groups/details-cache";
import {
  hotList,
  IDLE_MAX_MS,
  offerPrewarmed,
  type PrewarmedMessage,
  startDetailsPrewarm,
} from "../../../server/groups/details-prewarm";
import { getGroupDetails } from "../../../server/groups/groups.service";
import { runBackgroundJobsUntilIdle } from "../../../server/scores/recompute-jobs";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Pre-warming (server/groups/details-prewarm.ts): after a change moves the details version of groups
// requests read, the background thread rebuilds their details and offers them to the request thread's
// cache, so the next request is served without a rebuild. Here the two sides run on one thread (the
// messages are passed by hand); the real database, app and recompute job are used. What must hold: a
// pre-warmed body is exactly what a fresh build gives, and a body outdated by a later change is never served.
describe("group details pre-warming after bulk changes", () => {
  let t: TestContext;
  let groupId: string;
  let ann: string;
  let bob: string;
  let cache: GroupDetailsCache;
  let sent: PrewarmedMessage[];
  let prewarm: ReturnType<typeof startDetailsPrewarm>;
  const read = async (app = t.app) => {
    const res = await app.request(`/api/groups/${groupId}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  };
  const cached = (): CachedDetails => cache.get(groupId)!;
  const fresh = async () => JSON.parse(JSON.stringify(await getGroupDetails(t.deps, groupId)));
  const ok = async (p: Promise<{ status: number; body: any }>) => {
    const res = await p;
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  /** The background side's pass over the request side's hot list: returns what it posted. */
  const prewarmPass = async () => {
    sent = [];
    prewarm.setHot(hotList(detailsCachesOf(t.deps.db)).items);
    await prewarm.pass();
    return sent;
  };
  const recomputeAll = async () => {
    await ok(t.call("POST", "/api/scores/recompute"));
    await runBackgroundJobsUntilIdle(t.deps);
  };

  beforeEach(async () => {
    t = await createTestContext({ now: new Date("2026-11-23T12:00:00.000Z") });
    const setup = await groupSetup(t);
    groupId = setup.group.id;
    ann = (await person(t, setup.account.id, "Ann", { jobTitle: "CFO" })).id;
    bob = (await person(t, setup.account.id, "Bob", { jobTitle: "Engineer" })).id;
    await ok(t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: ann, roleKey: "decision-maker" }] }));
    await ok(
      t.call("POST", "/api/activities", { activities: activities(ann, "visit-webpage", 3, new Date("2026-11-23T09:00:00Z")) }),
    );
    cache = detailsCachesOf(t.deps.db)[0]!;
    sent = [];
    prewarm = startDetailsPrewarm(t.deps, (m) => sent.push(structuredClone(m)), { tickMs: 3_600_000 });
  });
  afterEach(async () => {
    await prewarm.stop();
    await t.close();
  });

  it("rebuilds a read group whose version a recompute moved; the next request is served that body, as fresh", async () => {
    await read();
    expect(await prewarmPass()).toEqual([]); // nothing moved: nothing built
    t.clock.now = new Date("2026-11-23T13:00:00.000Z");
    await recomputeAll();
    const posted = await prewarmPass();
    expect(posted.map((m) => m.key)).toEqual([groupId]);
    offerPrewarmed(detailsCachesOf(t.deps.db), posted[0]!);
    // The request comes later; served from the pre-warmed entry (built at 13:00), not rebuilt (14:00).
    t.clock.now = new Date("2026-11-23T14:00:00.000Z");
    const after = await read();
    expect(cached().builtAt).toBe(new Date("2026-11-23T13:00:00.000Z").getTime());
    expect(after.group.scoresComputedAt).toBe("2026-11-23T13:00:00.000Z");
    expect(after).toEqual(await fresh());
    // Pre-warmed once per version: a second pass with nothing new builds nothing.
    expect(await prewarmPass()).toEqual([]);
  });

  it("a body pre-warmed before a later change is never served: the request shows the change", async () => {
    await read();
    t.clock.now = new Date("2026-11-23T13:00:00.000Z");
    await recomputeAll();
    const posted = await prewarmPass();
    expect(posted).toHaveLength(1);
    // Bob joins after the body was built, before it reaches the cache (the message is in flight).
    await ok(t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: bob, roleKey: "practitioner" }] }));
    offerPrewarmed(detailsCachesOf(t.deps.db), posted[0]!);
    const after = await read();
    expect(after.members.map((m: any) => m.personId).sort()).toEqual([ann, bob].sort());
    expect(after).toEqual(await fresh());
  });

  it("an offer older than what the cache holds is ignored, and keys no longer cached are not added", async () => {
    await read();
    t.clock.now = new Date("2026-11-23T13:00:00.000Z");
    await recomputeAll();
    const stale = (await prewarmPass())[0]!;
    // The request thread rebuilt it first (the pre-warm was late), then Bob's activities moved it again.
    await read();
    await ok(
      t.call("POST", "/api/activities", { activities: activities(bob, "visit-webpage", 2, new Date("2026-11-23T12:30:00Z")) }),
    );
    await ok(t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: bob, roleKey: "practitioner" }] }));
    const current = await read();
    const held = cached();
    expect(offerPrewarmed(detailsCachesOf(t.deps.db), stale)).toBeUndefined();
    expect(cached()).toEqual(held);
    expect(await read()).toEqual(current);
    // A key the cache no longer holds (evicted, or the group deleted) is not brought back by an offer.
    cache.delete(groupId);
    offerPrewarmed(detailsCachesOf(t.deps.db), { ...stale, entry: { ...stale.entry, version: held.version + 1 } });
    expect(cache.get(groupId)).toBeUndefined();
  });

  it("activity ingest: the pre-warmed body has the member's new score and the group's new engagement", async () => {
    const before = await read();
    await ok(
      t.call("POST", "/api/activities", { activities: activities(ann, "visit-webpage", 4, new Date("2026-11-23T11:00:00Z")) }),
    );
    const posted = await prewarmPass();
    expect(posted).toHaveLength(1);
    offerPrewarmed(detailsCachesOf(t.deps.db), posted[0]!);
    const after = await read();
    expect(after.members[0].score).toBeGreaterThan(before.members[0].score);
    expect(after.group.engagement).toBeGreaterThan(before.group.engagement);
    expect(after).toEqual(await fresh());
  });

  it("only groups requests read recently are pre-warmed; another app's cache (another process) keeps its own entries", async () => {
    expect(hotList(detailsCachesOf(t.deps.db)).items).toEqual([]);
    const other = createApp(t.deps);
    await read(other);
    const list = hotList(detailsCachesOf(t.deps.db));
    expect(list.items.map((h) => h.id)).toEqual([groupId]);
    expect(hotList(detailsCachesOf(t.deps.db), Date.now() + 61_000).items).toEqual([]);
    t.clock.now = new Date("2026-11-23T13:00:00.000Z");
    await recomputeAll();
    const posted = await prewarmPass();
    offerPrewarmed(detailsCachesOf(t.deps.db), posted[0]!);
    // Only the app that had it cached took it; the first app builds its own on its first read.
    expect(cache.get(groupId)).toBeUndefined();
    expect(await read()).toEqual(await read(other));
  });

  it("a deleted group is skipped, not resurrected", async () => {
    await read();
    await ok(t.call("DELETE", `/api/groups/${groupId}`));
    expect(await prewarmPass()).toEqual([]);
    const res = await t.app.request(`/api/groups/${groupId}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(res.status).toBe(404);
  });

  it("on its own clock, after backing off while nothing moved, still rebuilds a change within IDLE_MAX_MS", async () => {
    await read();
    const ticking: PrewarmedMessage[] = [];
    const live = startDetailsPrewarm(t.deps, (m) => ticking.push(structuredClone(m)), { tickMs: 20 });
    try {
      live.setHot(hotList(detailsCachesOf(t.deps.db)).items);
      // Idle long enough to back off well past the tick (20, 40, 80 … ms).
      await new Promise((r) => setTimeout(r, 1_500));
      expect(ticking).toEqual([]);
      t.clock.now = new Date("2026-11-23T13:00:00.000Z");
      await recomputeAll();
      const moved = Date.now();
      while (ticking.length === 0 && Date.now() - moved < IDLE_MAX_MS + 2_000) await new Promise((r) => setTimeout(r, 20));
      expect(ticking.map((m) => m.key)).toEqual([groupId]);
      expect(Date.now() - moved).toBeLessThanOrEqual(IDLE_MAX_MS + 2_000);
      expect(ticking[0]!.entry.body).toEqual(new TextEncoder().encode(JSON.stringify(await fresh())));
    } finally {
      await live.stop();
    }
  }, 15_000);

  it("asks the request thread for its hot list only when a pass is due, and passes on the answer", async () => {
    await read();
    const built: PrewarmedMessage[] = [];
    let asked = 0;
    let answer = true;
    const live = startDetailsPrewarm(t.deps, (m) => built.push(structuredClone(m)), {
      tickMs: 20,
      request: () => {
        asked++;
        // The request thread answers with what its caches hold (host.ts does this on the worker's message).
        if (answer) setImmediate(() => live.setHot(hotList(detailsCachesOf(t.deps.db)).items));
      },
    });
    try {
      // Nothing moves for 1.5 s: passes back off (20, 40, 80 … ms), so the list is asked for a handful of
      // times, not every tick (75).
      await new Promise((r) => setTimeout(r, 1_500));
      expect(asked).toBeGreaterThanOrEqual(3);
      expect(asked).toBeLessThanOrEqual(12);
      expect(built).toEqual([]);
      // Unanswered (the request thread busy): no pass runs, and it asks again about once a second.
      answer = false;
      t.clock.now = new Date("2026-11-23T13:00:00.000Z");
      await recomputeAll();
      const before = asked;
      await new Promise((r) => setTimeout(r, IDLE_MAX_MS + 2_500));
      expect(built).toEqual([]);
      expect(asked - before).toBeGreaterThanOrEqual(2);
      expect(asked - before).toBeLessThanOrEqual(8);
      // Answered again: the moved group is rebuilt from the answer.
      answer = true;
      const moved = Date.now();
      while (built.length === 0 && Date.now() - moved < 3_000) await new Promise((r) => setTimeout(r, 20));
      expect(built.map((m) => m.key)).toEqual([groupId]);
      expect(built[0]!.entry.body).toEqual(new TextEncoder().encode(JSON.stringify(await fresh())));
    } finally {
      await live.stop();
    }
  }, 20_000);
});
