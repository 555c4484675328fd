import { QuorumError } from "../../shared/errors";
import { parseJsonText } from "../http/input-guard";
import { validationError } from "../http/validate";
import { type EventMessage, mayHoldUnsafeText, messagesOf, metadataOf, parseMessage } from "./messages";
import { verifyRequest } from "./signature";

/** A QuorumError as data (it crosses from the parse worker to the request thread). */
export interface ErrorData {
  status: QuorumError["status"];
  code: QuorumError["code"];
  message: string;
  details: unknown;
}

/** What the request thread needs to check and commit one ingest request (the CPU work before the commit). */
export interface PrepareInput {
  raw: string;
  signature: string | undefined;
  authorization: string | undefined;
  secret: string;
  nowMs: number;
}

/**
 * The outcome, in the endpoint's order of checks: `auth` — the signature or bearer token is wrong (401);
 * otherwise the replay key to check, and either the body's error (`body`, 400) or its messages (each track/page/
 * screen with its activity metadata's JSON text already built) and the batch's rejected messages by index.
 */
export type Prepared =
  | { kind: "auth"; error: ErrorData }
  | { kind: "body"; replayKey: string | null; error: ErrorData }
  | {
      kind: "ok";
      replayKey: string | null;
      batch: boolean;
      received: number;
      messages: EventMessage[];
      rejected: Array<{ index: number; messageId: string | null; reason: string }>;
    };

const errorData = (e: unknown): ErrorData => {
  if (!(e instanceof QuorumError)) throw e;
  return { status: e.status, code: e.code, message: e.message, details: e.details };
};

export const toQuorumError = (e: ErrorData) => new QuorumError(e.status, e.code, e.message, e.details);

/**
 * Signature, JSON and message validation of one request, without touching the database or any state: the same
 * on the request thread (small bodies) and on the parse worker (large batches, see parse-pool.ts).
 */
export function prepareRequest(input: PrepareInput): Prepared {
  let replayKey: string | null;
  try {
    replayKey = verifyRequest(
      { signature: input.signature, authorization: input.authorization },
      input.raw,
      input.secret,
      input.nowMs,
    ).replayKey;
  } catch (e) {
    return { kind: "auth", error: errorData(e) };
  }
  try {
    return { kind: "ok", replayKey, ...parseBody(input.raw, new Date(input.nowMs).toISOString()) };
  } catch (e) {
    return { kind: "body", replayKey, error: errorData(e) };
  }
}

function parseBody(raw: string, now: string) {
  const body = parseJsonText(raw, "Send one Segment Spec message or a batch as JSON.");
  const envelope = messagesOf(body);
  if (Array.isArray(envelope)) throw validationError("request body", envelope);
  const textChecked = !mayHoldUnsafeText(raw);
  const messages: EventMessage[] = [];
  const rejected: Array<{ index: number; messageId: string | null; reason: string }> = [];
  const items = envelope.items;
  for (let i = 0; i < items.length; i++) {
    const p = parseMessage(items[i], i, now, envelope.batch ? `batch.${i}` : "", textChecked);
    if (p.ok) {
      const m = p.message;
      if (m.type !== "identify" && m.type !== "group") m.metadataJson = JSON.stringify(metadataOf(m));
      messages.push(m);
    } else if (!envelope.batch) throw validationError("request body", p.issues);
    else rejected.push({ index: i, messageId: p.messageId, reason: p.issues.map((x) => `${x.field} ${x.message}`).join("; ") });
  }
  if (messages.length === 0)
    throw validationError(
      "request body",
      rejected.map((r) => ({ field: `batch.${r.index}`, message: r.reason.replace(/^batch\.\d+\.?/, "") })),
    );
  return { batch: envelope.batch, received: items.length, messages, rejected };
}
