import { gzipSync } from "node:zlib";
import { CompiledQuery } from "kysely";
import type { GroupDetails } from "../../shared/api/groups";
import { dayInTimeZone } from "../../shared/scoring";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import type { Deps } from "../deps";
import type { DetailsFeed } from "./details-feed";
import { buildGroupDetails } from "./groups.service";
import type { SummaryLang } from "./summaries";

/**
 * Group details (`GET /api/groups/:id`, the side panel's request) served from a per-process cache of
 * the serialized JSON, keyed by group id and `buying_groups.details_version`.
 *
 * Correctness rests on the version: it moves in the same transaction as every change to what the
 * details show (score writes bump it in their UPDATE; membership, people, account, CRM link, journey,
 * template, stage, solution interest and intent changes bump it through the triggers of migration
 * 0006), so every request reads the current version (one indexed row) and a cached body is served
 * only for exactly that version. Processes sharing one database each keep their own cache and stay
 * correct, since the check reads the database. Time alone changes two things, also checked: the
 * calendar day (scores from an earlier day are refreshed first) and intent decay (`validUntil`).
 * A body is stored only when the version read after building it equals the one read before, so a
 * change committed while the details were being read is never cached under the old version.
 * Details do not depend on the caller: auth and role checks run before this on every request.
 */
export interface CachedDetails {
  version: number;
  day: string;
  builtAt: number;
  validUntil: number;
  /** The JSON, UTF-8 encoded once. */
  body: Uint8Array<ArrayBuffer>;
  /** The same bytes gzipped, made on the first request that accepts gzip (what browsers send). */
  gzip?: Uint8Array<ArrayBuffer>;
  /** When a request last read it (epoch ms, this process's clock): what the pre-warmer keeps fresh. */
  readAt?: number;
  /**
   * PostgreSQL with the details feed: the feed epoch in which a version read confirmed this body and no
   * notification has named the group since (details-feed.ts); while the feed's lease holds, the body is
   * served without reading the version. Undefined: read the version first.
   */
  trustedEpoch?: number;
}

/** A cached group a request read recently, as the pre-warmer (details-prewarm.ts) is told about it. */
export interface HotDetails {
  key: string;
  id: string;
  lang: SummaryLang;
  version: number;
}

const entryBytes = (e: CachedDetails) => e.body.byteLength + (e.gzip?.byteLength ?? 0);

/** LRU over serialized bodies, bounded by their total size. */
export class GroupDetailsCache {
  private readonly entries = new Map<string, CachedDetails>();
  private bytes = 0;
  constructor(readonly maxBytes = 32 * 1024 * 1024) {}

  get(id: string): CachedDetails | undefined {
    const e = this.entries.get(id);
    if (e) {
      this.entries.delete(id);
      this.entries.set(id, e);
      e.readAt = Date.now();
    }
    return e;
  }

  /**
   * Replaces a cached body by one built elsewhere (the background thread's pre-warmer) when it is of a
   * newer version (or day); a key no longer cached stays out (it was evicted or deleted). Safe whatever
   * it holds: a request serves a body only for exactly the version it reads from the database, so an
   * outdated offer is never served.
   */
  offer(key: string, e: CachedDetails): boolean {
    const current = this.entries.get(key);
    if (!current || current.version > e.version || (current.version === e.version && current.day >= e.day)) return false;
    // Built elsewhere: checked against the version by the next request before the feed trusts it.
    this.set(key, { ...e, readAt: current.readAt, trustedEpoch: undefined });
    return true;
  }

  /** The feed heard that the group changed: its body is served again only after a version read. */
  untrust(id: string, lang: SummaryLang): void {
    const e = this.entries.get(detailsKey(id, lang));
    if (e) e.trustedEpoch = undefined;
  }

  /** The entries requests read since `since` (epoch ms), most recently read first, at most `max`. */
  hot(since: number, max: number): HotDetails[] {
    const out: HotDetails[] = [];
    // Map order is least recently read first (get() moves an entry to the end).
    const all = [...this.entries];
    for (let i = all.length - 1; i >= 0 && out.length < max; i--) {
      const [key, e] = all[i]!;
      if ((e.readAt ?? 0) < since) continue;
      const colon = key.indexOf(":");
      out.push({
        key,
        id: colon < 0 ? key : key.slice(0, colon),
        lang: (colon < 0 ? "en" : key.slice(colon + 1)) as SummaryLang,
        version: e.version,
      });
    }
    return out;
  }

