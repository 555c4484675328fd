import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { tokenKey } from "../../server/auth/token-secret";
import { createUserWithToken } from "../../server/auth/tokens.repo";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import type { Deps } from "../../server/deps";
import { runJobsUntilIdle } from "../../server/lifecycle/job-runner";
import { createJob } from "../../server/lifecycle/jobs.service";
import { createSolutionInterest } from "../../server/solution-interests/solution-interests.service";
import { createTemplate, publishTemplate } from "../../server/templates/templates.service";
import { searchPath } from "../server/pg";

/** Drops and re-creates the schema named in the URL's search_path (the bench's own; never `public`). */
async function freshSchema(url: string) {
  const schema = searchPath(url);
  if (!schema || schema === "public")
    throw new Error("--database-url needs its own schema: ?options=-c%20search_path%3Dbench_lifecycle");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.query(`create schema ${schema}`);
  await client.end();
}

/**
 * Creation and maintenance jobs at size: `npx tsx bench/lifecycle/run.ts [--accounts 10000] [--people 20] [--batch 200]`.
 * Builds the accounts and people with plain inserts on a SQLite file (or, with `--database-url
 * postgres://…?options=-c%20search_path%3D<schema>`, in that PostgreSQL schema, emptied first), then times a creation job
 * (one group per account, members by the rules) and a maintenance job over the same groups.
 * Target (issue 3): each ≤ 60 s at 10 000 accounts × 20 people.
 */
