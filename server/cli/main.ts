import { parseArgs } from "node:util";
import { USER_ROLES, type UserRole } from "../../shared/domain/roles";
import { createUserWithToken, listTokens, revokeToken } from "../auth/tokens.repo";
import { migrateDatabase, openDatabase } from "../bootstrap";
import { loadConfig } from "../config";
import { copyData } from "../copy/copy-data";
import { createDb } from "../db/create-db";
import { recomputeAll } from "../scores/scores.service";
import { seedDemoData } from "../seed/demo";
import { CONNECTORS_HELP, runConnectorsCli } from "./connectors";
import { runImport } from "./import";
import { runServe } from "./serve";

const HELP = `Usage: npm run quorum -- <command> [options]

Commands:
  serve                               start the server (what \`npm start\` runs)
  migrate                             bring the database schema up to date
  seed                                load the demo data set into an empty database
  import <accounts|people|activities> <file.csv>
                                      import a CSV file; prints a summary of rejected rows and why
  token create --role <admin|marketer|sales> [--name <name>]
  token list
  token revoke <token id or prefix>
  recompute                           recompute every score now
  copy-data --from <sqlite file> --to <postgres url> [--force]
                                      copy a team's data to PostgreSQL, checking every table's row count
${CONNECTORS_HELP}

Configuration comes from the environment; see README.md (QUORUM_PORT, DATABASE_URL, …).`;

async function main(argv: string[]): Promise<number> {
  // CRM connections have their own options (server/cli/connectors.ts).
  if (argv[0] === "connect" || argv[0] === "sync") return runConnectorsCli(argv, loadConfig());
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: "string" },
      name: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      force: { type: "boolean" },
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
        const report = await runImport(deps, kind, file, { progress: process.stderr.isTTY === true });
        console.log(
          `${report.imported} imported, ${report.duplicates} duplicate, ${report.rejected.length} rejected (of ${report.rows} rows).`,
        );
        for (const r of report.rejected.slice(0, 50)) console.log(`  line ${r.line}: ${r.reason}`);
        if (report.rejected.length > 50) console.log(`  … and ${report.rejected.length - 50} more`);
        return report.rejected.length > 0 ? 2 : 0;
      }
      case "token": {
        const [sub, arg] = rest;
        if (sub === "create") {
          const role = (values.role ?? "") as UserRole;
          if (!USER_ROLES.includes(role)) {
            console.error(`--role must be one of ${USER_ROLES.join(", ")}`);
            return 1;
          }
          const name = values.name ?? `${role} user`;
          const { token, tokenId } = await createUserWithToken(db, {
            name,
            role,
            tokenName: name,
            now: new Date().toISOString(),
          });
          console.log(`Created ${role} token ${tokenId} for '${name}'. It is shown once; store it now:\n${token}`);
          return 0;
        }
        if (sub === "list") {
          for (const t of await listTokens(db)) {
            console.log(
              `${t.id}  ${t.prefix}…  ${t.role.padEnd(8)} ${t.userName}  created ${t.created_at}${t.revoked_at ? `  REVOKED ${t.revoked_at}` : ""}`,
            );
          }
          return 0;
        }
        if (sub === "revoke" && arg) {
          const n = await revokeToken(db, arg, new Date().toISOString());
          console.log(n ? `Revoked ${n} token(s).` : `No active token with id or prefix '${arg}'.`);
          return n ? 0 : 1;
        }
        console.error("Usage: npm run quorum -- token create --role <role> | token list | token revoke <id or prefix>");
        return 1;
      }
      case "recompute": {
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

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
