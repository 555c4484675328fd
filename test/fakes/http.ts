import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Shared plumbing of the CRM fakes: a loopback HTTP server on a random port, body parsing, injected faults. */
export interface Fault {
  /** Which requests it hits: a substring of `METHOD path`. */
  match: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** The request takes effect first and only its answer is the fault (a response lost after the vendor applied it). */
  afterEffect?: boolean;
}

export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  text: string;
  json: () => any;
  form: () => URLSearchParams;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string>; raw?: string };

export interface FakeServer {
  url: string;
  /** Requests served so far (faults included). */
  calls: number;
  log: string[];
  /** Added to every answer (to kill a client mid-sync). */
  delayMs: number;
  fail(fault: Fault): void;
  close(): Promise<void>;
}

export async function startFake(
  handle: (req: FakeRequest) => Reply | Promise<Reply>,
  options: { port?: number; host?: string } = {},
): Promise<FakeServer & { server: Server }> {
  const faults: Array<Fault & { left: number }> = [];
  const state = { calls: 0, log: [] as string[], delayMs: 0 };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const line = `${req.method} ${url.pathname}${url.search}`;
    state.calls++;
    if (state.log.length < 5000) state.log.push(line);
    const send = (r: Reply) => {
      const body = r.raw ?? (r.body === undefined ? "" : JSON.stringify(r.body));
      res.writeHead(r.status, {
        ...(r.raw === undefined && r.body !== undefined ? { "content-type": "application/json;charset=UTF-8" } : {}),
        ...r.headers,
      });
      res.end(body);
    };
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    const fault = faults.find((f) => f.left > 0 && line.includes(f.match));
    if (fault && !fault.afterEffect) {
      fault.left--;
      send({ status: fault.status, body: fault.body, headers: fault.headers });
      return;
    }
    try {
      const reply = await handle({
        method: req.method ?? "GET",
        url,
        headers: req.headers,
        text,
        json: () => (text ? JSON.parse(text) : null),
        form: () => new URLSearchParams(text),
      });
      if (fault) {
        fault.left--;
        send({ status: fault.status, body: fault.body, headers: fault.headers });
      } else send(reply);
    } catch (err) {
      send({ status: 500, body: [{ message: String(err), errorCode: "UNKNOWN_EXCEPTION" }] });
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return state.calls;
    },
    set calls(v: number) {
      state.calls = v;
    },
    log: state.log,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v: number) {
      state.delayMs = v;
    },
    fail: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
