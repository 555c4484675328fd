import { parseArgs } from "node:util";
import { migrateDatabase, openDatabase } from "../bootstrap";
import { loadConfig } from "../config";
import { copyData } from "../copy/copy-data";
import { createDb } from "../db/create-db";
import { newId } from "../db/ids";
import { runSourcesCli, SOURCES_HELP } from "../event-sources/cli";
import { checkRollupTimeZone, rebuildRollup, rollupNeedsRebuild } from "../scores/rollup-zone";
import { recomputeAll } from "../scores/scores.service";
import { seedDemoData } from "../seed/demo";
import { startTasks } from "../workers/registry";
import { CONNECTORS_HELP, runConnectorsCli } from "./connectors";
import { runImport } from "./import";
import { runServe } from "./serve";
import { runTokenCommand } from "./token";

const HELP = `Usage: npm run quorum -- <command> [options]

Commands:
  serve                               start the server (what \`npm start\` runs)
  migrate                             bring the database schema up to date
  seed                                load the demo data set into an empty database
  import <accounts|people|activities> <file.csv>
                                      import a CSV file; prints a summary of rejected rows and why
  token create --role <admin|marketer|sales> [--name <name>] [--expires 90d|12w|1y|2027-06-30|never]
  token list
  token revoke <token id or prefix>
  recompute [--rebuild-rollup]        recompute every score now; first re-buckets the activities' days and rebuilds
                                      the daily rollup when QUORUM_TIME_ZONE changed (or when asked). Stop the server first.
  worker                              run the background work (jobs, recompute, schedules, outbox, CRM sync) without
                                      HTTP, beside servers started with QUORUM_WORKERS=off
  copy-data --from <sqlite file> --to <postgres url> [--force]
                                      copy a team's data to PostgreSQL, checking every table's row count
${CONNECTORS_HELP}
${SOURCES_HELP}

Configuration comes from the environment; see README.md (QUORUM_PORT, DATABASE_URL, …).`;

async function main(argv: string[]): Promise<number> {
  // CRM connections have their own options (server/cli/connectors.ts).
  if (argv[0] === "connect" || argv[0] === "sync") return runConnectorsCli(argv, loadConfig());
  // Event sources have their own options (server/event-sources/cli.ts).
  if (argv[0] === "sources") return runSourcesCli(argv, loadConfig());
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: "string" },
      expires: { type: "string" },
      name: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      force: { type: "boolean" },
      "rebuild-rollup": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help || command === "help") {
    console.log(HELP);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();
  if (command === "serve") {
    const server = await runServe(config);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return -1; // keep running
  }
  if (command === "migrate") {
    const db = createDb(config.database);
    const applied = await migrateDatabase(db, config);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The schema is up to date.");
    await db.destroy();
    return 0;
  }
  if (command === "copy-data") {
    if (!values.from || !values.to || !/^postgres(ql)?:\/\//.test(values.to)) {
      console.error("Usage: npm run quorum -- copy-data --from <sqlite file> --to <postgres://…> [--force]");
      return 1;
    }
    const report = await copyData(values.from, values.to, { force: values.force === true, log: (s) => console.log(`  ${s}`) });
    const total = report.tables.reduce((n, t) => n + t.rows, 0);
    console.log(
      `Copied ${total} rows in ${report.tables.length} tables in ${report.milliseconds} ms; every table's count matches.`,
    );
    return 0;
  }
  if (command === "worker") return runWorker(config);
  const db = await openDatabase(config);
  const deps = { db, config, clock: () => new Date() };
  try {
    switch (command) {
      case "seed": {
        if ((await db.selectFrom("accounts").select("id").limit(1).execute()).length > 0) {
          console.error("The database already has accounts; the demo data set only goes into an empty database.");
          return 1;
        }
        const r = await seedDemoData(deps);
        console.log(`Seeded ${r.accounts} accounts, ${r.people} people, ${r.groups} buying groups, ${r.activities} activities.`);
        return 0;
      }
      case "import": {
        const [kind, file] = rest;
        if ((kind !== "accounts" && kind !== "people" && kind !== "activities") || !file) {
          console.error("Usage: npm run quorum -- import <accounts|people|activities> <file.csv>");
          return 1;
        }
        await checkRollupTimeZone(db, config);
        const report = await runImport(deps, kind, file, { progress: process.stderr.isTTY === true });
        console.log(
          `${report.imported} imported, ${report.duplicates} duplicate, ${report.rejected.length} rejected (of ${report.rows} rows).`,
        );
        for (const r of report.rejected.slice(0, 50)) console.log(`  line ${r.line}: ${r.reason}`);
        if (report.rejected.length > 50) console.log(`  … and ${report.rejected.length - 50} more`);
        return report.rejected.length > 0 ? 2 : 0;
      }
      case "token":
        return await runTokenCommand(db, config, rest, values);
      case "recompute": {
        if (values["rebuild-rollup"] || (await rollupNeedsRebuild(db, config))) {
          const rb = await rebuildRollup(db, config, (done, phase) => {
            if (process.stderr.isTTY) process.stderr.write(`\r${phase}: ${done}   `);
          });
          if (process.stderr.isTTY) process.stderr.write("\n");
          console.log(
            `Rebuilt the daily rollup in ${rb.to}${rb.from && rb.from !== rb.to ? ` (was ${rb.from})` : ""}: ` +
              `${rb.activities} activities, ${rb.moved} moved to another day, ${rb.rollupRows} rollup rows.`,
          );
        }
        await checkRollupTimeZone(db, config);
        const r = await recomputeAll(deps, new Date(), (done, total, phase) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${phase}: ${done}/${total}   `);
        });
        if (process.stderr.isTTY) process.stderr.write("\n");
        console.log(`Recomputed ${r.people} people and ${r.groups} groups in ${r.milliseconds} ms.`);
        return 0;
      }
      default:
        console.error(`Unknown command '${command}'.\n\n${HELP}`);
        return 1;
    }
  } finally {
    await db.destroy();
  }
}

/**
 * `quorum worker`: the background work of `serve` (server/workers/registry.ts) in a process of its own,
 * without HTTP, for servers started with QUORUM_WORKERS=off. Work is claimed with leases, so several
 * workers and servers share it. SIGTERM/SIGINT stop it after the batch in flight.
 */
async function runWorker(config: ReturnType<typeof loadConfig>): Promise<number> {
  const db = await openDatabase(config);
  try {
    await checkRollupTimeZone(db, config);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const tasks = startTasks(
    { db, config, clock: () => new Date() },
    {
      owner: newId("wrk"),
      log: (msg, err) => (err === undefined ? console.error(msg) : console.error(msg, err)),
    },
  );
  // The tasks' timers are unref'd (they never hold a server open); this process lives for them.
  const alive = setInterval(() => {}, 60_000);
  if (config.log === "info") console.log("Quorum worker started (jobs, recompute, schedules, outbox, CRM sync).");
  const stop = async () => {
    clearInterval(alive);
    await tasks.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    // Exit now: a failed start (port in use, a refused time zone) must not leave a process behind.
    process.exit(1);
  },
);
