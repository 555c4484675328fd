/**
 * End-to-end harness: a real Quorum server on a temporary SQLite database, the built extension loaded in Debian's
 * Chromium (playwright-core), and the saved CRM fixture pages served over HTTPS (throw-away certificate) at the real
 * CRM host names through --host-resolver-rules.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { runServe } from "../../server/cli/serve";
import { loadConfig } from "../../server/config";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const EXTENSION_DIR = join(ROOT, ".output/chrome-mv3");
export const ARTIFACTS = join(ROOT, "test/e2e/artifacts");
const FIXTURES = join(ROOT, "test/fixtures/crm");
export const CHROMIUM = process.env.QUORUM_CHROMIUM ?? "/usr/bin/chromium";

/** A CRM page: its real URL and the saved page served there. */
export interface CrmPage {
  url: string;
  fixture: string;
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `End-to-end tests need Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; or set QUORUM_CHROMIUM). .ci/run installs it.`,
    );
  }
}

/** Builds the Chrome MV3 extension once into .output/chrome-mv3. */
export function buildExtension(): void {
  // Generous: content scripts are minified with Terser, and the machine may be busy with other suites.
  execFileSync(join(ROOT, "node_modules/.bin/wxt"), ["build"], { cwd: ROOT, stdio: "pipe", timeout: 600_000 });
}

function makeCertificate(dir: string, hosts: string[]): { key: Buffer; cert: Buffer } {
  const san = hosts.map((h) => `DNS:${h}`).join(",");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=quorum-e2e",
      "-addext",
      `subjectAltName=${san}`,
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "pipe" },
  );
  return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
}

/** Serves each fixture at its CRM URL's host + path (any query string); 404 for everything else. */
export async function startCrmServer(dir: string, pages: CrmPage[]): Promise<{ server: Server; port: number; hosts: string[] }> {
  const byPath = new Map(pages.map((p) => [`${new URL(p.url).host}${new URL(p.url).pathname}`, p.fixture]));
  const hosts = [...new Set(pages.map((p) => new URL(p.url).hostname))];
  const server = createServer(makeCertificate(dir, hosts), (req, res) => {
    const path = new URL(req.url ?? "/", "https://x").pathname;
    const fixture = byPath.get(`${req.headers.host}${path}`);
    if (!fixture) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(readFileSync(join(FIXTURES, fixture)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, hosts };
}

export async function startQuorum(dataDir: string, token: string, env: Record<string, string> = {}) {
  const config = loadConfig({
    QUORUM_HOST: "127.0.0.1",
    QUORUM_PORT: "0",
    QUORUM_DATA_DIR: dataDir,
    QUORUM_DEMO_DATA: "false",
    QUORUM_BOOTSTRAP_TOKEN: token,
    QUORUM_LOG: "silent",
    ...env,
  });
  const server = await runServe(config);
  const base = `http://127.0.0.1:${server.port}`;
  async function call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  }
  return { ...server, base, call };
}

export async function launchBrowser(userDataDir: string, crmPort: number, hosts: string[]) {
  const rules = hosts.map((h) => `MAP ${h} 127.0.0.1:${crmPort}`).join(", ");
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    // Playwright disables extensions by default.
    ignoreDefaultArgs: ["--disable-extensions"],
    viewport: { width: 1100, height: 800 },
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      ...(hosts.length > 0 ? [`--host-resolver-rules=${rules}`] : []),
      "--ignore-certificate-errors",
      "--lang=en-US",
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker", { timeout: 60_000 }));
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function closeAll(context: BrowserContext | undefined, dirs: string[]): Promise<void> {
  await context?.close().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
