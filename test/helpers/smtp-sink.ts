import { SMTPServer, type SMTPServerSession } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Map<string, string>;
  body: string;
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: ReceivedMail[];
  /**
   * True when no message was accepted in the last `ms` and none will be in the next `ms` (every
   * message in flight is still inside its delay): a kill now lands mid-send, not at an acceptance.
   */
  quietFor(ms: number): boolean;
  /** Resolves once at least `n` messages arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Header names lower-cased, folded lines unfolded. */
export function parseHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(split).replace(/=\r?\n/g, "") };
}

/**
 * A real SMTP server on an ephemeral port that keeps what it accepts. With `delayMs` it waits that
 * long before answering each message; a message whose client hung up meanwhile (a killed worker)
 * never got its 250 and is not kept, as a real server would not deliver it either.
 */
export async function startSmtpSink(options: { delayMs?: number; rejectRcpt?: (address: string) => boolean } = {}) {
  const messages: ReceivedMail[] = [];
  const closed = new Set<string>();
  const waiters: Array<() => void> = [];
  const acceptAt = new Map<string, number>();
  let lastAcceptAt = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, cb) {
      if (options.rejectRcpt?.(address.address))
        return cb(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      cb();
    },
    onClose(session: SMTPServerSession) {
      closed.add(session.id);
    },
    onData(stream, session, cb) {
      const parts: Buffer[] = [];
      stream.on("data", (b: Buffer) => parts.push(b));
      stream.on("end", () => {
        const finish = () => {
          acceptAt.delete(session.id);
          if (closed.has(session.id)) return cb(new Error("client went away"));
          lastAcceptAt = Date.now();
          const raw = Buffer.concat(parts).toString("utf8");
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            ...parseHeaders(raw),
          });
          for (const w of waiters.splice(0)) w();
          cb();
        };
        acceptAt.set(session.id, Date.now() + (options.delayMs ?? 0));
        if (options.delayMs) setTimeout(finish, options.delayMs);
        else finish();
      });
    },
  });
  // A killed client resets its connection; that is expected here, not a failure of the sink.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const sink: SmtpSink = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    quietFor(ms) {
      const now = Date.now();
      return now - lastAcceptAt >= ms && [...acceptAt.values()].every((at) => at - now >= ms);
    },
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`SMTP sink: ${messages.length} of ${n} messages after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return sink;
}
