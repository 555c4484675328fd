import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Config } from "../config";
import { pgClientConfig } from "../db/create-db";
import { isDatabaseUnavailable } from "../db/errors";
import type { GroupDetailsCache } from "./details-cache";
import { SUMMARY_LANGS } from "./summaries";

/**
 * PostgreSQL: serving cached group details without asking the database each time, and still never stale
 * across the servers that share the database (issue 17).
 *
 * Every change of a group's `details_version` and every deleted group is announced by NOTIFY at commit
 * (migration 0020) on one channel per schema. Each server keeps one connection (`quorum details-feed` in
 * pg_stat_activity) that LISTENs on it, and on that same connection:
 *
 * - **Heartbeat and lease.** Every `heartbeatMs` it sends `pg_notify(channel, 'h:<server>')`. When the answer
 *   arrives, the server holds a lease until send time + `leaseMs`. PostgreSQL hands a connection the
 *   notifications committed before its statement ended ahead of that statement's answer, and node-pg
 *   handles messages in order, so a lease that is renewed by a heartbeat that ended after a change was
 *   committed is renewed only after that change's notification has been handled. A change committed at time
 *   c can therefore be served stale only under a lease renewed by a heartbeat sent before c, which ends
 *   before c + `leaseMs`.
 * - **Trust.** A cached body is served without a database read only while the lease holds, the connection
 *   is the one that was listening when the body was checked (`epoch`), and no notification named the group
 *   since the version read that the body was checked against started (`begin`/`end`). Otherwise the request
 *   reads the version (one indexed row), as without the feed, and the check trusts the body again.
 * - **Fence.** A server that made a change (any request that can write, but the event webhooks) does not answer until every
 *   server that may hold a lease has handled the change: it sends `f:<server>:<n>` after the change
 *   committed; each server answers `a:<writer>:<n>:<server>` when the fence reaches it (after every
 *   earlier notification, so after the change's); the writer waits for the answers of the servers it heard
 *   a heartbeat from in the last `leaseMs` (a server not heard from that long holds no lease that predates
 *   the fence), at most until `leaseMs` after the fence started, when every older lease has run out anyway.
 *   The usual cost is one round trip through PostgreSQL (0.4–1.5 ms measured); a server that died costs its peers'
 *   writes up to `leaseMs` until its heartbeats are `leaseMs` old.
 *
 * Lost connection (PostgreSQL restarted, the connection killed): the epoch moves, so nothing cached is
 * trusted until a version read checks it again; fences wait the full lease; it reconnects every second.
 * Changes made outside any server's API (the worker thread's jobs, the CLI, an import) reach every server's
 * cache through the same notifications, within the delivery time (milliseconds), but nobody waits for them.
 */
export interface DetailsFeedOptions {
  /** How often the lease is renewed (ms). */
  heartbeatMs?: number;
  /** How long one renewal holds (ms); also the longest a write waits for a silent server. */
  leaseMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

/** What a request's version check began with: the feed's place in its notifications, and the connection. */
export interface FeedToken {
  seq: number;
  epoch: number;
  open: boolean;
}

const RECONNECT_MS = 1000;
/** A heartbeat unanswered this long (ms) means a hung connection: it is dropped and opened again. */
const HUNG_MS = 10_000;
/** The notifications remembered for checks in flight are pruned beyond this many groups. */
const RECENT_MAX = 10_000;

export class DetailsFeed {
  /** This server, in the feed's messages. */
  readonly id = randomBytes(6).toString("hex");
  readonly heartbeatMs: number;
  readonly leaseMs: number;
  /** Bumped at every (re)connection and loss; a body is trusted only for the epoch it was checked in. */
  epoch = 0;
  private listening = false;
  private closed = false;
  private client: pg.Client | null = null;
  private channel = "";
  private seq = 0;
  /** Group id → seq of its last notification, while version checks are in flight. */
  private readonly recent = new Map<string, number>();
  /** seq each check in flight began at → how many. */
  private readonly inflight = new Map<number, number>();
  private inflightCount = 0;
  private leaseUntil = 0;
  private heartbeatInFlight = false;
  private heartbeatSentAt = 0;
  private readonly peers = new Map<string, number>();
  private fenceSeq = 0;
  private readonly acked = new Map<string, number>();
  private readonly fences = new Map<number, { waitFor: Set<string> | null; done: () => void }>();
  private timer: NodeJS.Timeout | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private readonly caches = new Set<GroupDetailsCache>();
  private readonly log: (msg: string, err?: unknown) => void;

