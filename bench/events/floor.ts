import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { WAL_BACKSTOP_PAGES } from "../../server/db/checkpointer";
import { SQLITE_CACHE_KB } from "../../server/db/create-db";
import { createSource } from "../../server/event-sources/sources.repo";
import { datasetAt, userIdOf } from "./dataset";

/**
 * The floor under `bench:events`' batch goal: `npx tsx bench/events/floor.ts [-- --events 200000 --commit 2000]`.
 *
 * The same SQLite schema (the real migrations, on a file, WAL, the server's pragmas and page cache), the same
 * 5 000 identified people, and per event ONLY the three statements no ingest can skip — the identity look-up
 * (userId → person), the activity INSERT (idempotent on external_id) and the daily rollup upsert — through
 * better-sqlite3 prepared statements in one loop, committed every `--commit` events (what group commit gives
 * under load). No HTTP, no JSON, no signature, no validation, no mapping, no scores, no Kysely: what a perfect
 * implementation of the ingest would still pay on the one thread SQLite lets write. Prints events/s and the
 * CPU µs per event of this process.
 */
const { values } = parseArgs({
  options: { events: { type: "string", default: "200000" }, commit: { type: "string", default: "2000" } },
});
const EVENTS = Number(values.events);
const COMMIT = Number(values.commit);
const dir = join("bench", ".data", "events-floor");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const file = join(dir, "quorum.sqlite");
const config = loadConfig({
  DATABASE_URL: file,
  QUORUM_DATA_DIR: dir,
  QUORUM_LOG: "silent",
  QUORUM_DEMO_DATA: "false",
  QUORUM_TOKEN_SECRET: "bench-token-secret-0123456789abcdef0123456789",
});
const d = datasetAt(1);
const now = new Date().toISOString();
const kdb = await openDatabase(config);
const source = await createSource(kdb, config, "floor", now);
const personId = (p: number) => `per_floor_${String(p).padStart(6, "0")}`;
await kdb.transaction().execute(async (trx) => {
  for (let p = 0; p < d.people; p += 500) {
    const part = Array.from({ length: Math.min(500, d.people - p) }, (_, i) => p + i);
    await trx
      .insertInto("people")
      .values(
        part.map((q) => ({
          id: personId(q),
          first_name: "Person",
          last_name: String(q),
          email: `person${q}@bench.example`,
          source: "events",
          status: "active",
          attributes: "{}",
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await trx
      .insertInto("event_identities")
      .values(
        part.map((q) => ({ source_id: source.id, kind: "user", key: userIdOf(q), person_id: personId(q), created_at: now })),
      )
      .execute();
  }
});
await kdb.destroy();

const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("foreign_keys = ON");
db.pragma(`cache_size = -${SQLITE_CACHE_KB}`);
// As the server's own connection (whose WAL checkpoints run on another thread): a checkpoint here only every
// WAL_BACKSTOP_PAGES pages, and it counts in this process's time (the floor is, if anything, too low).
db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
const identity = db.prepare("select person_id from event_identities where source_id = ? and kind = 'user' and key = ?").pluck();
const insert = db.prepare(
  "insert into activities (external_id, person_id, type_id, occurred_at, day, metadata, ingested_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (external_id) do nothing",
);
const rollup = db
  .prepare(
    "insert into activity_daily (person_id, type_id, day, count) values (?, ?, ?, 1) on conflict (person_id, day, type_id) do update set count = count + excluded.count returning count",
  )
  .pluck();
const TYPES = ["visit-webpage", "fill-out-form", "attend-event", "click-link", "open-email"];
const at = new Date(Date.now() - 60_000).toISOString();
const day = at.slice(0, 10);
const commitBatch = db.transaction((from: number, to: number) => {
  for (let n = from; n < to; n++) {
    const p = (n * 7919) % d.people;
    const person = identity.get(source.id, userIdOf(p)) as string;
    const type = TYPES[n % TYPES.length]!;
    const metadata = JSON.stringify({
      url: `https://www.bench-${p % d.accounts}.example/pricing`,
      title: "Bench pricing",
      source: "events",
    });
    if (insert.run(`evt:${source.id}:floor-${n}`, person, type, at, day, metadata, now).changes) rollup.get(person, type, day);
  }
});
// Warm-up: the first commits grow the tables from empty.
commitBatch(0, 20_000);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let n = 20_000; n < 20_000 + EVENTS; n += COMMIT) commitBatch(n, n + COMMIT);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
db.close();
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(
  `${EVENTS.toLocaleString("en")} events, commits of ${COMMIT}: ${Math.round((EVENTS / ms) * 1000).toLocaleString("en")} events/s wall, ` +
    `${((cpu.user + cpu.system) / EVENTS).toFixed(1)} µs CPU per event (${Math.round(EVENTS / ((cpu.user + cpu.system) / 1e6)).toLocaleString("en")} events per CPU-second); load average ${load}`,
);
