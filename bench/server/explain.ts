import { parseArgs } from "node:util";
import pg from "pg";
import { ingestActivities } from "../../server/activities/activities.service";
import { createApp } from "../../server/app";
import { tokenKey } from "../../server/auth/token-secret";
import { createUserWithToken } from "../../server/auth/tokens.repo";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { recomputeGroups } from "../../server/scores/scores.service";

/**
 * The ten most frequent PostgreSQL statements of a small mixed workload, with their plans:
 * `npx tsx bench/server/explain.ts --database-url 'postgres://…?options=-c%20search_path%3Dbench_pgperf'`
 * on the data set a `bench:server -- --database-url …` run left. The workload runs in this process
 * against the real service code: 400 cold group-details requests (random groups, 4 at a time) and
 * 300 warm ones, two ingest requests of 5 000 new activities each, and a recompute of 500 groups.
 * Every statement node-postgres sends is counted by its SQL text (the first parameters kept); then the
 * ten most frequent are run again under `EXPLAIN (ANALYZE, BUFFERS)` inside a transaction that is
 * rolled back. Note: the ingest adds 10 000 activities to the data set (external ids `explain-…`).
 */
const { values } = parseArgs({ options: { "database-url": { type: "string" } } });
const url = values["database-url"];
if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new Error("--database-url postgres://… is required");

const seen = new Map<string, { n: number; params: unknown[] }>();
const original = pg.Client.prototype.query;
let recording = false;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording) {
    const q = args[0] as string | { text: string; values?: unknown[] };
    const text = typeof q === "string" ? q : q.text;
    const params = (typeof q === "string" ? args[1] : q.values) as unknown[] | undefined;
    if (!/^(begin|commit|rollback)$/i.test(text.trim())) {
      const s = seen.get(text) ?? seen.set(text, { n: 0, params: params ?? [] }).get(text)!;
      s.n++;
    }
  }
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

const config = loadConfig({
  DATABASE_URL: url,
  QUORUM_LOG: "silent",
  QUORUM_TOKEN_SECRET: "bench-token-secret-0123456789abcdef0123456789",
});
const db = await openDatabase(config);
const now = new Date();
const deps = { db, config, clock: () => now };
const app = createApp(deps);
const { token } = await createUserWithToken(db, {
  name: "explain",
  role: "admin",
  tokenName: `explain-${Date.now()}`,
  now: now.toISOString(),
  key: tokenKey(config),
});
const ids = (await db.selectFrom("buying_groups").select("id").orderBy("id").execute()).map((r) => r.id);
const pick = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ids[(i * 7919 + seed) % ids.length]!);
const people = (await db.selectFrom("people").select("id").orderBy("id").limit(20_000).execute()).map((r) => r.id);

recording = true;
const get = async (id: string) => {
  const res = await app.request(`/api/groups/${id}`, {
    headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip" },
  });
  await res.arrayBuffer();
};
const cold = pick(400, 13);
for (let i = 0; i < cold.length; i += 4) await Promise.all(cold.slice(i, i + 4).map(get));
for (let i = 0; i < 300; i += 4) await Promise.all(cold.slice(i, i + 4).map(get));
const types = ["visit-webpage", "open-email", "click-email", "fill-out-form"];
for (const batch of [0, 1]) {
  const items = Array.from({ length: 5000 }, (_, i) => ({
    externalId: `explain-${now.getTime()}-${batch}-${i}`,
    personId: people[(i * 31 + batch * 17) % people.length]!,
    type: types[i % types.length]!,
    occurredAt: new Date(now.getTime() - (i % 20) * 86_400_000 - 60_000).toISOString(),
  }));
  await ingestActivities(deps, items);
}
await db.transaction().execute((trx) => recomputeGroups(trx, deps, pick(500, 101), now));
recording = false;

const top = [...seen].sort((a, b) => b[1].n - a[1].n).slice(0, 10);
const client = new pg.Client({ connectionString: url });
await client.connect();
for (const [i, [text, { n, params }]] of top.entries()) {
  await client.query("begin");
  try {
    const plan = await client.query(`explain (analyze, buffers) ${text}`, params);
    const shown = params.map((p) => (Array.isArray(p) ? `[${p.length} values]` : JSON.stringify(p))).join(", ");
    console.log(`\n### ${i + 1}. ${n}× — ${text.replace(/\s+/g, " ").slice(0, 400)}${text.length > 400 ? " …" : ""}`);
    console.log(`params: ${shown.slice(0, 300)}\n`);
    console.log(plan.rows.map((r) => `    ${r["QUERY PLAN"]}`).join("\n"));
  } finally {
    await client.query("rollback");
  }
}
await client.end();
await db.destroy();
