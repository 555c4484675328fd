import { runServe } from "../../server/cli/serve";
import { loadConfig } from "../../server/config";

/**
 * The server under test in its own process (the load generator must not share its event loop): `npm start`'s
 * runServe on the bench's SQLite file, no demo data, a fixed admin token. Prints `{"port":…}` once listening;
 * stops on SIGTERM (committing what is queued).
 */
const [dataDir, token] = process.argv.slice(2);
if (!dataDir || !token) throw new Error("usage: server.ts <data dir> <admin token>");
const server = await runServe(
  loadConfig({
    ...process.env,
    QUORUM_DATA_DIR: dataDir,
    QUORUM_PORT: "0",
    QUORUM_DEMO_DATA: "false",
    QUORUM_LOG: "silent",
    QUORUM_BOOTSTRAP_TOKEN: token,
    QUORUM_SYNC_INTERVAL_MINUTES: "0",
    QUORUM_MAINTENANCE_INTERVAL_HOURS: "0",
  }),
);
console.log(JSON.stringify({ port: server.port }));
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
