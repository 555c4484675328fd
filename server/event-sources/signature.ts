import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { QuorumError } from "../../shared/errors";

/** Signed requests older (or further in the future) than this are refused: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * How a request proves it comes from the source (docs/event-sources.md), first match wins:
 * 1. `X-Signature: t=<unix seconds>,v1=<hex>`: HMAC-SHA256 with the source secret of `<t>.<raw body>`;
 *    refused when `t` is more than 5 minutes away from the server's clock.
 * 2. `X-Signature: <40 hex digits>`: Segment's webhook destination, HMAC-SHA1 of the raw body with the shared
 *    secret (no timestamp: replays are refused by the replay memory and are idempotent on `messageId`).
 * 3. `Authorization: Bearer <secret>`: for CDPs that cannot sign (RudderStack, Jitsu, Segment Webhooks (Actions)).
 * Every comparison is constant-time (crypto.timingSafeEqual). Returns the signature to remember against replays.
 */
export function verifyRequest(
  headers: { signature: string | undefined; authorization: string | undefined },
  rawBody: string,
  secret: string,
  nowMs: number,
): { replayKey: string | null; method: "hmac-sha256" | "segment-sha1" | "bearer" } {
  const sig = headers.signature?.trim();
  if (sig) {
    if (/^[0-9a-f]{40}$/i.test(sig)) {
      const expected = createHmac("sha1", secret).update(rawBody, "utf8").digest();
      if (!safeEqual(Buffer.from(sig, "hex"), expected)) throw badSignature();
      return { replayKey: `s1:${sig.toLowerCase()}`, method: "segment-sha1" };
    }
    // `t=…,v1=…` in any order (the last of a repeated name counts), without building a map per request.
    let t: string | undefined;
    let v1: string | undefined;
    for (const p of sig.split(",")) {
      const i = p.indexOf("=");
      const name = p.slice(0, i).trim();
      if (name === "t") t = p.slice(i + 1).trim();
      else if (name === "v1") v1 = p.slice(i + 1).trim();
    }
    if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/i.test(v1)) {
      throw new QuorumError(
        401,
        "unauthorized",
        "The X-Signature header is not in the form t=<unix seconds>,v1=<64 hex digits> (HMAC-SHA256 of '<t>.<body>' with the source secret), nor a Segment HMAC-SHA1 signature.",
        { issues: [{ field: "X-Signature", message: "must be t=<unix seconds>,v1=<hex HMAC-SHA256>" }] },
      );
    }
    const expected = createHmac("sha256", secret).update(`${t}.`, "utf8").update(rawBody, "utf8").digest();
    if (!safeEqual(Buffer.from(v1, "hex"), expected)) throw badSignature();
    const age = nowMs / 1000 - Number(t);
    if (Math.abs(age) > SIGNATURE_TOLERANCE_SECONDS) {
      throw new QuorumError(
        401,
        "unauthorized",
        `The signature's timestamp is ${Math.round(Math.abs(age))} s ${age > 0 ? "old" : "in the future"}; signed requests are accepted for ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes. Sign each request when sending it (and keep the sender's clock right).`,
        { issues: [{ field: "X-Signature", message: "has a timestamp more than 5 minutes away from now" }] },
      );
    }
    return { replayKey: `v1:${v1.toLowerCase()}`, method: "hmac-sha256" };
  }
  const auth = headers.authorization?.trim();
  if (auth && /^bearer\s+/i.test(auth)) {
    const token = auth.replace(/^bearer\s+/i, "");
    if (!safeEqual(sha256(token), sha256(secret))) {
      throw new QuorumError(401, "unauthorized", "The bearer token is not this event source's secret (was it rotated?).", {
        issues: [{ field: "Authorization", message: "is not the source's current secret" }],
      });
    }
    return { replayKey: null, method: "bearer" };
  }
  throw new QuorumError(
    401,
    "unauthorized",
    "Sign the request (X-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex of '<t>.<body>'>) or send Authorization: Bearer <source secret>.",
    { issues: [{ field: "X-Signature", message: "is missing (and there is no Authorization: Bearer header)" }] },
  );
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest();
const safeEqual = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const badSignature = () =>
  new QuorumError(
    401,
    "unauthorized",
    "The X-Signature does not match the body signed with this source's secret (was it rotated, or the body changed on the way?).",
    {
      issues: [{ field: "X-Signature", message: "does not match the request body and the source secret" }],
    },
  );

/** `X-Signature` for `body` at `unixSeconds` (what a sender computes; tests and the bench use it). */
export function signBody(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac("sha256", secret).update(`${unixSeconds}.${body}`, "utf8").digest("hex")}`;
}

/**
 * Signatures seen in the last 10 minutes (twice the tolerance): the same signed request sent again is a replay
 * (409). Only successful requests are remembered, so a CDP's retry after a failure is still accepted.
 */
export function replayMemory(windowMs = 2 * SIGNATURE_TOLERANCE_SECONDS * 1000, max = 500_000) {
  let current = new Set<string>();
  let previous = new Set<string>();
  let since = Date.now();
  const rotate = () => {
    const now = Date.now();
    if (now - since >= windowMs / 2 || current.size >= max) {
      previous = current;
      current = new Set();
      since = now;
    }
  };
  return {
    seen(key: string) {
      rotate();
      return current.has(key) || previous.has(key);
    },
    remember(key: string) {
      rotate();
      current.add(key);
    },
  };
}
