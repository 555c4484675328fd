import { Hono } from "hono";
import { QuorumError } from "../../shared/errors";
import type { Deps } from "../deps";
import { requestHeader } from "../http/headers";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../http/input-guard";
import { validationError } from "../http/validate";
import { type GroupCommitter, groupCommitter } from "./group-commit";
import type { EventIngestResult } from "./ingest.service";
import { type EventMessage, mayHoldUnsafeText, messagesOf, parseMessage } from "./messages";
import { replayMemory, verifyRequest } from "./signature";
import { type SourceCache, sourceCache } from "./sources.repo";

/** Body limit of the ingest endpoint (a batch; Segment's own batch limit is 500 KB, one message at most 32 KB). */
export const EVENT_BODY_LIMIT = 1024 * 1024;

/** The ingest endpoint's state, one per app: source cache, group committer, replay memory. */
export interface EventHooks {
  sources: SourceCache;
  committer: GroupCommitter;
  replays: ReturnType<typeof replayMemory>;
}

export function createEventHooks(deps: Deps): EventHooks {
  return {
    sources: sourceCache(deps.db, deps.config),
    committer: groupCommitter(deps, deps.config.events),
    replays: replayMemory(),
  };
}

/**
 * `POST /hooks/events/:sourceId`: Segment Spec messages from a CDP (docs/event-sources.md). Order of checks:
 * unknown source 404; signature or bearer token 401 (before the body is parsed); replayed signed request 409;
 * paused source 403; JSON and message validation 400 (a batch reports bad messages by index and stores the others).
 * The body limit (EVENT_BODY_LIMIT, 413) and the Host check apply as to every route.
 */
export const eventHookRoutes = (deps: Deps, hooks: EventHooks) =>
  new Hono().post("/hooks/events/:sourceId", async (c) => {
    const sourceId = c.req.param("sourceId");
    const source = await hooks.sources.get(sourceId);
    if (!source)
      throw new QuorumError(
        404,
        "not_found",
        `There is no event source '${sourceId.slice(0, 80)}'. Copy the ingest URL from the admin console (Event sources).`,
        { id: sourceId.slice(0, 80) },
      );
    const raw = await c.req.text();
    const { replayKey } = verifyRequest(
      { signature: requestHeader(c, "x-signature"), authorization: requestHeader(c, "authorization") },
      raw,
      source.secret,
      deps.clock().getTime(),
    );
    if (replayKey && hooks.replays.seen(replayKey))
      throw new QuorumError(
        409,
        "conflict",
        "This signed request was already received (a replay); nothing was stored again. Sign each request anew.",
        {
          issues: [{ field: "X-Signature", message: "was already used" }],
        },
      );
    if (source.status === "paused")
      throw new QuorumError(
        403,
        "forbidden",
        "This event source is paused; resume it in the admin console (Event sources) to accept events.",
        {
          sourceId,
        },
      );
    if (jsonDepthExceeds(raw, MAX_JSON_DEPTH))
      throw validationError("request body", [
        { field: "(body)", message: `is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it` },
      ]);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new QuorumError(
        400,
        "validation_failed",
        "Invalid request body: it is not valid JSON. Send one Segment Spec message or a batch as JSON.",
        {
          issues: [{ field: "(body)", message: "is not valid JSON" }],
        },
      );
    }
    const envelope = messagesOf(body);
    if (Array.isArray(envelope)) throw validationError("request body", envelope);
    const now = deps.clock().toISOString();
    const textChecked = !mayHoldUnsafeText(raw);
    const messages: EventMessage[] = [];
    const rejected: EventIngestResult["rejected"] = [];
    for (const [i, item] of envelope.items.entries()) {
      const p = parseMessage(item, i, now, envelope.batch ? `batch.${i}` : "", textChecked);
      if (p.ok) messages.push(p.message);
      else if (!envelope.batch) throw validationError("request body", p.issues);
      else rejected.push({ index: i, messageId: p.messageId, reason: p.issues.map((x) => `${x.field} ${x.message}`).join("; ") });
    }
    if (messages.length === 0)
      throw validationError(
        "request body",
        rejected.map((r) => ({ field: `batch.${r.index}`, message: r.reason.replace(/^batch\.\d+\.?/, "") })),
      );
    const result = await hooks.committer.submit({ sourceId: source.id, messages });
    if (!envelope.batch && result.rejected.length) {
      const r = result.rejected[0]!;
      throw new QuorumError(
        422,
        "validation_failed",
        `The ${messages[0]!.type} message was not stored: it ${r.reason.replace(/^(identify|group) /, "")}.`,
        {
          issues: [{ field: "(message)", message: r.reason }],
        },
      );
    }
    if (replayKey) hooks.replays.remember(replayKey);
    result.rejected.push(...rejected);
    result.rejected.sort((a, b) => a.index - b.index);
    return c.json({ received: envelope.items.length, ...result }, 200);
  });
