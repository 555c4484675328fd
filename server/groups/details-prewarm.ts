import { isPostgres } from "../db/dialect";
import { inList } from "../db/pg-arrays";
import type { Deps } from "../deps";
import { buildDetailsEntry, type CachedDetails, type GroupDetailsCache, type HotDetails } from "./details-cache";

/**
 * Pre-warming group details after bulk changes (issue 16). A full recompute or any other bulk write
 * moves the `details_version` of thousands of groups; without this, the next request for each group
 * reps have open rebuilds its details on the request thread (10–20 ms each on SQLite), and those
 * rebuilds arrive together. Instead:
 *
 * - when its next pass is due (every {@link HOT_LIST_MS} while passes find changes, backing off to
 *   {@link IDLE_MAX_MS} while they find none) the background thread asks the request thread which cached
 *   details requests read in the last {@link HOT_WINDOW_MS} (key, id, language, cached version):
 *   {@link hotList}, about 2 ms of the request thread's time for 2 000 groups, so it is made only when asked;
 * - the background thread reads the current versions of those groups (one statement per 500) and,
 *   for each one that moved, builds the details on its own connection and event loop (nice 10) with
 *   the same code and consistency check as a request ({@link buildDetailsEntry}) and posts the entry back;
 * - the request thread offers it to its cache ({@link GroupDetailsCache.offer}): kept only if newer
 *   than what it holds.
 *
 * Correctness does not depend on any of this: a request still reads the group's current version
 * and serves a cached body only for exactly that version (and day), wherever the body was built. A
 * pre-warmed body that is already outdated when it arrives is simply never served.
 */
export const HOT_LIST_MS = 200;
export const HOT_WINDOW_MS = 60_000;
export const HOT_MAX = 2000;
/**
 * While nothing moves, the background thread checks the hot groups' versions ever less often, down to once per
 * this many ms (each check reads up to HOT_MAX versions): a server whose reps only read costs next to nothing,
 * and a bulk change is noticed within this long, then followed every HOT_LIST_MS again.
 */
export const IDLE_MAX_MS = 3_200;

export interface HotListMessage {
  type: "details-hot";
  items: HotDetails[];
}
export interface PrewarmedMessage {
  type: "details-prewarmed";
  key: string;
  entry: CachedDetails;
}

/** What the caches of these apps hold and requests read recently (several apps: each key once, the oldest version). */
export function hotList(caches: readonly GroupDetailsCache[], now = Date.now()): HotListMessage {
  const byKey = new Map<string, HotDetails>();
  for (const c of caches)
    for (const h of c.hot(now - HOT_WINDOW_MS, HOT_MAX)) {
      const seen = byKey.get(h.key);
      if (!seen || seen.version > h.version) byKey.set(h.key, h);
    }
  return { type: "details-hot", items: [...byKey.values()].slice(0, HOT_MAX) };
}

/** A pre-warmed body into every one of these caches that holds an older version of it. */
export function offerPrewarmed(caches: readonly GroupDetailsCache[], m: PrewarmedMessage): void {
  for (const c of caches) c.offer(m.key, m.entry);
}

export function isPrewarmed(m: unknown): m is PrewarmedMessage {
  return typeof m === "object" && m !== null && (m as { type?: unknown }).type === "details-prewarmed";
}
/** The background thread's request for a hot list (its pass is due). */
export interface HotWantedMessage {
  type: "details-hot-wanted";
}
export function isHotWanted(m: unknown): m is HotWantedMessage {
  return typeof m === "object" && m !== null && (m as { type?: unknown }).type === "details-hot-wanted";
}
export function isHotList(m: unknown): m is HotListMessage {
  return typeof m === "object" && m !== null && (m as { type?: unknown }).type === "details-hot";
}

async function currentVersions(deps: Deps, ids: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const pg = isPostgres(deps.db);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await deps.db
      .selectFrom("buying_groups")
      .select(["id", "details_version"])
      .where(inList(pg, "id", ids.slice(i, i + 500)))
      .execute();
    for (const r of rows) found.set(r.id, Number(r.details_version));
  }
  return found;
}

/**
 * The background thread's side: keeps the latest hot list, and every `tickMs` rebuilds the details
 * whose version moved and `post`s them. `stop()` waits for the build in flight.
 */
export function startDetailsPrewarm(
  deps: Deps,
  post: (m: PrewarmedMessage) => void,
  options: {
    tickMs?: number;
    /**
     * Asks the request thread for the hot list when a pass is due; the pass runs when {@link setHot} brings it.
     * Without it (tests) each due pass runs on the latest list given.
     */
    request?: () => void;
  } = {},
) {
  let hot: HotDetails[] = [];
  /** The version last posted per key, so a body is built once per version even before the next list arrives. */
  const posted = new Map<string, number>();
  let stopped = false;
  let current: Promise<void> | null = null;
  const tickMs = options.tickMs ?? HOT_LIST_MS;
  /** Passes that found nothing moved back off (tickMs, 2×, 4× … up to IDLE_MAX_MS); one that found a change resets it. */
  let delay = tickMs;
  let nextAt = 0;
  /** One pass: rebuilds what moved; returns how many of the hot groups had moved. */
  const pass = async (): Promise<number> => {
    const list = hot;
    if (list.length === 0) return 0;
    const versions = await currentVersions(deps, [...new Set(list.map((h) => h.id))]);
    let moved = 0;
    for (const h of list) {
      if (stopped) break;
      const v = versions.get(h.id);
      if (v === undefined || v === h.version || posted.get(h.key) === v) continue;
      moved++;
      try {
        const { entry } = await buildDetailsEntry(deps, h.id, h.lang, true, v);
        if (!entry) continue; // moved again while read: the next pass takes it
        posted.set(h.key, entry.version);
        post({ type: "details-prewarmed", key: h.key, entry });
      } catch {
        // Deleted since (404), or the database refused: the request thread builds it when asked.
      }
    }
    return moved;
  };
  /** When the list was asked for (0: not waiting for one). */
  let requestedAt = 0;
  const run = () => {
    current = pass()
      .then(
        (moved) => {
          delay = moved > 0 ? tickMs : Math.min(delay * 2, IDLE_MAX_MS);
        },
        () => {
          delay = Math.min(delay * 2, IDLE_MAX_MS);
        },
      )
      .finally(() => {
        nextAt = Date.now() + delay - tickMs;
        current = null;
      });
  };
  const timer = setInterval(() => {
    if (current || stopped || Date.now() < nextAt) return;
    if (!options.request) return run();
    // Asked and not answered yet (the request thread busy, or a message lost): ask again after a second.
    if (requestedAt && Date.now() - requestedAt < 1000) return;
    requestedAt = Date.now();
    options.request();
  }, tickMs);
  timer.unref();
  return {
    /** The request thread's latest list (replaces the previous one). */
    setHot(items: HotDetails[]) {
      hot = items;
      const keys = new Set(items.map((h) => h.key));
      for (const k of posted.keys()) if (!keys.has(k)) posted.delete(k);
      if (requestedAt && !current && !stopped) {
        requestedAt = 0;
        run();
      }
    },
    /** Runs one pass now (tests); resolves to how many hot groups had moved. */
    pass: () => pass(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
