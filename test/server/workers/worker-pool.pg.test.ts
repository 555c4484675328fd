import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runServe } from "../../../server/cli/serve";
import { loadConfig } from "../../../server/config";

// Issue 16 on PostgreSQL: the worker thread's nice does not reach the database processes that run its SQL, so
// `serve` gives background work QUORUM_PG_WORKER_POOL_SIZE connections (default 1) and pre-warming one more: a
// creation job and a full recompute queued together take turns on one connection, and both finish. The pools
// are named in pg_stat_activity (`<application_name> worker` / `… prewarm`), which is how this test counts them.
const url = process.env.QUORUM_TEST_DATABASE_URL;
const TOKEN = "worker_pool_token_0123456789abcdef";

describe.skipIf(!url)("serve's background connections on PostgreSQL", () => {
  const schema = `t_wpool_${randomBytes(4).toString("hex")}`;
  const app = `quorum_wpool_${randomBytes(4).toString("hex")}`;
  const dir = mkdtempSync(join(tmpdir(), "quorum-wpool-"));
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
  });
  afterAll(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (extra: Record<string, string> = {}) => {
    const u = new URL(url!);
    u.searchParams.set("options", `-c search_path=${schema}`);
    u.searchParams.set("application_name", app);
    return loadConfig({
      DATABASE_URL: u.toString(),
      QUORUM_DATA_DIR: dir,
      QUORUM_PORT: "0",
      QUORUM_LOG: "silent",
      QUORUM_DEMO_DATA: "true",
      QUORUM_BOOTSTRAP_TOKEN: TOKEN,
      QUORUM_TOKEN_SECRET: "worker-pool-secret-0123456789abcdef0123",
      // Small batches: the creation job takes many turns, interleaved with the recompute's pages.
      QUORUM_JOB_BATCH_SIZE: "2",
      ...extra,
    });
  };

  it("runs a creation job and a recompute together on one worker connection, and both finish", async () => {
    const server = await runServe(config());
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const peak = new Map<string, number>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await admin.query<{ name: string; n: number }>(
          "select application_name as name, count(*)::int as n from pg_stat_activity where application_name like $1 group by 1",
          [`${app}%`],
        );
        for (const r of rows) peak.set(r.name, Math.max(peak.get(r.name) ?? 0, r.n));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      const interest = (await api("GET", "/api/solution-interests")).body.items[0];
      const [recompute, job] = await Promise.all([
        api("POST", "/api/scores/recompute"),
        api("POST", `/api/solution-interests/${interest.id}/jobs`, { kind: "creation", audience: {} }),
      ]);
      expect(recompute.status).toBe(202);
      expect(job.status).toBe(202);
      const deadline = Date.now() + 120_000;
      let r: any;
      let j: any;
      for (;;) {
        r = (await api("GET", `/api/scores/recompute/${recompute.body.id}`)).body;
        j = (await api("GET", `/api/jobs/${job.body.id}`)).body;
        if ((r.status === "done" && j.status === "done") || Date.now() > deadline) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(r.status).toBe("done");
      expect(r.result.groups).toBeGreaterThan(30);
      expect(j.status).toBe("done");
      expect(j.progress.done).toBe(j.progress.total);
      // Both jobs ran on the worker's single connection; pre-warming has its own; requests use the main pool.
      expect(peak.get(`${app} worker`)).toBe(1);
      expect(peak.get(`${app} prewarm`) ?? 0).toBeLessThanOrEqual(1);
      expect(peak.get(app)).toBeGreaterThanOrEqual(1);
    } finally {
      sampling = false;
      await sampler;
      await server.close();
    }
  }, 180_000);

  it("refuses a worker pool size out of range, naming the variable", () => {
    expect(() => config({ QUORUM_PG_WORKER_POOL_SIZE: "0" })).toThrow(/QUORUM_PG_WORKER_POOL_SIZE/);
    expect(() => config({ QUORUM_PG_WORKER_POOL_SIZE: "many" })).toThrow(/QUORUM_PG_WORKER_POOL_SIZE/);
    expect(config({ QUORUM_PG_WORKER_POOL_SIZE: "3" }).database).toMatchObject({ kind: "postgres", workerPoolSize: 3 });
  });
});
