/**
 * Driving Debian's Firefox ESR for the Firefox end-to-end test, over WebDriver BiDi directly. Playwright's Firefox
 * needs its own patched build, and its BiDi mode needs commands Firefox ESR 153 does not have yet
 * (emulation.setMediaFeaturesOverride), so this is a minimal client: session, webExtension.install (a temporary
 * add-on, as about:debugging loads one), navigation and script evaluation. Extension pages cannot be navigated to
 * over BiDi, so they are opened from the browser's chrome (needs -remote-allow-system-access).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { join } from "node:path";

// The WebSocket client playwright-core ships (an exported module; Node 20 has no global WebSocket).
const { ws: WebSocket } = createRequire(import.meta.url)("playwright-core/lib/utilsBundle") as {
  ws: any;
};

export const FIREFOX = process.env.QUORUM_FIREFOX ?? "/usr/bin/firefox-esr";
export const hasFirefox = (): boolean => existsSync(FIREFOX);

/** BiDi results are plain JSON. */
type Json = any;

export interface Firefox {
  send(method: string, params?: Json): Promise<Json>;
  /** Evaluates `expression` (awaiting a promise) in a browsing context; returns the JSON-decoded value. */
  evaluate<T = Json>(context: string, expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; returns its value. */
  waitFor<T = Json>(context: string, expression: string, timeoutMs?: number): Promise<T>;
  /** Opens a URL (any scheme, moz-extension:// included) in a new tab from the browser chrome; returns its context. */
  openTab(url: string): Promise<string>;
  close(): Promise<void>;
}

/** An HTTPS proxy that tunnels CONNECTs for `hosts` (port 443) to the local CRM fixture server and refuses the rest. */
export async function startConnectProxy(hosts: string[], targetPort: number): Promise<{ server: Server; port: number }> {
  const allowed = new Set(hosts);
  const server = createServer((_req, res) => res.writeHead(403).end());
  server.on("connect", (req, socket, head) => {
    const [host, port] = (req.url ?? "").split(":");
    if (!host || !allowed.has(host) || port !== "443") {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1", () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : 0 };
}

export async function launchFirefox(
  profileDir: string,
  prefs: Record<string, string | number | boolean>,
): Promise<{ firefox: Firefox; process: ChildProcess }> {
  const base: Record<string, string | number | boolean> = {
    "browser.shell.checkDefaultBrowser": false,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.reportingpolicy.firstRun": false,
    "app.update.disabledForTesting": true,
    "browser.safebrowsing.update.enabled": false,
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
    ...prefs,
  };
  writeFileSync(
    join(profileDir, "user.js"),
    Object.entries(base)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join("\n"),
  );
  const child = spawn(
    FIREFOX,
    ["-headless", "--no-remote", "--remote-debugging-port=0", "-remote-allow-system-access", "--profile", profileDir],
    { env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not start WebDriver BiDi:\n${log}`)), 30_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`Firefox exited (${code}):\n${log}`)));
  });
  const socket = new WebSocket(`${endpoint}/session`);
  await new Promise((resolve, reject) => {
    socket.on("open", resolve);
    socket.on("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, (msg: Json) => void>();
  socket.on("message", (data: Buffer) => {
    const msg = JSON.parse(data.toString());
    if (typeof msg.id === "number") {
      pending.get(msg.id)?.(msg);
      pending.delete(msg.id);
    }
  });
  const send = (method: string, params: Json = {}): Promise<Json> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, (msg) =>
        msg.type === "error" ? reject(new Error(`${method}: ${msg.error}: ${msg.message}`)) : resolve(msg.result),
      );
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("session.new", { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });

  async function evaluate<T>(context: string, expression: string): Promise<T> {
    const r = await send("script.evaluate", {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context },
      awaitPromise: true,
    });
    if (r.type === "exception") throw new Error(`evaluate failed: ${r.exceptionDetails?.text ?? JSON.stringify(r)}`);
    const value = r.result?.value;
    return value === undefined ? (undefined as T) : (JSON.parse(value) as T);
  }

  const firefox: Firefox = {
    send,
    evaluate,
    async waitFor<T>(context: string, expression: string, timeoutMs = 20_000): Promise<T> {
      const until = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        try {
          last = await evaluate<T>(context, expression);
          if (last) return last as T;
        } catch (e) {
          last = e;
        }
        if (Date.now() > until) throw new Error(`timed out waiting for ${expression} (last: ${String(last)})`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async openTab(url: string): Promise<string> {
      const before = new Set<string>((await send("browsingContext.getTree", {})).contexts.map((c: Json) => c.context));
      const chrome = (await send("browsingContext.getTree", { "moz:scope": "chrome" })).contexts[0].context;
      await send("script.evaluate", {
        expression: `(() => {
          const tab = gBrowser.addTab(${JSON.stringify(url)}, {
            triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal(),
          });
          gBrowser.selectedTab = tab;
        })()`,
        target: { context: chrome },
        awaitPromise: false,
      });
      const until = Date.now() + 10_000;
      for (;;) {
        const tree = await send("browsingContext.getTree", {});
        const added = tree.contexts.find((c: Json) => !before.has(c.context) && c.url === url);
        if (added) return added.context as string;
        if (Date.now() > until) throw new Error(`tab for ${url} did not open`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await send("browser.close", {}).catch(() => {});
      socket.close();
      if (child.exitCode === null) child.kill();
    },
  };
  return { firefox, process: child };
}
