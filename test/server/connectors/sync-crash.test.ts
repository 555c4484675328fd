import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_WORKER_NODE_FLAGS } from "../../../server/connectors/sync-runner";
import type { Db } from "../../../server/db/create-db";
import { seedOrg } from "../../fakes/salesforce/seed";
import { type SalesforceFake, startSalesforceFake } from "../../fakes/salesforce/server";
import { createTestContext, type TestContext } from "../../helpers/test-app";
import { fastPolicy } from "./helpers";

// A real worker process syncing a 5 000-contact org, killed with SIGKILL in the middle of the run and
// replaced by another: the database ends with exactly the records of an uninterrupted sync.
const KEY = "d".repeat(64);
let sf: SalesforceFake;
let dir: string;
let crashed: TestContext;
let clean: TestContext;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "quorum-sync-crash-"));
  sf = await startSalesforceFake();
  sf.addUser("integration@acme.example", "pw", { clientId: "cid", clientSecret: "secret" });
  seedOrg(sf, { accounts: 40, contacts: 5000 });
  crashed = await createTestContext({
    now: new Date(),
    env: { DATABASE_URL: join(dir, "quorum.sqlite"), QUORUM_DATA_DIR: dir, QUORUM_CONNECTOR_KEY: KEY },
  });
  clean = await createTestContext({ now: new Date(), env: { QUORUM_CONNECTOR_KEY: KEY } });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await crashed.close();
  await clean.close();
  await sf.close();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      ...SYNC_WORKER_NODE_FLAGS,
      "--import",
      "tsx",
      "server/connectors/worker-process.ts",
      "--lease-ms",
      "1500",
      "--poll-ms",
      "100",
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: join(dir, "quorum.sqlite"),
        QUORUM_DATA_DIR: dir,
        QUORUM_CONNECTOR_KEY: KEY,
        QUORUM_LOG: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stderr?.on("data", (d) => process.stderr.write(`[worker] ${d}`));
  children.push(child);
  return child;
}

const connect = async (t: TestContext) => {
  const res = await t.call("POST", "/api/connections", {
    crm: "salesforce",
    name: "Org",
    loginUrl: sf.url,
    auth: { kind: "password", clientId: "cid", clientSecret: "secret", username: "integration@acme.example", password: "pw" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const run = await t.call("POST", `/api/connections/${res.body.id}/sync`, {});
  return run.body.run.id as string;
};

const runRow = (db: Db, id: string) => db.selectFrom("crm_sync_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** Everything the sync wrote, keyed by CRM ids (Quorum's own ids differ between databases). */
async function snapshot(db: Db) {
  const accounts = await db
    .selectFrom("account_crm_links as l")
    .innerJoin("accounts as a", "a.id", "l.account_id")
    .select(["l.record_id", "a.name", "a.domain", "a.industry", "a.market_segment"])
    .orderBy("l.record_id")
    .execute();
  const people = await db
    .selectFrom("person_crm_links as l")
    .innerJoin("people as p", "p.id", "l.person_id")
    .innerJoin("account_crm_links as al", "al.account_id", "p.account_id")
    .select(["l.record_id", "p.first_name", "p.last_name", "p.email", "p.job_title", "al.record_id as account"])
    .orderBy("l.record_id")
    .execute();
  const activities = await db
    .selectFrom("activities as a")
    .innerJoin("person_crm_links as l", "l.person_id", "a.person_id")
    .select(["a.external_id", "a.type_id", "a.occurred_at", "l.record_id"])
    .orderBy("a.external_id")
    .execute();
  const rollup = await db
    .selectFrom("activity_daily as d")
    .innerJoin("person_crm_links as l", "l.person_id", "d.person_id")
    .select(["l.record_id", "d.type_id", "d.day", "d.count"])
    .orderBy("l.record_id")
    .orderBy("d.type_id")
    .orderBy("d.day")
    .execute();
  return { accounts, people, activities, rollup };
}

describe("sync killed with kill -9", () => {
  it("resumes from the last committed page and ends with exactly the records of an uninterrupted run", async () => {
    const runId = await connect(crashed);
    sf.delayMs = 40;
    const first = startWorker();
    const total = 1 + 40 + 5000 + 7500;
    for (let i = 0; ; i++) {
      const r = await runRow(crashed.deps.db, runId);
      if (r.stream === "contacts" && r.fetched > 2000) break;
      if (i > 1200) throw new Error(`the worker made no progress: ${JSON.stringify(r)}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    first.kill("SIGKILL");
    await new Promise<void>((resolve) =>
      first.exitCode !== null || first.signalCode !== null ? resolve() : first.once("exit", () => resolve()),
    );
    const atKill = await runRow(crashed.deps.db, runId);
    expect(atKill.status).toBe("running");
    expect(atKill.fetched).toBeLessThan(total);
    sf.delayMs = 0;

    startWorker();
    for (let i = 0; ; i++) {
      const r = await runRow(crashed.deps.db, runId);
      if (r.status === "done") break;
      if (r.status !== "running" && r.status !== "queued") throw new Error(`run ended ${r.status}: ${r.error}`);
      if (i > 1200) throw new Error("the second worker did not finish the run");
      await new Promise((res) => setTimeout(res, 100));
    }

    await connect(clean);
    const { runSyncsUntilIdle } = await import("../../../server/connectors/sync-runner");
    await runSyncsUntilIdle(clean.deps, { policy: fastPolicy() });
    const a = await snapshot(crashed.deps.db);
    const b = await snapshot(clean.deps.db);
    expect(a.accounts).toHaveLength(40);
    expect(a.people).toHaveLength(5000);
    expect(a.activities).toHaveLength(7500);
    expect(a).toEqual(b);
  }, 180_000);
});