const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "10000" },
    people: { type: "string", default: "20" },
    batch: { type: "string", default: "200" },
    "database-url": { type: "string" },
  },
});
const pgUrl = values["database-url"];
if (pgUrl && !/^postgres(ql)?:\/\//.test(pgUrl)) throw new Error("--database-url must be a postgres:// URL");
const ACCOUNTS = Number(values.accounts);
const PEOPLE = Number(values.people);
const dir = join(process.cwd(), "bench/.data/lifecycle");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
if (pgUrl) await freshSchema(pgUrl);
const config = loadConfig({
  QUORUM_DATA_DIR: dir,
  QUORUM_LOG: "silent",
  QUORUM_DEMO_DATA: "false",
  ...(pgUrl && { DATABASE_URL: pgUrl, QUORUM_TOKEN_SECRET: "bench-token-secret-0123456789abcdef0123" }),
});
const db = await openDatabase(config);
const deps: Deps = { db, config, clock: () => new Date() };
const log = (s: string) => process.stderr.write(`${s}\n`);
const now = new Date().toISOString();

const SENIORITY = ["VP", "Director", "Manager", "Individual Contributor", "C-Level"];
const TITLES = ["Software Engineer", "Head of IT", "Procurement Lead", "Data Analyst", "CFO", "Architect"];
log(`building ${ACCOUNTS} accounts × ${PEOPLE} people …`);
await db.transaction().execute(async (trx) => {
  for (let i = 0; i < ACCOUNTS; i += 500) {
    const accounts = Array.from({ length: Math.min(500, ACCOUNTS - i) }, (_, k) => ({
      id: `acc_${String(i + k).padStart(6, "0")}`,
      name: `Account ${i + k}`,
      domain: null,
      industry: (i + k) % 2 ? "Software" : "Retail",
      market_segment: null,
      country: "NL",
      annual_revenue: null,
      parent_id: null,
      open_opportunities_count: (i + k) % 3,
      open_opportunities_amount: ((i + k) % 3) * 45_000, // an open opportunity has an amount
      created_at: now,
      updated_at: now,
    }));
    await trx.insertInto("accounts").values(accounts).execute();
    const people = accounts.flatMap((a, ai) =>
      Array.from({ length: PEOPLE }, (_, p) => ({
        id: `${a.id}_p${p}`,
        account_id: a.id,
        first_name: "P",
        last_name: `${ai}-${p}`,
        email: null,
        phone: null,
        job_title: TITLES[p % TITLES.length]!,
        department: null,
        seniority: SENIORITY[p % SENIORITY.length]!,
        country: "NL",
        source: "import",
        status: "active",
        attributes: "{}",
        created_at: now,
        updated_at: now,
      })),
    );
    for (let j = 0; j < people.length; j += 200)
      await trx
        .insertInto("people")
        .values(people.slice(j, j + 200))
        .execute();
  }
});
// PostgreSQL: statistics for the tables just loaded, as autovacuum's ANALYZE would take them after the load
// (this server runs with autovacuum off). Without them the planner reads all 200 000 people with a
// sequential scan for each batch's 200 accounts (an IN list's default selectivity), and the job grows
// quadratically. Only these two: a table analyzed while still empty (groups, members) would be planned as
// empty while the job fills it.
if (pgUrl) await sql`analyze accounts, people`.execute(db);
const { userId } = await createUserWithToken(db, {
  name: "bench",
  role: "admin",
  tokenName: "bench",
  now,
  key: tokenKey(config),
});
const tpl = await createTemplate(
  deps,
  {
    name: "Bench roles",
    description: "",
    roles: [
      {
        key: "decision-maker",
        name: "Decision maker",
        weighting: "vital",
        membersRequired: 1,
        countsTowardCompleteness: true,
        decisionMaker: true,
        conditions: { field: "seniority", op: "in", value: ["VP", "C-Level"] },
      },
      {
        key: "influencer",
        name: "Influencer",
        weighting: "important",
        membersRequired: 2,
        countsTowardCompleteness: true,
        decisionMaker: false,
        conditions: {
          any: [
            { field: "jobTitle", op: "contains", value: "head of" },
            { field: "seniority", op: "equals", value: "Director" },
          ],
        },
      },
      {
        key: "practitioner",
        name: "Practitioner",
        weighting: "normal",
        membersRequired: 3,
        countsTowardCompleteness: true,
        decisionMaker: false,
        conditions: {
          all: [
            { field: "jobTitle", op: "contains", value: "engineer" },
            { field: "score", op: "gte", value: 0 },
          ],
        },
      },
    ],
  },
  userId,
);
await publishTemplate(deps, tpl.id, userId);
const si = await createSolutionInterest(deps, {
  name: "Bench cloud",
  description: "",
  roleTemplateId: tpl.id,
  stageModelId: null,
  keywords: [],
  products: [],
});
const batchSize = Number(values.batch);

async function timeJob(kind: "creation" | "maintenance") {
  const job = await createJob(deps, si.id, kind === "creation" ? { kind, audience: {} } : { kind }, {
    userId: userId,
    trigger: "manual",
  });
  const started = performance.now();
  await runJobsUntilIdle(deps, { batchSize });
  const ms = performance.now() - started;
  const done = await db.selectFrom("lifecycle_jobs").selectAll().where("id", "=", job.id).executeTakeFirstOrThrow();
  return {
    kind,
    seconds: Math.round(ms / 100) / 10,
    done: done.done,
    groupsCreated: done.groups_created,
    membersAssigned: done.members_assigned,
    membersRemoved: done.members_removed,
    errors: done.error_count,
  };
}

log("creation job …");
const creation = await timeJob("creation");
log(`  ${JSON.stringify(creation)}`);
log("maintenance job, nothing changed …");
const maintenance = await timeJob("maintenance");
log(`  ${JSON.stringify(maintenance)}`);
// Every VP is demoted: the rules now drop them, so maintenance removes ~10 % of all members.
await db.updateTable("people").set({ seniority: "Manager" }).where("seniority", "=", "VP").execute();
log("maintenance job, every VP demoted …");
const maintenanceChanged = await timeJob("maintenance");
log(`  ${JSON.stringify(maintenanceChanged)}`);
console.log(
  JSON.stringify({ accounts: ACCOUNTS, peoplePerAccount: PEOPLE, batchSize, creation, maintenance, maintenanceChanged }),
);
await db.destroy();
