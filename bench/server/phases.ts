import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import SQLite from "better-sqlite3";
import { ingestActivities, ingestPhaseMs } from "../../server/activities/activities.service";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { SQLITE_CACHE_KB } from "../../server/db/create-db";
import { recomputeAll } from "../../server/scores/scores.service";
import { DEMO_TYPE_POPULARITY } from "../../server/seed/demo-config";
import { createRng, generateActivities } from "../../server/seed/generate";
import type { Scale } from "./dataset";

const BATCH = 10_000;
const SHUFFLE = 100_000;

/** Peak resident set size of this process so far, in MB (Linux VmHWM). */
export function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 1e6);
}

interface ApiActivity {
  externalId: string;
  personId: string;
  type: string;
  occurredAt: string;
  metadata: Record<string, unknown> | null;
}

/**
 * The bench's activities in API shape, in batches of 10 000 (the API's maximum per request). The
 * generator yields person by person; a 100 000-row shuffle buffer mixes people the way a marketing
 * system's time-ordered export would, so each batch touches thousands of people and groups.
 */
export function* activityBatches(people: Array<{ key: string; id: string; country: string }>, scale: Scale, end: Date, seed = 7) {
  const ids = new Map(people.map((p) => [p.key, p.id]));
  const rng = createRng(seed + 1);
  const buffer: ApiActivity[] = [];
  const drain = function* (keep: number) {
    while (buffer.length > keep) {
      const batch: ApiActivity[] = [];
      while (batch.length < BATCH && buffer.length > keep) {
        const i = rng.int(0, buffer.length - 1);
        batch.push(buffer[i]!);
        buffer[i] = buffer[buffer.length - 1]!;
        buffer.pop();
      }
      yield batch;
    }
  };
  for (const a of generateActivities(people, {
    total: scale.activities,
    days: scale.days,
    end,
    typeIds: DEMO_TYPE_POPULARITY,
    rng: createRng(seed),
  })) {
    buffer.push({
      externalId: a.externalId,
      personId: ids.get(a.personKey)!,
      type: a.typeId,
      occurredAt: a.occurredAt,
      metadata: a.metadata,
    });
    if (buffer.length >= SHUFFLE + BATCH) yield* drain(SHUFFLE);
  }
  yield* drain(0);
}

/**
 * The server side of the ingest phase: receives batches over IPC, runs them through the service
 * (validation, idempotency, rollup, incremental scores) and reports the time spent in the service.
 */
export async function ingestServer(file: string, end: Date) {
  const config = loadConfig({ DATABASE_URL: file, QUORUM_LOG: "silent" });
  const db = await openDatabase(config);
  const deps = { db, config, clock: () => end };
  let ms = 0;
  let accepted = 0;
  let rejected = 0;
  await new Promise<void>((resolve) => {
    process.on("message", async (batch: unknown[] | "done") => {
      if (batch === "done") return resolve();
      const t = performance.now();
      const r = await ingestActivities(deps, batch);
      ms += performance.now() - t;
      accepted += r.accepted;
      rejected += r.rejected.length;
      process.send?.("next");
    });
    process.send?.("next");
  });
  process.removeAllListeners("message");
  await db.destroy();
  const phasesMs = Object.fromEntries(Object.entries(ingestPhaseMs).map(([k, v]) => [k, Math.round(v)]));
  return { rows: accepted, rejected, ms, perSecond: Math.round((accepted / ms) * 1000), phasesMs };
}

/** Feeds the batches to an ingest worker one at a time (the next after the previous is done). */
export function feedIngest(child: ChildProcess, batches: Iterable<unknown[]>): Promise<void> {
  const it = batches[Symbol.iterator]();
  return new Promise((resolve) => {
    child.on("message", () => {
      const next = it.next();
      child.send(next.done ? "done" : next.value);
      if (next.done) resolve();
    });
  });
}

/** The baseline: the same rows through one prepared better-sqlite3 INSERT, 10 000 per transaction, into an identical empty schema. */
export async function rawInsertPhase(
  scratch: string,
  people: Array<{ key: string; id: string; country: string }>,
  scale: Scale,
  end: Date,
) {
  rmSync(scratch, { force: true });
  const db = await openDatabase(loadConfig({ DATABASE_URL: scratch, QUORUM_LOG: "silent" }));
  await db.destroy();
  const sqlite = new SQLite(scratch);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = OFF");
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KB}`); // the same page cache the server uses
  const insert = sqlite.prepare(
    "insert into activities (external_id, person_id, type_id, occurred_at, day, metadata, ingested_at) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const at = end.toISOString();
  const many = sqlite.transaction((rows: ApiActivity[]) => {
    for (const r of rows)
      insert.run(
        r.externalId,
        r.personId,
        r.type,
        r.occurredAt,
        r.occurredAt.slice(0, 10),
        r.metadata ? JSON.stringify(r.metadata) : null,
        at,
      );
  });
  let ms = 0;
  let rows = 0;
  for (const batch of activityBatches(people, scale, end)) {
    const t = performance.now();
    many(batch);
    ms += performance.now() - t;
    rows += batch.length;
  }
  sqlite.close();
  rmSync(scratch, { force: true });
  rmSync(`${scratch}-wal`, { force: true });
  rmSync(`${scratch}-shm`, { force: true });
  return { rows, ms, perSecond: Math.round((rows / ms) * 1000) };
}

/** The baseline for recompute: one GROUP BY pass over every activity, read to the end. */
export function groupByPhase(file: string) {
  const sqlite = new SQLite(file, { readonly: true });
  const t = performance.now();
  let groups = 0;
  for (const _ of sqlite
    .prepare("select person_id, type_id, day, count(*) as n from activities group by person_id, type_id, day")
    .iterate())
    groups++;
  const ms = performance.now() - t;
  sqlite.close();
  return { groups, ms };
}

export async function recomputePhase(file: string, end: Date) {
  const config = loadConfig({ DATABASE_URL: file, QUORUM_LOG: "silent" });
  const db = await openDatabase(config);
  const t = performance.now();
  const r = await recomputeAll({ db, config, clock: () => end }, end);
  const ms = performance.now() - t;
  await db.destroy();
  return { people: r.people, groups: r.groups, ms };
}
