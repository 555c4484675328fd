import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../server/app";
import { type DetailsFeed, startDetailsFeed } from "../../../server/groups/details-feed";
import { groupSetup, person } from "../../helpers/factories";
import { recordPgStatements } from "../../helpers/pg-statements";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Issue 17: on PostgreSQL, each server's details feed (server/groups/details-feed.ts) lets it serve a cached
// group's details without reading the version from the database, while a change made through any server's
// API is still never served stale by another. Two apps with their own caches and feeds on one schema stand
// for two server processes. The statements node-postgres sends are counted to tell a trusted cache hit
// (none) from a checked one (the version read).
const HEARTBEAT_MS = 20;
const LEASE_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!process.env.QUORUM_TEST_DATABASE_URL)("details feed: cached details without a version read, never stale", () => {
  let t: TestContext;
  let groupId: string;
  let ann: string;
  let bob: string;
  const feeds: DetailsFeed[] = [];
  let recording: ReturnType<typeof recordPgStatements> | undefined;
  /** Another server: its own cache and feed on the same database. */
  const server = async () => {
    const feed = await startDetailsFeed(t.feed!.database, { heartbeatMs: HEARTBEAT_MS, leaseMs: LEASE_MS });
    feeds.push(feed);
    return { app: createApp(t.deps, { detailsFeed: feed }), feed };
  };
  const read = async (app: TestContext["app"]) => {
    const res = await app.request(`/api/groups/${groupId}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { members: Array<{ personId: string; roleKey: string | null }> };
  };
  /** The statements that read buying_groups while `fn` runs (the version read, or building the details). */
  const groupReads = async <T>(fn: () => Promise<T>): Promise<{ value: T; reads: number }> => {
    recording!.sent.length = 0;
    const value = await fn();
    return { value, reads: recording!.sent.filter((q) => /buying_groups/.test(q)).length };
  };
  /** A query the recording does not see. */
  const raw = (c: pg.Client, text: string, params: unknown[]) => recording!.raw(c, text, params);
  const clients: pg.Client[] = [];
  /** A plain connection of the test's own (not a server's). */
  const connect = async () => {
    const c = new pg.Client({ connectionString: process.env.QUORUM_TEST_DATABASE_URL });
    await c.connect();
    clients.push(c);
    return c;
  };
  const waitFor = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 200 && !cond(); i++) await sleep(10);
    if (!cond()) throw new Error(`timed out waiting for ${what}`);
  };
  const post = (app: TestContext["app"], path: string, body: unknown, method = "POST") =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${t.tokens.admin}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    t = await createTestContext({ detailsFeed: { heartbeatMs: HEARTBEAT_MS, leaseMs: LEASE_MS } });
    const setup = await groupSetup(t);
    groupId = setup.group.id;
    ann = (await person(t, setup.account.id, "Ann", { jobTitle: "CFO" })).id;
    bob = (await person(t, setup.account.id, "Bob", { jobTitle: "Engineer" })).id;
    const add = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: [{ personId: ann, roleKey: "decision-maker" }],
    });
    expect(add.status).toBe(200);
    await waitFor(() => t.feed!.leased, "the lease");
    recording = recordPgStatements();
  });
  afterEach(async () => {
    recording?.stop();
    await Promise.all(feeds.splice(0).map((f) => f.close()));
    await Promise.all(clients.splice(0).map((c) => c.end()));
    await t.close();
  });

  it("serves a checked body without a database read while the lease holds; without the feed every read asks", async () => {
    await read(t.app); // builds
    await read(t.app); // checks the version: trusted from now on
    for (let i = 0; i < 5; i++) expect((await groupReads(() => read(t.app))).reads).toBe(0);
    const plain = createApp(t.deps); // no feed: the version read on every request
    await read(plain);
    for (let i = 0; i < 3; i++) expect((await groupReads(() => read(plain))).reads).toBe(1);
  });

  it("a change made through one server shows on the very next read through another, every time", async () => {
    const b = await server();
    await waitFor(() => b.feed.leased, "the other server's lease");
    // Each server writes only once it has heard the other's heartbeat (so it waits for the other's answer).
    await sleep(LEASE_MS);
    let trustedReads = 0;
    for (let i = 0; i < 20; i++) {
      await read(b.app);
      const before = await groupReads(() => read(b.app));
      if (before.reads === 0) trustedReads++;
      const role = i % 2 === 0 ? "practitioner" : "decision-maker";
      const res = await post(t.app, `/api/groups/${groupId}/members`, { changes: [{ personId: ann, roleKey: role }] }, "PATCH");
      expect(res.status).toBe(200);
      // No waiting: the writer answered only after b had heard of the change.
      const after = await read(b.app);
      expect(after.members.find((m) => m.personId === ann)?.roleKey, `round ${i}`).toBe(role);
    }
    // The reads before each change were served from b's cache without asking the database.
    expect(trustedReads).toBeGreaterThanOrEqual(18);
  });

  it("a write waits for a server that holds a lease but does not answer, at most about the lease", async () => {
    // A server that is alive (heartbeats) but never answers fences: a hung process, a stalled connection.
    const silent = await connect();
    const channel = t.feed!.channelName;
    let beating = true;
    const beat = async () => {
      while (beating) {
        await raw(silent, "select pg_notify($1, 'h:silent-peer')", [channel]);
        await sleep(HEARTBEAT_MS);
      }
    };
    const beats = beat();
    await sleep(LEASE_MS / 2);
    let started = performance.now();
    let res = await post(t.app, `/api/groups/${groupId}/members`, { members: [{ personId: bob, roleKey: "practitioner" }] });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(LEASE_MS);
    // Once it has been silent for a lease it holds none: writes no longer wait for it.
    beating = false;
    await beats;
    await sleep(LEASE_MS * 1.2);
    started = performance.now();
    res = await post(
      t.app,
      `/api/groups/${groupId}/members`,
      { changes: [{ personId: bob, roleKey: "decision-maker" }] },
      "PATCH",
    );
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(LEASE_MS);
  });

  it("a lost feed connection: nothing cached is trusted until checked again, and the feed comes back", async () => {
    const b = await server();
    await waitFor(() => b.feed.leased, "the other server's lease");
    await sleep(LEASE_MS);
    await read(b.app); // builds, in one snapshot with its version: trusted at once
    expect((await groupReads(() => read(b.app))).reads).toBe(0);
    const pid = b.feed.backendPid!;
    const epoch = b.feed.epoch;
    await raw(await connect(), "select pg_terminate_backend($1)", [pid]);
    // A change through the other server while b's feed is down: the writer cannot hear b, so it waits b's lease out.
    const res = await post(t.app, `/api/groups/${groupId}/members`, { members: [{ personId: bob, roleKey: "practitioner" }] });
    expect(res.status).toBe(200);
    expect((await read(b.app)).members.map((m) => m.personId).sort()).toEqual([ann, bob].sort());
    // It reconnects (a new backend, a new epoch) and trusts checked bodies again.
    await waitFor(() => b.feed.leased && b.feed.backendPid !== pid, "the feed to reconnect");
    expect(b.feed.epoch).toBeGreaterThan(epoch);
    expect((await groupReads(() => read(b.app))).reads).toBe(1);
    expect((await groupReads(() => read(b.app))).reads).toBe(0);
  });

  it("a change made outside every server's API (a job, an import, psql) reaches the cache within the lease", async () => {
    await read(t.app);
    await read(t.app);
    expect((await groupReads(() => read(t.app))).reads).toBe(0);
    await t.deps.db.deleteFrom("group_members").where("group_id", "=", groupId).execute();
    await sleep(LEASE_MS * 1.1 + 5);
    expect((await read(t.app)).members).toEqual([]);
  });
});
