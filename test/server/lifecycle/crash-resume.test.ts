import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../../server/app";
import { tokenKey } from "../../../server/auth/token-secret";
import { createUserWithToken } from "../../../server/auth/tokens.repo";
import { openDatabase } from "../../../server/bootstrap";
import { loadConfig } from "../../../server/config";

const ACCOUNTS = 1000;

// A creation job over 1 000 accounts; the server process is killed (SIGKILL) part-way and restarted.
describe("creation job survives kill -9", () => {
  const dir = mkdtempSync(join(tmpdir(), "quorum-crash-"));
  const env = {
    QUORUM_DATA_DIR: dir,
    QUORUM_PORT: "0",
    QUORUM_LOG: "silent",
    QUORUM_DEMO_DATA: "false",
    QUORUM_JOB_LEASE_SECONDS: "1",
    QUORUM_JOB_BATCH_SIZE: "10",
  };
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  const startServer = () => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/main.ts", "serve"], {
      env: { ...process.env, ...env },
      stdio: "ignore",
    });
    children.push(child);
    return child;
  };

  it("finishes with exactly one group per account and no duplicate members", async () => {
    const config = loadConfig(env);
    const db = await openDatabase(config);
    const deps = { db, config, clock: () => new Date() };
    const app = createApp(deps);
    const { token } = await createUserWithToken(db, {
      name: "t",
      role: "admin",
      tokenName: "t",
      now: new Date().toISOString(),
      key: tokenKey(config),
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as any;
    };
    const tpl = await call("POST", "/api/role-templates", {
      name: "T",
      roles: [
        { key: "dm", name: "DM", weighting: "vital", conditions: { field: "seniority", op: "equals", value: "VP" } },
        { key: "eng", name: "Eng", weighting: "normal", conditions: { field: "jobTitle", op: "contains", value: "engineer" } },
      ],
    });
    await call("POST", `/api/role-templates/${tpl.id}/publish`);
    const si = await call("POST", "/api/solution-interests", { name: "Cloud", roleTemplateId: tpl.id });
    const now = new Date().toISOString();
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: `acc_${String(i).padStart(5, "0")}`,
      name: `Account ${i}`,
      domain: null,
      industry: null,
      market_segment: null,
      country: null,
      annual_revenue: null,
      parent_id: null,
      open_opportunities_count: 0,
      open_opportunities_amount: 0,
      created_at: now,
      updated_at: now,
    }));
    const person = (id: string, accountId: string, seniority: string | null, jobTitle: string | null) => ({
      id,
      account_id: accountId,
      first_name: "P",
      last_name: id,
      seniority,
      job_title: jobTitle,
      email: null,
      phone: null,
      department: null,
      country: null,
      status: "active",
      attributes: "{}",
      source: "import",
      created_at: now,
      updated_at: now,
    });
    const people = accounts.flatMap((a, i) => [
      person(`p_${i}_a`, a.id, "VP", null),
      person(`p_${i}_b`, a.id, null, "Engineer"),
      person(`p_${i}_c`, a.id, null, "Clerk"),
    ]);
    for (let i = 0; i < accounts.length; i += 200)
      await db
        .insertInto("accounts")
        .values(accounts.slice(i, i + 200))
        .execute();
    for (let i = 0; i < people.length; i += 200)
      await db
        .insertInto("people")
        .values(people.slice(i, i + 200))
        .execute();
    const job = await call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: {} });
    expect(job.progress.total).toBe(ACCOUNTS);
    await db.destroy();

    const reader = new Database(join(dir, "quorum.sqlite"), { readonly: true });
    reader.pragma("busy_timeout = 5000");
    const progress = () =>
      reader.prepare("select status, done from lifecycle_jobs where id = ?").get(job.id) as { status: string; done: number };
    const waitFor = async (ok: () => boolean, ms: number) => {
      const until = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > until) throw new Error(`timed out; job is ${JSON.stringify(progress())}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    const first = startServer();
    await waitFor(() => progress().done >= 100, 60_000);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = progress();
    expect(atKill.status).toBe("running");
    expect(atKill.done).toBeLessThan(ACCOUNTS);

    startServer();
    await waitFor(() => progress().status === "done", 90_000);
    const final = reader.prepare("select * from lifecycle_jobs where id = ?").get(job.id) as any;
    expect(final).toMatchObject({ done: ACCOUNTS, groups_created: ACCOUNTS, members_assigned: 2 * ACCOUNTS, error_count: 0 });
    const groups = reader
      .prepare("select count(*) as n, count(distinct account_id) as accounts from buying_groups where solution_interest_id = ?")
      .get(si.id) as any;
    expect(groups).toEqual({ n: ACCOUNTS, accounts: ACCOUNTS });
    const members = reader.prepare("select count(*) as n, count(distinct person_id) as people from group_members").get() as any;
    expect(members).toEqual({ n: 2 * ACCOUNTS, people: 2 * ACCOUNTS });
    const perGroup = reader
      .prepare(
        "select count(*) as n from (select group_id from group_members where status = 'active' group by group_id having count(*) <> 2) x",
      )
      .get() as any;
    expect(perGroup.n).toBe(0);
    reader.close();
  }, 180_000);
});