  constructor(
    readonly database: Extract<Config["database"], { kind: "postgres" }>,
    options: DetailsFeedOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 100;
    this.leaseMs = options.leaseMs ?? 500;
    if (this.heartbeatMs * 2 > this.leaseMs) throw new Error("details feed: leaseMs must be at least twice heartbeatMs");
    this.log = options.log ?? ((msg, err) => console.error(msg, err ?? ""));
  }

  /** Connects and starts listening; a failure is logged and retried (requests read versions meanwhile). */
  async start(): Promise<this> {
    await this.connect();
    return this;
  }

  /** The caches whose bodies the feed's notifications concern (one per app). */
  attach(cache: GroupDetailsCache): void {
    this.caches.add(cache);
  }

  /** The channel it listens on (`qd:<md5 of the schema>`), once connected. */
  get channelName(): string {
    return this.channel;
  }

  /** The PostgreSQL backend of the listening connection (pg_stat_activity's pid), while connected. */
  get backendPid(): number | undefined {
    return (this.client as (pg.Client & { processID?: number }) | null)?.processID;
  }

  /** True while bodies checked in the current epoch may be served without a database read. */
  get leased(): boolean {
    return this.listening && performance.now() < this.leaseUntil;
  }

  /** May `trustedEpoch` (what {@link end} gave a cached body) be served now without reading its version? */
  trusts(trustedEpoch: number | undefined): boolean {
    return trustedEpoch === this.epoch && this.leased;
  }

  /** Call right before sending a version read; pass the token to {@link end} exactly once. */
  begin(): FeedToken {
    this.inflightCount++;
    this.inflight.set(this.seq, (this.inflight.get(this.seq) ?? 0) + 1);
    return { seq: this.seq, epoch: this.epoch, open: true };
  }

  /**
   * Ends a check: the epoch to trust a body of group `id` under, or undefined when that body must not be
   * trusted (a notification named the group since `begin`, or the connection changed or is down).
   * Idempotent per token. Call it in the same synchronous step that stores or marks the body.
   */
  end(token: FeedToken, id?: string): number | undefined {
    if (!token.open) return undefined;
    token.open = false;
    this.inflightCount--;
    const left = (this.inflight.get(token.seq) ?? 1) - 1;
    if (left > 0) this.inflight.set(token.seq, left);
    else this.inflight.delete(token.seq);
    const moved = id !== undefined && (this.recent.get(id) ?? -1) > token.seq;
    if (this.inflightCount === 0) this.recent.clear();
    if (id === undefined || moved || !this.listening || token.epoch !== this.epoch) return undefined;
    return this.epoch;
  }

