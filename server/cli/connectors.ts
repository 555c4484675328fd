import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CreateConnectionBody } from "../../shared/api/connections";
import { QuorumError } from "../../shared/errors";
import { openDatabase } from "../bootstrap";
import type { Config } from "../config";
import {
  createConnection,
  deleteConnection,
  listConnections,
  startSync,
  syncRun,
  testConnection,
} from "../connectors/connections.service";
import { runSyncsUntilIdle } from "../connectors/sync-runner";
import { fieldIssues } from "../http/validate";

export const CONNECTORS_HELP = `  connect salesforce --name <name> --client-id <key> --client-secret <secret> --username <u> --password <p> [--security-token <t>] [--login-url <url>] [--base-url <instance url>]
  connect salesforce --name <name> --client-id <key> --username <u> --private-key-file <pem> [--login-url <url>]   (JWT bearer)
  connect hubspot --name <name> --token <private-app token> [--base-url <url>]
  connect list | connect test <id> | connect remove <id>
                                      CRM connections (OAuth sign-in: from the admin console's Connections screen)
  sync <connection id | salesforce | hubspot> [--full]
                                      sync a connection now and print what was skipped and why`;

const USAGE = `Usage:\n${CONNECTORS_HELP}`;

/** `connect …` and `sync …` (wired into server/cli/main.ts). Returns the exit code. */
export async function runConnectorsCli(argv: string[], config: Config): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      "base-url": { type: "string" },
      "login-url": { type: "string" },
      token: { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      "security-token": { type: "string" },
      "private-key-file": { type: "string" },
      full: { type: "boolean" },
    },
  });
  const [command, sub, arg] = positionals;
  const db = await openDatabase(config);
  const deps = { db, config, clock: () => new Date() };
  try {
    if (command === "connect") {
      if (sub === "list") {
        for (const c of await listConnections(deps)) {
          const run = c.lastRun ? `last run ${c.lastRun.status} ${c.lastRun.finishedAt ?? c.lastRun.createdAt}` : "never synced";
          console.log(
            `${c.id}  ${c.crm.padEnd(10)} ${c.status.padEnd(13)} ${c.name}  (${run})${c.statusReason ? `\n    ${c.statusReason}` : ""}`,
          );
        }
        return 0;
      }
      if (sub === "test" && arg) {
        const r = await testConnection(deps, arg);
        console.log(`Signed in as ${r.signedInAs}.`);
        return 0;
      }
      if (sub === "remove" && arg) {
        await deleteConnection(deps, arg, null);
        console.log(`Removed connection ${arg}.`);
        return 0;
      }
      if (sub !== "salesforce" && sub !== "hubspot") {
        console.error(USAGE);
        return 1;
      }
      const auth =
        sub === "hubspot"
          ? { kind: "private_app", accessToken: values.token }
          : values["private-key-file"]
            ? {
                kind: "jwt",
                clientId: values["client-id"],
                username: values.username,
                privateKey: readFileSync(values["private-key-file"], "utf8"),
              }
            : {
                kind: "password",
                clientId: values["client-id"],
                clientSecret: values["client-secret"],
                username: values.username,
                password: values.password,
                securityToken: values["security-token"] ?? "",
              };
      const parsed = CreateConnectionBody.safeParse({
        crm: sub,
        name: values.name ?? (sub === "hubspot" ? "HubSpot" : "Salesforce"),
        baseUrl: values["base-url"],
        loginUrl: values["login-url"],
        auth,
      });
      if (!parsed.success) {
        for (const i of fieldIssues(parsed.error)) console.error(`  ${i.field.replace(/^auth\./, "--")}: ${i.message}`);
        return 1;
      }
      const c = await createConnection(deps, parsed.data, null);
      console.log(`Connected ${c.crm} as ${c.id} (${c.name}). Run \`npm run quorum -- sync ${c.id}\` for the first sync.`);
      return 0;
    }
    // sync <id | crm> [--full]
    const target = sub;
    if (!target) {
      console.error(USAGE);
      return 1;
    }
    const all = await listConnections(deps);
    const conn = all.find((c) => c.id === target) ?? all.find((c) => c.crm === target);
    if (!conn) {
      console.error(`No connection '${target}'. List them with \`npm run quorum -- connect list\`.`);
      return 1;
    }
    const { run } = await startSync(deps, conn.id, values.full ? "full" : "incremental", "cli", null);
    await runSyncsUntilIdle(deps, { log: (m) => console.error(m) });
    const done = await syncRun(deps, run.id);
    const p = done.progress;
    console.log(
      `Sync ${done.status}: ${p.fetched} records read, ${p.written} written, ${p.deleted} deleted, ${p.skipped} skipped, ${p.apiCalls} API calls.`,
    );
    for (const k of done.skipped.slice(0, 50)) console.log(`  skipped ${k.stream} ${k.recordId}: ${k.reason}`);
    if (done.skipped.length > 50 || p.skipped > done.skipped.length)
      console.log(`  … and ${p.skipped - Math.min(50, done.skipped.length)} more`);
    if (done.error) console.error(done.error);
    return done.status === "done" ? 0 : 2;
  } catch (err) {
    if (err instanceof QuorumError) {
      console.error(err.message);
      const issues = (err.details as { issues?: Array<{ field: string; message: string }> } | null)?.issues ?? [];
      for (const i of issues) console.error(`  ${i.field}: ${i.message}`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}
