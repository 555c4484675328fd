import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../app";
import { adminTokenFile, ensureFirstRunAdminToken } from "../auth/first-run-token";
import { ensureBootstrapToken, openDatabase } from "../bootstrap";
import { type Config, SECRET_VARIABLES } from "../config";
import { newId } from "../db/ids";
import { createEventHooks } from "../event-sources/hooks.routes";
import { startDetailsFeed } from "../groups/details-feed";
import { checkRollupTimeZone } from "../scores/rollup-zone";
import { seedDemoData } from "../seed/demo";
import { ensureStarterTemplate } from "../seed/starter";
import { startBackgroundWork, type WorkersMode } from "../workers/host";

// Background tasks and their schedules live in server/workers/registry.ts (run in a worker thread).
export { serveSchedules } from "../workers/registry";

/** The error `serve` gives when its port is taken (EADDRINUSE), naming the way out. */
export class PortInUseError extends Error {
  constructor(port: number) {
    super(`port ${port} is in use — stop the other process or set QUORUM_PORT`);
  }
}

/** `npm start`: migrate, seed the demo data on first run, print the admin token, serve HTTP. */
export async function runServe(config: Config): Promise<{ close: () => Promise<void>; port: number; workers: WorkersMode }> {
  const db = await openDatabase(config);
  try {
    // Days of stored activities are in the zone they were counted in: a changed QUORUM_TIME_ZONE needs `recompute` first.
    await checkRollupTimeZone(db, config);
  } catch (err) {
    await db.destroy();
    throw err;
  }
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
  // PostgreSQL: the change notifications that let cached group details be served without a version read.
  const detailsFeed =
    config.database.kind === "postgres" && config.database.detailsFeed
      ? await startDetailsFeed(config.database, { log: (msg, err) => console.error(msg, err ?? "") })
      : undefined;
  const app = createApp(deps, { eventHooks, detailsFeed });
  const instance = newId("srv");
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (err) {
    await detailsFeed?.close();
    await db.destroy();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(config.port);
    throw err;
  }
  // Jobs, the full recompute, schedules (score roll-over at the local midnight, maintenance, CRM syncs),
  // the email outbox and CRM sync/write-back: off the request path, by default on a worker thread with
  // its own database connection (QUORUM_WORKERS, server/workers/). Each claims work with leases, so
  // several processes share it and a stopped or killed process's work is resumed by another.
  let background: Awaited<ReturnType<typeof startBackgroundWork>>;
  try {
    background = await startBackgroundWork(deps, config.workers, {
      owner: instance,
      log: (msg, err) => (err === undefined ? console.error(msg) : console.error(msg, err)),
    });
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    await detailsFeed?.close();
    await db.destroy();
    throw err;
  }
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
  log(
    background.mode === "off"
      ? "Background work: off (QUORUM_WORKERS=off; run `npm run quorum -- worker` beside this process)"
      : `Background work: ${background.mode === "thread" ? "on a worker thread" : "on the request thread (QUORUM_WORKERS=inline)"}`,
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
    workers: background.mode,
    close: async () => {
      await background.stop();
      // Stop accepting, drop idle keep-alive connections, and give requests in flight 5 s before
      // closing whatever is left (a client polling on a kept-alive connection would hold close() open).
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeIdleConnections" in server) server.closeIdleConnections();
        setTimeout(() => "closeAllConnections" in server && server.closeAllConnections(), 5000).unref();
      });
      await eventHooks.committer.drain();
      await detailsFeed?.close();
      await db.destroy();
    },
  };
}