  set(id: string, e: CachedDetails): void {
    this.delete(id);
    if (entryBytes(e) > this.maxBytes) return;
    this.entries.set(id, e);
    this.bytes += entryBytes(e);
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entryBytes(old);
    }
  }

  delete(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.bytes -= entryBytes(e);
  }

  get size(): number {
    return this.entries.size;
  }
}

const utf8 = new TextEncoder();

/**
 * The caches of the apps serving one database handle (one per process in production; tests may run
 * several apps, each with its own cache, like separate processes): the pre-warmer
 * (server/workers/host.ts) reads which details they hold and offers them rebuilt bodies.
 */
const caches = new WeakMap<Db, Set<GroupDetailsCache>>();
export function registerDetailsCache(db: Db, cache: GroupDetailsCache): GroupDetailsCache {
  const set = caches.get(db) ?? caches.set(db, new Set()).get(db)!;
  set.add(cache);
  return cache;
}
export const detailsCachesOf = (db: Db): GroupDetailsCache[] => [...(caches.get(db) ?? [])];

/** The cache key of a group's details in one language. */
export const detailsKey = (id: string, lang: SummaryLang) => (lang === "en" ? id : `${id}:${lang}`);

/** The version check's SQL, compiled by the dialect once per database and reused with the id. */
const versionSql = new WeakMap<Db, string>();

/**
 * PostgreSQL: version reads that arrive in the same turn of the event loop (concurrent requests) go to
 * the database as one statement, `… where id = any($1)`: one round trip and one statement for the lot
 * instead of one each. Every read is still sent after its request arrived, so it sees every change
 * committed before that, whichever process made it.
 */
interface VersionBatch {
  waiting: Map<string, Array<{ resolve: (v: number | undefined) => void; reject: (e: unknown) => void }>>;
}
const versionBatches = new WeakMap<Db, VersionBatch>();
const BATCH_VERSION_SQL = "select id, details_version from buying_groups where id = any($1::text[])";

function readDetailsVersionBatched(db: Db, groupId: string): Promise<number | undefined> {
  let batch = versionBatches.get(db);
  if (!batch) {
    const current: VersionBatch = { waiting: new Map() };
    batch = current;
    versionBatches.set(db, current);
    setImmediate(() => {
      versionBatches.delete(db);
      const ids = [...current.waiting.keys()];
      db.executeQuery<{ id: string; details_version: number | string }>(CompiledQuery.raw(BATCH_VERSION_SQL, [ids])).then(
        ({ rows }) => {
          const found = new Map(rows.map((r) => [r.id, Number(r.details_version)]));
          for (const [id, list] of current.waiting) for (const w of list) w.resolve(found.get(id));
        },
        (err: unknown) => {
          for (const list of current.waiting.values()) for (const w of list) w.reject(err);
        },
      );
    });
  }
  return new Promise((resolve, reject) => {
    const list = batch.waiting.get(groupId) ?? batch.waiting.set(groupId, []).get(groupId)!;
    list.push({ resolve, reject });
  });
}

export async function readDetailsVersion(db: Db, groupId: string): Promise<number | undefined> {
  if (isPostgres(db) && !db.isTransaction) return readDetailsVersionBatched(db, groupId);
  let text = versionSql.get(db);
  if (!text) {
    text = db.selectFrom("buying_groups").select("details_version").where("id", "=", "").compile().sql;
    versionSql.set(db, text);
  }
  const { rows } = await db.executeQuery<{ details_version: number }>(CompiledQuery.raw(text, [groupId]));
  const v = rows[0]?.details_version;
  return v === undefined ? undefined : Number(v);
}

export interface DetailsBody {
  body: Uint8Array<ArrayBuffer>;
  /** True when `body` is gzipped (send `Content-Encoding: gzip`). */
  gzipped: boolean;
}

/** gzip at the default level: about a fifth of the JSON's size, ~100 µs for a bench group, once per version. */
const gzip = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(gzipSync(bytes));

