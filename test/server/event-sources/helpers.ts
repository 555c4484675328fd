import { createHmac } from "node:crypto";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { signBody } from "../../../server/event-sources/signature";
import { createTestContext, type TestContext } from "../../helpers/test-app";

export interface EventsTest {
  t: TestContext;
  /** http://127.0.0.1:<port> of the real HTTP server around the app. */
  base: string;
  source: { id: string; secret: string };
  /** POST a body to the source's ingest URL over real HTTP with the given headers. */
  post: (body: string | object, headers?: Record<string, string>, sourceId?: string) => Promise<{ status: number; body: any }>;
  /** Signed as Quorum documents it (X-Signature: t=…,v1=HMAC-SHA256 of "<t>.<body>"). */
  signed: (body: object, at?: Date, secret?: string) => Promise<{ status: number; body: any }>;
  count: (sql: "activities" | "activity_daily" | "event_held" | "people") => Promise<number>;
  close: () => Promise<void>;
}

export async function startEventsTest(env: Record<string, string> = {}): Promise<EventsTest> {
  const t = await createTestContext({ env: { QUORUM_EVENTS_COMMIT_MS: "2", ...env } });
  const server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const created = await t.call("POST", "/api/event-sources", { name: "Segment production" });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const source = { id: created.body.id as string, secret: created.body.secret as string };
  // node:http rather than fetch: a 413 answered before the whole body is sent still reads as the answer.
  const post: EventsTest["post"] = (body, headers = {}, sourceId = source.id) =>
    new Promise((resolve, reject) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const req = request(
        `${base}/hooks/events/${sourceId}`,
        {
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const out = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = out;
            try {
              parsed = JSON.parse(out);
            } catch {}
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code !== "EPIPE" && err.code !== "ECONNRESET") reject(err);
      });
      req.end(text);
    });
  const signed: EventsTest["signed"] = (body, at = t.clock.now, secret = source.secret) => {
    const text = JSON.stringify(body);
    return post(text, { "x-signature": signBody(secret, text, Math.floor(at.getTime() / 1000)) });
  };
  const count: EventsTest["count"] = async (table) =>
    Number(
      (
        await t.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    t,
    base,
    source,
    post,
    signed,
    count,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await t.close();
    },
  };
}

/** What Segment's webhook destination sends: X-Signature = hex HMAC-SHA1 of the body with the shared secret. */
export const segmentSignature = (secret: string, body: string) => createHmac("sha1", secret).update(body, "utf8").digest("hex");

let n = 0;
export const messageId = () => `msg-${Date.now().toString(36)}-${++n}`;

export function track(userId: string, event: string, extra: Record<string, unknown> = {}) {
  return {
    type: "track",
    messageId: messageId(),
    userId,
    event,
    timestamp: "2026-11-23T11:59:00.000Z",
    properties: {},
    ...extra,
  };
}

export function page(
  who: { userId?: string; anonymousId?: string },
  url: string,
  title: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: "page",
    messageId: messageId(),
    ...who,
    name: title,
    timestamp: "2026-11-23T11:58:00.000Z",
    properties: { url, title, path: new URL(url).pathname },
    context: { page: { url, title } },
    ...extra,
  };
}

export function identify(who: { userId?: string; anonymousId?: string }, traits: Record<string, unknown>) {
  return { type: "identify", messageId: messageId(), ...who, traits, timestamp: "2026-11-23T11:57:00.000Z" };
}
