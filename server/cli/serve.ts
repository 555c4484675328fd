import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../app";
import { adminTokenFile, ensureFirstRunAdminToken } from "../auth/first-run-token";
import { ensureBootstrapToken, openDatabase } from "../bootstrap";
import { type Config, SECRET_VARIABLES } from "../config";
import { syncScheduleTask } from "../connectors/schedule";
import { startSyncWorker } from "../connectors/sync-runner";
import { startWritebackWorker } from "../connectors/writeback";
import { newId } from "../db/ids";
import { startOutboxWorker } from "../email/outbox.worker";
import { createTransport } from "../email/transports";
import { eventHeldCleanupTask } from "../event-sources/cleanup";
import { createEventHooks } from "../event-sources/hooks.routes";
import { scheduleMaintenance, startJobRunner } from "../lifecycle/job-runner";
import { type ScheduledTask, startSchedules } from "../lifecycle/schedules";
import { recomputeStaleGroups } from "../scores/scores.service";
import { seedDemoData } from "../seed/demo";
import { ensureStarterTemplate } from "../seed/starter";

/** What every server process schedules; each period runs in one of them. */
export function serveSchedules(): ScheduledTask[] {
  return [
    { name: "score-rollover", periodMs: 15 * 60_000, leaseMs: 10 * 60_000, run: (deps) => recomputeStaleGroups(deps) },
    { name: "maintenance-schedule", periodMs: 60_000, leaseMs: 5 * 60_000, run: (deps) => scheduleMaintenance(deps) },
    // CRM connections (sync helper): queues each connection's incremental sync when its interval has passed.
    syncScheduleTask,
    // Event webhooks (events helper): held anonymous/unmapped events older than the engagement window are dropped.
    eventHeldCleanupTask,
  ];
}

/** `npm start`: migrate, seed the demo data on first run, print the admin token, serve HTTP. */
export async function runServe(config: Config): Promise<{ close: () => Promise<void>; port: number }> {
  const db = await openDatabase(config);
  const log = (msg: string) => config.log === "info" && console.log(msg);
  if (config.bootstrapToken && (await ensureBootstrapToken(db, config, config.bootstrapToken)))
    log("Ensured the admin token from QUORUM_BOOTSTRAP_TOKEN.");

  // First run (or the file was deleted): an admin token, kept where the README says; printed only now.
  const tokenFile = adminTokenFile(config);
  const newAdminToken = await ensureFirstRunAdminToken(db, config);
  if (config.demoData && (await db.selectFrom("accounts").select("id").limit(1).execute()).length === 0) {
    log("First run: seeding the demo data set …");
    const report = await seedDemoData({ db, config, clock: () => new Date() });
    log(
      `Seeded ${report.accounts} accounts, ${report.people} people, ${report.groups} buying groups, ${report.activities} activities.`,
    );
  }
  const deps = { db, config, clock: () => new Date() };
  // A fresh install without demo data still gets the default roles template (once per database).
  if (await ensureStarterTemplate(deps)) log("First run: published the default roles template (edit it in Templates).");
  // Event webhooks' group committer: drained at close, after the last request is answered.
  const eventHooks = createEventHooks(deps);
  const app = createApp(deps, { eventHooks });
  const instance = newId("srv");
  // Once per period across every process on this database (a lease row per task, see schedules.ts):
  // scores fall as activities age out, so stale groups roll over to today's window every 15 minutes;
  // maintenance jobs are queued when their interval has passed.
  const schedules = startSchedules(deps, serveSchedules(), {
    owner: instance,
    tickMs: config.lifecycle.scheduleTickSeconds * 1000,
    log: (msg, err) => console.error(msg, err),
  });
  // Creation and maintenance jobs (resumes jobs a stopped or killed process left running).
  const jobs = startJobRunner(deps, { owner: `runner_${instance.slice(4)}` });
  // Delivers queued emails in the background; stopped (in-flight message finished) by close().
  const outbox = startOutboxWorker(deps, createTransport(config.email), { log: (m) => console.error(m) });
  // ── CRM connections (sync helper) ── the sync runner and the role write-back drainer, in the task
  // shape `start(deps) => { stop() }`; at integration they move into the isolation registry (workers
  // with their own Db). Runs are claimed with leases, so several processes share them safely.
  const crmSync = startSyncWorker(deps, { log: (m) => console.error(m) });
  const crmWriteback = startWritebackWorker(deps, { log: (m) => console.error(m) });
  // ── end CRM connections ──
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const where = config.database.kind === "sqlite" ? config.database.file : "PostgreSQL";
  log(`Quorum is running on http://${config.host}:${port}  (API docs: http://${config.host}:${port}/api/docs)`);
  log(`Database: ${where}`);
  // Several servers on one PostgreSQL must hash tokens and encrypt CRM credentials with the same keys: a key
  // generated into this server's data directory makes another server's tokens unknown here.
  const ownKeys = config.database.kind === "postgres" ? SECRET_VARIABLES.filter((name) => !config.secrets[name]) : [];
  if (ownKeys.length > 0 && config.log !== "silent")
    console.warn(
      `Warning: ${ownKeys.join(" and ")} not set: this server uses keys from ${config.dataDir}. Set the same values on every server that shares this PostgreSQL database (docs/deploy.md).`,
    );
  // `npm start` builds the extension first: say where to load it from.
  const extensionDir = resolve(".output/chrome-mv3");
  if (existsSync(join(extensionDir, "manifest.json")))
    log(`Browser extension: load unpacked from ${extensionDir} (chrome://extensions → Developer mode → Load unpacked)`);
  const mail = config.email.transport;
  if (mail.kind === "smtp") log(`Email: SMTP ${mail.host}:${mail.port}`);
  else log(`Email outbox (no mail is sent): files in ${mail.dir}; admins read them in the admin console (Emails → Outbox)`);
  if (newAdminToken) log(`Admin API token (shown this once): ${newAdminToken}  (stored in ${tokenFile})`);
  else if (existsSync(tokenFile)) log(`Admin API token: in ${tokenFile}`);
  else log("Admin API token: create one with `npm run quorum -- token create --role admin`.");
  return {
    port,
    close: async () => {
      await schedules.stop();
      await jobs.stop();
      await outbox.stop();
      await crmSync.stop();
      await crmWriteback.stop();
      // Stop accepting, drop idle keep-alive connections, and give requests in flight 5 s before
      // closing whatever is left (a client polling on a kept-alive connection would hold close() open).
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeIdleConnections" in server) server.closeIdleConnections();
        setTimeout(() => "closeAllConnections" in server && server.closeAllConnections(), 5000).unref();
      });
      await eventHooks.committer.drain();
      await db.destroy();
    },
  };
}
