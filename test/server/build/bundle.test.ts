/**
 * The production server bundle (npm run build → dist/server.js): built with esbuild into a private folder, then run with
 * plain `node` (no tsx): migrations, serve (with its WAL checkpointer thread and background workers), the SSO routes,
 * and a worker entry of its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleServer } from "../../../server/build/bundle-server";
import { SERVER_ENTRIES } from "../../../server/build/entries";
import { startSalesforceFake } from "../../fakes/salesforce/server";
import { addIntegrationUser, passwordConnection } from "../connectors/helpers";

const ROOT = resolve(import.meta.dirname, "../../..");
// Inside the project, so the external packages (better-sqlite3, pg) resolve from its node_modules as they do from dist/.
const OUT = join(ROOT, ".output", `server-bundle-test-${process.pid}`);
const TOKEN = "bundle_test_token_0123456789abcdef";
let data: string;

beforeAll(async () => {
  await bundleServer(OUT);
  data = mkdtempSync(join(tmpdir(), "quorum-bundle-"));
}, 120_000);
afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  QUORUM_DATA_DIR: data,
  QUORUM_DEMO_DATA: "false",
  QUORUM_HOST: "127.0.0.1",
  QUORUM_PORT: "0",
  QUORUM_BOOTSTRAP_TOKEN: TOKEN,
  ...extra,
});

function run(args: string[], extra?: Record<string, string>) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: env(extra), stdio: ["ignore", "pipe", "pipe"] });
  const output = { out: "", err: "" };
  child.stdout.on("data", (d) => (output.out += d));
  child.stderr.on("data", (d) => (output.err += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output, exited };
}

async function waitFor(output: { out: string; err: string }, pattern: RegExp, child: ChildProcess): Promise<RegExpExecArray> {
  for (let i = 0; i < 600; i++) {
    const m = pattern.exec(output.out);
    if (m) return m;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not seen: ${pattern}\nstdout: ${output.out}\nstderr: ${output.err}`);
}

describe("server bundle", () => {
  it("has one file per entry, worker entries included", () => {
    for (const name of Object.keys(SERVER_ENTRIES)) expect(existsSync(join(OUT, `${name}.js`))).toBe(true);
    // Native and driver packages stay external: loaded from node_modules, never inlined.
    expect(readFileSync(join(OUT, "server.js"), "utf8")).toMatch(/from"better-sqlite3"|from "better-sqlite3"/);
  });

  it("migrates a new database with plain node", async () => {
    const p = run([join(OUT, "server.js"), "migrate"]);
    expect(await p.exited).toBe(0);
    expect(p.output.out).toMatch(/Applied: 0001_core, .*0015_sso/);
  }, 60_000);

  it("serves: health, the API with a token, the SSO configuration; stops cleanly on SIGTERM", async () => {
    const p = run([join(OUT, "server.js"), "serve"], {
      QUORUM_SSO_ISSUER: "http://127.0.0.1:9",
      QUORUM_SSO_CLIENT_ID: "quorum-extension",
    });
    const [, base] = await waitFor(p.output, /running on (http:\/\/[\d.:]+)/, p.child);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await me.json()).toMatchObject({ role: "admin" });
    // The issuer is unreachable (port 9): the server says so instead of failing obscurely.
    const sso = await fetch(`${base}/auth/sso/config`);
    expect(sso.status).toBe(502);
    expect(((await sso.json()) as { error: { message: string } }).error.message).toContain("http://127.0.0.1:9");
    // The WAL checkpointer thread started from the bundle (it reports only when it fails).
    await new Promise((r) => setTimeout(r, 300));
    expect(p.output.err).not.toMatch(/checkpointer stopped/);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  }, 60_000);

  it("loads a CRM's SDK from its own chunk when a connection first needs it (Salesforce sign-in, HubSpot OAuth)", async () => {
    // The SDKs are split out of the server's startup code (dynamic imports in server/connectors/registry.ts and
    // oauth.service.ts): the bundle must still find their chunks under dist/chunks when a connection uses them.
    const sf = await startSalesforceFake();
    addIntegrationUser(sf);
    const p = run([join(OUT, "server.js"), "serve"], { QUORUM_CONNECTOR_KEY: "b".repeat(64) });
    try {
      const [, base] = await waitFor(p.output, /running on (http:\/\/[\d.:]+)/, p.child);
      const post = (path: string, body?: unknown) =>
        fetch(`${base}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const sfConn = await post("/api/connections", passwordConnection(sf.url, "Bundle org"));
      expect(sfConn.status, await sfConn.clone().text()).toBe(201);
      expect(await sfConn.json()).toMatchObject({ crm: "salesforce", status: "connected" });
      const hs = await post("/api/connections", {
        crm: "hubspot",
        name: "Bundle portal",
        auth: { kind: "oauth", clientId: "hs-client", clientSecret: "hs-secret" },
      });
      expect(hs.status, await hs.clone().text()).toBe(201);
      const start = await post(`/api/connections/${((await hs.json()) as { id: string }).id}/oauth/start`);
      expect(start.status).toBe(200);
      const url = new URL(((await start.json()) as { authorizeUrl: string }).authorizeUrl);
      expect(url.host).toBe("app.hubspot.com");
      expect(url.searchParams.get("client_id")).toBe("hs-client");
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
      await sf.close();
    }
  }, 60_000);

  it("runs a worker entry on its own", async () => {
    const p = run([join(OUT, "workers/email-outbox.js"), "--poll-ms", "100"]);
    await waitFor(p.output, /worker started/, p.child);
    await new Promise((r) => setTimeout(r, 200)); // it installs its SIGTERM handler right after saying so
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  }, 60_000);
});
