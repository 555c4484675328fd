import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runServe } from "../../../server/cli/serve";
import { loadConfig } from "../../../server/config";

// Real servers on real SQLite files, real second processes (`npm run quorum -- …`).
const TOKEN = "workers_test_token_0123456789abcdef";
const dirs: string[] = [];
const env = (extra: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), "quorum-workers-"));
  dirs.push(dir);
  return {
    QUORUM_DATA_DIR: dir,
    QUORUM_PORT: "0",
    QUORUM_LOG: "silent",
    QUORUM_DEMO_DATA: "true",
    QUORUM_BOOTSTRAP_TOKEN: TOKEN,
    QUORUM_TOKEN_SECRET: "workers-test-secret-0123456789abcdef0123",
    ...extra,
  };
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function quorum(args: string[], vars: Record<string, string>) {
  // node itself (not npx), so a signal reaches the Quorum process.
  const child = spawn(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...args], {
    env: { ...process.env, ...vars },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { out: "", err: "" };
  child.stdout!.on("data", (d) => (output.out += d));
  child.stderr!.on("data", (d) => (output.err += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output, exited };
}

async function api(port: number, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("serve runs background work off the request path", () => {
  it("on a worker thread by default: a queued recompute and a creation job finish while the API answers", async () => {
    const server = await runServe(loadConfig(env()));
    try {
      expect(server.workers).toBe("thread");
      const queued = await api(server.port, "POST", "/api/scores/recompute");
      expect(queued.status).toBe(202);
      expect(queued.body).toMatchObject({ kind: "recompute", status: "queued" });
      const done = await until(
        () => api(server.port, "GET", `/api/scores/recompute/${queued.body.id}`),
        (r) => r.body.status === "done",
      );
      expect(done.body.status).toBe("done");
      expect(done.body.result.groups).toBe(done.body.progress.total);
      expect(done.body.progress.total).toBeGreaterThan(30);

      const interest = (await api(server.port, "GET", "/api/solution-interests")).body.items[0];
      const job = await api(server.port, "POST", `/api/solution-interests/${interest.id}/jobs`, {
        kind: "creation",
        audience: {},
      });
      expect(job.status).toBe(202);
      const finished = await until(
        () => api(server.port, "GET", `/api/jobs/${job.body.id}`),
        (r) => r.body.status === "done",
      );
      expect(finished.body.status).toBe("done");
      expect(finished.body.progress.done).toBe(finished.body.progress.total);
      expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 180_000);

  it("with QUORUM_WORKERS=off nothing runs until a `quorum worker` process claims the work", async () => {
    const vars = env({ QUORUM_WORKERS: "off" });
    const server = await runServe(loadConfig(vars));
    let worker: { child: ChildProcess; output: { out: string; err: string }; exited: Promise<number | null> } | null = null;
    try {
      expect(server.workers).toBe("off");
      const queued = await api(server.port, "POST", "/api/scores/recompute");
      expect(queued.status).toBe(202);
      await new Promise((r) => setTimeout(r, 2500));
      expect((await api(server.port, "GET", `/api/scores/recompute/${queued.body.id}`)).body.status).toBe("queued");

      worker = quorum(["worker"], { ...vars, QUORUM_LOG: "info" });
      const done = await until(
        () => api(server.port, "GET", `/api/scores/recompute/${queued.body.id}`),
        (r) => r.body.status === "done",
        90_000,
      );
      expect(done.body.status, worker.output.err).toBe("done");
      expect(worker.output.out).toContain("Quorum worker started");
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      worker = null;
    } finally {
      worker?.child.kill("SIGKILL");
      await server.close();
    }
  }, 180_000);
});

describe("serve on a busy port", () => {
  it("exits non-zero at once with a clear message when another Quorum holds the port", async () => {
    const first = await runServe(loadConfig(env({ QUORUM_DEMO_DATA: "false" })));
    try {
      const second = quorum(["serve"], {
        ...env({ QUORUM_DEMO_DATA: "false" }),
        QUORUM_PORT: String(first.port),
        QUORUM_LOG: "info",
      });
      const killer = setTimeout(() => second.child.kill("SIGKILL"), 90_000);
      const code = await second.exited;
      clearTimeout(killer);
      expect(code).toBe(1);
      expect(second.output.err).toContain(`port ${first.port} is in use — stop the other process or set QUORUM_PORT`);
      expect(second.output.err).not.toContain("EADDRINUSE");
      // The first server is untouched.
      expect((await fetch(`http://127.0.0.1:${first.port}/health`)).status).toBe(200);
    } finally {
      await first.close();
    }
  }, 120_000);
});