  /**
   * Waits until every server that may hold a lease has handled the notifications of the changes this
   * server committed before the call (see the class comment). Never throws.
   */
  async fence(): Promise<void> {
    const deadline = performance.now() + this.leaseMs * 1.1 + 5;
    const timeout = () => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - performance.now())));
    if (!this.listening || !this.client) return timeout();
    const n = ++this.fenceSeq;
    const client = this.client;
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.fences.set(n, { waitFor: null, done: finish });
    const t = setTimeout(finish, Math.max(0, deadline - performance.now()));
    client.query("select pg_notify($1, $2)", [this.channel, `f:${this.id}:${n}`]).catch(() => {
      // The connection is going: wait out the lease (the timer above).
    });
    await done;
    clearTimeout(t);
    this.fences.delete(n);
  }

  /** Stops listening and tells the other servers not to wait for this one. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.reconnect);
    const client = this.client;
    this.client = null;
    this.lost();
    for (const f of this.fences.values()) f.done();
    if (!client) return;
    try {
      await client.query("select pg_notify($1, $2)", [this.channel, `b:${this.id}`]);
    } catch {
      // Going anyway.
    }
    await client.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    // keepAlive: a connection whose peer vanished without closing it (a network failure) ends instead of hanging.
    const client = new pg.Client({ ...pgClientConfig(this.database, "details-feed"), keepAlive: true });
    const onGone = (err?: Error) => {
      if (this.client !== client) return;
      if (err && !isDatabaseUnavailable(err)) this.log("[quorum] details feed connection lost", err);
      this.client = null;
      this.lost();
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on("error", onGone);
    client.on("end", () => onGone());
    client.on("notification", (m) => {
      if (this.client === client && m.channel === this.channel) this.onMessage(m.payload ?? "");
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ channel: string }>(
        "select 'qd:' || md5(n.nspname) as channel from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = 'buying_groups'::regclass",
      );
      this.channel = rows[0]!.channel;
      await client.query(`listen "${this.channel}"`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.epoch++;
      this.listening = true;
      this.leaseUntil = 0;
      clearInterval(this.timer);
      this.timer = setInterval(() => this.heartbeat(), this.heartbeatMs);
      this.timer.unref();
      this.heartbeat();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) this.log("[quorum] details feed could not listen (retrying)", err);
      client.end().catch(() => {});
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.connect();
    }, RECONNECT_MS);
    this.reconnect.unref();
  }

  /** Nothing cached is trusted any more; fences wait the lease out. */
  private lost(): void {
    this.listening = false;
    this.epoch++;
    this.leaseUntil = 0;
    this.heartbeatInFlight = false;
    clearInterval(this.timer);
  }

  private heartbeat(): void {
    const client = this.client;
    if (!client || !this.listening) return;
    if (this.heartbeatInFlight) {
      // No answer for this long: the connection hangs. Drop it (the lease has long run out) and connect again.
      if (performance.now() - this.heartbeatSentAt > HUNG_MS)
        client.emit("error", new Error("details feed: heartbeat unanswered"));
      return;
    }
    this.heartbeatInFlight = true;
    const sentAt = performance.now();
    this.heartbeatSentAt = sentAt;
    const epoch = this.epoch;
    client.query("select pg_notify($1, $2)", [this.channel, `h:${this.id}`]).then(
      () => {
        if (this.epoch !== epoch) return;
        this.heartbeatInFlight = false;
        this.leaseUntil = Math.max(this.leaseUntil, sentAt + this.leaseMs);
      },
      () => {
        // The connection's own error handler takes over.
      },
    );
  }

  private onMessage(payload: string): void {
    const kind = payload.slice(0, 2);
    const rest = payload.slice(2);
    if (kind === "v:") {
      this.seq++;
      for (const id of rest.split(",")) {
        if (this.inflightCount > 0) this.recent.set(id, this.seq);
        for (const cache of this.caches) for (const lang of SUMMARY_LANGS) cache.untrust(id, lang);
      }
      if (this.recent.size > RECENT_MAX) this.pruneRecent();
    } else if (kind === "h:") {
      if (rest !== this.id) this.peers.set(rest, performance.now());
    } else if (kind === "b:") {
      this.peers.delete(rest);
      this.acked.delete(rest);
      this.settleFences();
    } else if (kind === "f:") {
      const [writer, n] = rest.split(":");
      if (writer === this.id) this.ownFence(Number(n));
      else if (writer && n)
        this.client?.query("select pg_notify($1, $2)", [this.channel, `a:${writer}:${n}:${this.id}`]).catch(() => {});
    } else if (kind === "a:") {
      const [writer, n, peer] = rest.split(":");
      if (writer !== this.id || !peer) return;
      this.acked.set(peer, Math.max(this.acked.get(peer) ?? 0, Number(n)));
      this.settleFences();
    }
  }

  /** This server's fence came back: every earlier notification is in. Whom to wait for is known now. */
  private ownFence(n: number): void {
    const fence = this.fences.get(n);
    if (!fence) return;
    const since = performance.now() - this.leaseMs;
    fence.waitFor = new Set();
    for (const [peer, heard] of this.peers) {
      if (heard >= since) fence.waitFor.add(peer);
      else if (heard < since - 60_000) this.peers.delete(peer);
    }
    this.settleFences();
  }

  private settleFences(): void {
    for (const [n, fence] of this.fences) {
      if (!fence.waitFor) continue;
      let all = true;
      for (const peer of fence.waitFor) if ((this.acked.get(peer) ?? 0) < n && this.peers.has(peer)) all = false;
      if (all) fence.done();
    }
  }

  private pruneRecent(): void {
    let min = Number.POSITIVE_INFINITY;
    for (const s of this.inflight.keys()) min = Math.min(min, s);
    for (const [id, s] of this.recent) if (s <= min) this.recent.delete(id);
  }
}

/** `serve`'s feed (PostgreSQL with QUORUM_PG_DETAILS_FEED=on), connected and listening. */
export const startDetailsFeed = (
  database: Extract<Config["database"], { kind: "postgres" }>,
  options: DetailsFeedOptions = {},
): Promise<DetailsFeed> => new DetailsFeed(database, options).start();
