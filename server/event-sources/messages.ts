import { z } from "zod";
import { EmailSchema } from "../../shared/api/people";
import { unsafeTextIssues } from "../../shared/api/text";
import { canonicalUtcMs } from "../activities/activities.service";
import { type FieldIssue, fieldIssues } from "../http/validate";

/**
 * Segment Spec messages (https://segment.com/docs/connections/spec/): `track`, `page`, `screen`, `identify`,
 * `group`, and `batch` holding any of them. RudderStack and Jitsu send the same shapes. Only the fields Quorum
 * uses are checked; everything else a CDP adds (context, integrations, …) passes untouched.
 */
export const MESSAGE_TYPES = ["track", "page", "screen", "identify", "group"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** At most this many messages in one `batch` (Segment's own batch API stops at 500 KB, ~2 500 small messages). */
export const MAX_BATCH_MESSAGES = 5000;

const Id = z.union([z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"), z.number()]);
const Text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

const Base = z.looseObject({
  type: z.enum(MESSAGE_TYPES, {
    message: `must be one of ${MESSAGE_TYPES.join(", ")} (or batch for the whole body)`,
  }),
  messageId: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  timestamp: z.string().max(64).nullish(),
  originalTimestamp: z.string().max(64).nullish(),
  sentAt: z.string().max(64).nullish(),
  event: Text(200).nullish(),
  name: Text(500).nullish(),
  groupId: Id.nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
  traits: z.record(z.string(), z.unknown()).nullish(),
  context: z
    .looseObject({
      traits: z.record(z.string(), z.unknown()).nullish(),
      page: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});

/** A message as ingest uses it. */
export interface EventMessage {
  /** Its index in the request (0 for a single message). */
  index: number;
  type: MessageType;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  /** Canonical UTC ISO time (`timestamp`, else `originalTimestamp`, else `sentAt`, else when it arrived). */
  occurredAt: string;
  /** track: the event name; page/screen: the page name (may be null). */
  event: string | null;
  email: string | null;
  traits: Record<string, unknown>;
  groupId: string | null;
  properties: Record<string, unknown>;
  context: { page: Record<string, unknown> };
  /** The activity metadata's JSON text, when already built where the message was parsed (parse worker). */
  metadataJson?: string;
}

export type ParsedMessage =
  | { ok: true; message: EventMessage }
  | { ok: false; index: number; messageId: string | null; issues: FieldIssue[] };

const idText = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));

function isoTime(v: string): string | null {
  const ms = canonicalUtcMs(v);
  if (!Number.isNaN(ms)) return v;
  // Offsets and other ISO-8601 forms (RudderStack sends `+05:30`); a bare date or prose is refused.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  const parsed = Date.parse(v);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

const plainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const optionalObject = (v: unknown) => v === undefined || v === null || plainObject(v);
const goodId = (v: unknown) =>
  (typeof v === "string" && v.length >= 1 && v.length <= 200 && v.trim() === v) || (typeof v === "number" && Number.isFinite(v));

/**
 * The common case without zod's per-message cost: a track/page/screen with a clean messageId, a userId or
 * anonymousId, a canonical UTC timestamp (or none) and object-shaped properties/context/traits. Returns exactly
 * what the careful path would, or null to let it decide (every invalid message takes the careful path).
 */
function fastMessage(raw: unknown, index: number, now: string): EventMessage | null {
  if (!plainObject(raw)) return null;
  const { type, messageId, userId, anonymousId, timestamp, event, name, properties, context, traits } = raw;
  if (type !== "track" && type !== "page" && type !== "screen") return null;
  if (typeof messageId !== "string" || !goodId(messageId)) return null;
  const hasUser = userId !== undefined && userId !== null;
  const hasAnon = anonymousId !== undefined && anonymousId !== null;
  if ((!hasUser && !hasAnon) || (hasUser && !goodId(userId)) || (hasAnon && !goodId(anonymousId))) return null;
  if (raw.originalTimestamp !== undefined || raw.sentAt !== undefined || raw.groupId !== undefined) return null;
  if (timestamp !== undefined && (typeof timestamp !== "string" || Number.isNaN(canonicalUtcMs(timestamp)))) return null;
  if (!optionalObject(properties) || !optionalObject(traits) || !optionalObject(context)) return null;
  const ctx = (context ?? {}) as Record<string, unknown>;
  if (!optionalObject(ctx.traits) || !optionalObject(ctx.page)) return null;
  if (ctx.traits || traits) return null; // an email in traits: the careful path checks it
  if (type === "track" && (typeof event !== "string" || event.trim() === "" || event.length > 200)) return null;
  if (name !== undefined && name !== null && (typeof name !== "string" || name.length > 500)) return null;
  if (event !== undefined && event !== null && typeof event !== "string") return null;
  return {
    index,
    type,
    messageId,
    userId: hasUser ? String(userId) : null,
    anonymousId: hasAnon ? String(anonymousId) : null,
    occurredAt: (timestamp as string | undefined) ?? now,
    event: type === "track" ? (event as string).trim() : ((name as string | null | undefined) ?? null),
    email: null,
    traits: {},
    groupId: null,
    properties: (properties ?? {}) as Record<string, unknown>,
    context: { page: (ctx.page ?? {}) as Record<string, unknown> },
  };
}

/**
 * Whether a JSON text may hold text no database can store (an escaped NUL or surrogate; a raw one cannot come
 * out of UTF-8 decoding): when not, the per-message text scan is skipped.
 */
export const mayHoldUnsafeText = (json: string) => /\\u(0000|[dD][89a-fA-F])/.test(json);

/** One message, validated; `now` stands in for a missing timestamp. `textChecked`: the body is known to hold only storable text. */
export function parseMessage(raw: unknown, index: number, now: string, prefix: string, textChecked = false): ParsedMessage {
  if (textChecked) {
    const fast = fastMessage(raw, index, now);
    if (fast) return { ok: true, message: fast };
  }
  const messageIdOf = () =>
    typeof raw === "object" && raw !== null && typeof (raw as { messageId?: unknown }).messageId === "string"
      ? ((raw as { messageId: string }).messageId as string).slice(0, 200)
      : null;
  const textIssues = textChecked ? [] : unsafeTextIssues(raw, { maxIssues: 3, prefix: prefix ? [prefix] : [] });
  if (textIssues.length) return { ok: false, index, messageId: messageIdOf(), issues: textIssues };
  const r = Base.safeParse(raw);
  if (!r.success) return { ok: false, index, messageId: messageIdOf(), issues: fieldIssues(r.error, prefix) };
  const m = r.data;
  const field = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const issues: FieldIssue[] = [];
  const userId = idText(m.userId);
  const anonymousId = idText(m.anonymousId);
  if (!userId && !anonymousId && m.type !== "identify")
    issues.push({
      field: field("userId"),
      message: "or anonymousId must be given (Segment Spec: every message names who did it)",
    });
  if (m.type === "track" && !m.event?.trim())
    issues.push({ field: field("event"), message: "must name the event of a track call" });
  if (m.type === "group" && m.groupId === undefined)
    issues.push({ field: field("groupId"), message: "must be given in a group call" });
  let occurredAt = now;
  for (const k of ["timestamp", "originalTimestamp", "sentAt"] as const) {
    const v = m[k];
    if (!v) continue;
    const t = isoTime(v);
    if (!t) issues.push({ field: field(k), message: "must be an ISO-8601 date-time such as 2026-11-23T09:30:00.000Z" });
    else occurredAt = t;
    break;
  }
  const traits = { ...(m.context?.traits ?? {}), ...(m.traits ?? {}) };
  let email: string | null = null;
  if (traits.email !== undefined && traits.email !== null && traits.email !== "") {
    const e = EmailSchema.safeParse(traits.email);
    if (e.success) email = e.data;
    else if (m.type === "identify")
      issues.push({ field: field("traits.email"), message: "must be an email address such as anna@acme.com" });
  }
  if (m.type === "identify" && !userId && !anonymousId && !email)
    issues.push({ field: field("userId"), message: "or traits.email must be given in an identify call" });
  if (issues.length) return { ok: false, index, messageId: m.messageId, issues };
  return {
    ok: true,
    message: {
      index,
      type: m.type,
      messageId: m.messageId,
      userId,
      anonymousId,
      occurredAt,
      event: m.type === "track" ? m.event!.trim() : (m.name ?? null),
      email,
      traits,
      groupId: idText(m.groupId),
      properties: m.properties ?? {},
      context: { page: m.context?.page ?? {} },
    },
  };
}

/** A text cut to `max` characters (never in the middle of a surrogate pair, which no database could store). */
const cut = (v: string, max: number) => {
  if (v.length <= max) return v;
  const c = v.charCodeAt(max - 1);
  return v.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
};
const clip = (v: unknown, max: number): string | undefined =>
  typeof v === "string" && v !== "" ? cut(v, max) : typeof v === "number" ? String(v) : undefined;

/** Activity metadata of a page/track message: url and title (intent keywords), name, and keywords/product given. */
export function metadataOf(m: EventMessage): Record<string, unknown> {
  const p = m.properties;
  const page = m.context.page;
  const meta: Record<string, unknown> = {
    url: clip(p.url ?? page.url, 2000),
    title: clip(p.title ?? page.title, 1000),
    path: clip(p.path ?? page.path, 1000),
    referrer: clip(p.referrer ?? page.referrer, 1000),
    event: clip(m.event, 200),
    product: clip(p.product ?? p.product_id, 200),
    source: "events",
  };
  if (Array.isArray(p.keywords))
    meta.keywords = p.keywords
      .filter((k): k is string => typeof k === "string" && k !== "")
      .slice(0, 50)
      .map((k) => cut(k, 100));
  else if (typeof p.keywords === "string")
    meta.keywords = p.keywords
      .split(",")
      .map((k) => cut(k.trim(), 100))
      .filter(Boolean)
      .slice(0, 50);
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return meta;
}

/** The messages of a batch, or why they are not one. */
function batchOf(items: unknown): { batch: boolean; items: unknown[] } | FieldIssue[] {
  if (!Array.isArray(items)) return [{ field: "batch", message: "must be an array of messages" }];
  if (items.length === 0) return [{ field: "batch", message: "must contain at least one message" }];
  if (items.length > MAX_BATCH_MESSAGES)
    return [{ field: "batch", message: `must contain at most ${MAX_BATCH_MESSAGES} messages; split the batch` }];
  return { batch: true, items };
}

/**
 * The body of a request: one message, or a batch (`{"type":"batch","batch":[…]}` or `{"batch":[…]}` as Segment's and
 * RudderStack's batch APIs send it, or a bare array as Segment's Webhooks (Actions) batching does). Returns a
 * FieldIssue list for a body that is neither.
 */
export function messagesOf(body: unknown): { batch: boolean; items: unknown[] } | FieldIssue[] {
  // Segment's Webhooks (Actions) destination sends a batch as a bare JSON array.
  if (Array.isArray(body)) return batchOf(body);
  if (typeof body !== "object" || body === null)
    return [{ field: "(body)", message: "must be a JSON object: one Segment Spec message or a batch" }];
  const b = body as Record<string, unknown>;
  if (b.type === "batch" || (b.type === undefined && "batch" in b)) return batchOf(b.batch);
  return { batch: false, items: [body] };
}