/**
 * Builds a group's details and the cache entry for them, or `entry: undefined` when the version moved
 * while they were read (then the body is current but must not be cached under either version).
 * `version`: the one read just before, if the caller has it. Throws 404 for an unknown group.
 */
export async function buildDetailsEntry(
  deps: Deps,
  id: string,
  lang: SummaryLang,
  withGzip: boolean,
  version?: number,
): Promise<{ body: Uint8Array<ArrayBuffer>; entry?: CachedDetails }> {
  const now = deps.clock();
  const at = now.getTime();
  const before = version ?? (await readDetailsVersion(deps.db, id));
  const built = await buildGroupDetails(deps, id, now, lang);
  const body = utf8.encode(JSON.stringify(built.details satisfies GroupDetails));
  if (before === undefined) return { body };
  // On PostgreSQL the details are read in one statement with the version they are of (one snapshot):
  // cache them under that version, no second read. Otherwise read the version again: a body is stored
  // only if nothing moved it while the details were read (building may also have refreshed stale
  // scores, which moves it: then the next read caches).
  const builtVersion = built.version ?? ((await readDetailsVersion(deps.db, id)) === before ? before : undefined);
  if (builtVersion === undefined) return { body };
  return {
    body,
    entry: {
      version: builtVersion,
      day: dayInTimeZone(now, deps.config.timeZone),
      builtAt: at,
      validUntil: built.validUntil,
      body,
      gzip: withGzip ? gzip(body) : undefined,
    },
  };
}

/**
 * The details of a group as UTF-8 JSON, gzipped when the caller accepts it, from the cache when its
 * version and day still hold. The gzipped bytes are kept beside the JSON, so a cached request costs
 * no compression and sends about a fifth of the bytes.
 */
export async function groupDetailsBody(
  deps: Deps,
  cache: GroupDetailsCache,
  id: string,
  acceptsGzip: boolean,
  lang: SummaryLang = "en",
  feed?: DetailsFeed,
): Promise<DetailsBody> {
  const now = deps.clock();
  // One entry per language: the generated sentences differ, the version check is the same.
  const key = detailsKey(id, lang);
  const at = now.getTime();
  const day = dayInTimeZone(now, deps.config.timeZone);
  const encoded = (body: Uint8Array<ArrayBuffer>, gzipped?: Uint8Array<ArrayBuffer>): DetailsBody =>
    acceptsGzip ? { body: gzipped ?? gzip(body), gzipped: true } : { body, gzipped: false };
  const serve = (hit: CachedDetails): DetailsBody => {
    if (!acceptsGzip || hit.gzip) return encoded(hit.body, hit.gzip);
    const gzipped = gzip(hit.body);
    cache.set(key, { ...hit, gzip: gzipped });
    return encoded(hit.body, gzipped);
  };
  const current = (hit: CachedDetails | undefined): hit is CachedDetails =>
    hit !== undefined && hit.day === day && hit.builtAt <= at && at < hit.validUntil;
  let hit = cache.get(key);
  // PostgreSQL with the details feed: a body no change has been announced for since it was checked, while
  // the feed's lease holds, is the database's current one (details-feed.ts): no database read at all.
  if (feed && current(hit) && feed.trusts(hit.trustedEpoch)) return serve(hit);
  const token = feed?.begin();
  try {
    const version = await readDetailsVersion(deps.db, id);
    if (version === undefined) {
      cache.delete(key);
      // The usual 404 (or, should the group have appeared since, its details uncached).
      return encoded(utf8.encode(JSON.stringify((await buildGroupDetails(deps, id, now, lang)).details)));
    }
    hit = cache.get(key);
    if (current(hit) && hit.version === version) {
      if (token) hit.trustedEpoch = feed!.end(token, id);
      return serve(hit);
    }
    const { body, entry } = await buildDetailsEntry(deps, id, lang, acceptsGzip, version);
    if (entry) cache.set(key, { ...entry, readAt: Date.now(), trustedEpoch: token ? feed!.end(token, id) : undefined });
    else cache.delete(key);
    return encoded(body, entry?.gzip);
  } finally {
    if (token) feed!.end(token);
  }
}
