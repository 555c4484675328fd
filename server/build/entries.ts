/**
 * What `npm run build` bundles into dist/ for production (`node dist/server.js serve`, no tsx). Each entry becomes its
 * own file: the server's command line, and every script that runs in its own worker thread or process. Adding a worker
 * is one line here; it then lands at `dist/<name>.js` and is found through {@link workerEntryUrl}.
 */
export const SERVER_ENTRIES: Record<string, string> = {
  server: "server/cli/main.ts",
  // The outbox worker on its own (`node dist/workers/email-outbox.js`), as `tsx server/email/worker-process.ts` in development.
  "workers/email-outbox": "server/email/worker-process.ts",
  // The background worker thread `serve` starts (QUORUM_WORKERS=thread): jobs, recompute, schedules, outbox, CRM sync.
  "workers/background": "server/workers/thread.ts",
  // Event webhooks' parse worker (server/event-sources/parse-pool.ts): large batch bodies are checked and parsed there.
  "workers/event-parse": "server/event-sources/parse-thread.ts",
};

/** Packages loaded from node_modules at run time: native code (better-sqlite3) and pg, which loads optional natives itself. */
export const SERVER_EXTERNALS = ["better-sqlite3", "pg", "pg-native"];
