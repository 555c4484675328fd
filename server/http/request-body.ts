import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import getRawBody from "raw-body";
import { QuorumError } from "../../shared/errors";

type NodeEnv = { incoming?: IncomingMessage } | undefined;

/**
 * The Node request under @hono/node-server when it is HTTP/1.x (undefined in process, `app.request()`, and for
 * HTTP/2, whose bodies need not announce their length).
 */
export function nodeIncoming(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as NodeEnv)?.incoming;
  return incoming && incoming.httpVersionMajor === 1 ? incoming : undefined;
}

export const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : n >= 1024 ? `${n / 1024} KB` : `${n} bytes`;

/** The 413 of a body over its route's limit. */
export function tooLarge(limit: number): never {
  throw new QuorumError(
    413,
    "payload_too_large",
    `The request body is larger than this route's limit of ${formatBytes(limit)}. Send less per request (split a batch).`,
    { limitBytes: limit },
  );
}

/** Requests whose body the input guard left on the Node stream, with their route's body limit. */
const unreadBodies = new WeakMap<Context, number>();

/**
 * Input guard, under @hono/node-server: whether the HTTP/1.x request's body fits `limit` decided from its
 * headers alone, as hono/body-limit decides it for a body with a `Content-Length` (Node's parser never reads past
 * that length), without building the Fetch `Request` (its headers, body stream and abort signal cost more than the
 * rest of a small webhook request). A body sent without `Content-Length` (chunked) returns false: the caller then
 * counts it as it streams (hono/body-limit). Throws the 413 for a `Content-Length` over the limit.
 */
export function checkNodeBodyLength(c: Context, incoming: IncomingMessage, limit: number): boolean {
  if (incoming.headers["transfer-encoding"] !== undefined) return false;
  // HTTP/1.x without Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3).
  if (Number.parseInt(incoming.headers["content-length"] ?? "0", 10) > limit) tooLarge(limit);
  unreadBodies.set(c, limit);
  return true;
}

/**
 * The request body's bytes, read once. When the input guard left it on the Node stream (checkNodeBodyLength),
 * straight from there with raw-body (no Fetch `Request`, no web stream; the limit and the announced length checked
 * again as it arrives); otherwise through Hono (in process, chunked or HTTP/2 bodies, or a body already read).
 */
export async function readBody(c: Context): Promise<Buffer> {
  const incoming = nodeIncoming(c);
  const limit = unreadBodies.get(c);
  if (incoming && limit !== undefined && !incoming.readableDidRead && !incoming.readableEnded) {
    unreadBodies.delete(c);
    try {
      return await getRawBody(incoming, { length: incoming.headers["content-length"] ?? null, limit });
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 413) tooLarge(limit);
      if (status === 400)
        throw new QuorumError(400, "validation_failed", "The request body ended before its Content-Length; send it again.", {
          issues: [{ field: "(body)", message: "is shorter than its Content-Length" }],
        });
      throw err;
    }
  }
  return Buffer.from(await c.req.arrayBuffer());
}

const utf8 = new TextDecoder();

/** The body as text, decoded as the Fetch `text()` decodes it (UTF-8, a leading byte order mark dropped, bad bytes replaced). */
export const readBodyText = async (c: Context): Promise<string> => utf8.decode(await readBody(c));
