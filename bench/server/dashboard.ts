import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { dashboard } from "../../server/dashboard/dashboard.service";
import { recomputeAll } from "../../server/scores/scores.service";

/**
 * Dashboard aggregates on the core bench data set (30 000 groups, ~330 000 members):
 * `npm run bench:dashboard` after `npm run bench:server` has built bench/.data/bench.sqlite
 * (or `-- --db <file>`; `-- --db postgres://…` for the PostgreSQL copy a `--database-url` run left).
 * Times each aggregate set 20 times, unfiltered and filtered, after one unmeasured call of each. The SQLite data set is built unscored (every
 * completeness 0, no filled roles), so it is copied to bench/.data/dashboard.sqlite and scored there first
 * (one recompute), as a running server's groups are; the PostgreSQL copy was scored by the bench's recompute.
 */
const { values } = parseArgs({
  options: {
    db: { type: "string", default: join(process.cwd(), "bench/.data/bench.sqlite") },
    runs: { type: "string", default: "20" },
  },
});
const file = values.db!;
// `--db postgres://…`: the database `npm run bench:server -- --database-url …` left (same data set).
const postgres = /^postgres(ql)?:\/\//.test(file);
if (!postgres && !existsSync(file)) {
  console.error(`${file} does not exist: run \`npm run bench:server\` first (it builds the core bench data set).`);
  process.exit(1);
}
let target = file;
if (!postgres) {
  target = join(process.cwd(), "bench/.data/dashboard.sqlite");
  copyFileSync(file, target);
}
const config = loadConfig({ DATABASE_URL: target, QUORUM_LOG: "silent" });
const db = await openDatabase(config);
const deps = { db, config, clock: () => new Date() };
const filled = await db.selectFrom("group_role_fill").select("group_id").limit(1).executeTakeFirst();
if (!filled) {
  console.error("scoring the groups first (a recompute) …");
  await recomputeAll(deps, new Date());
}
const si = await db.selectFrom("solution_interests").select("id").orderBy("name").executeTakeFirstOrThrow();
const cases: Array<[string, Parameters<typeof dashboard>[1]]> = [
  ["all groups", {}],
  ["one solution interest", { solutionInterestId: si.id }],
  ["decision maker missing, completeness < 50", { missingRole: "decision-maker", completenessMax: 49 }],
  ["industry = Software", { industry: "Software" }],
];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
// Warm-up, not measured: the first call opens the pool's connections (the four statements run at once) and
// fills each new backend's catalog cache, which a running server has long done.
for (const [, filter] of cases) await dashboard(deps, filter);
for (const [name, filter] of cases) {
  const times: number[] = [];
  let groups = 0;
  for (let i = 0; i < Number(values.runs); i++) {
    const t = performance.now();
    groups = (await dashboard(deps, filter)).groups;
    times.push(performance.now() - t);
  }
  console.log(
    `${name.padEnd(45)} ${String(groups).padStart(6)} groups   p50 ${pct(times, 50).toFixed(0)} ms   p95 ${pct(times, 95).toFixed(0)} ms   (goal ≤ 200 ms)`,
  );
}
await db.destroy();
