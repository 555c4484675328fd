import { Hono } from "hono";
import { QuorumError } from "../../shared/errors";
import type { Deps } from "../deps";
import { requestHeader } from "../http/headers";
import { readBodyText } from "../http/request-body";
import { type GroupCommitter, groupCommitter } from "./group-commit";
import { type ParsePool, parsePool } from "./parse-pool";
import { toQuorumError } from "./prepare";
import { replayMemory } from "./signature";
import { type SourceCache, sourceCache } from "./sources.repo";

/** Body limit of the ingest endpoint (a batch; Segment's own batch limit is 500 KB, one message at most 32 KB). */
export const EVENT_BODY_LIMIT = 1024 * 1024;

/** The ingest endpoint's state, one per app: source cache, group committer, replay memory, parse worker. */
export interface EventHooks {
  sources: SourceCache;
  committer: GroupCommitter;
  replays: ReturnType<typeof replayMemory>;
  parse: ParsePool;
}

/** `minChars`: bodies from this length are prepared on the parse worker (default PARSE_WORKER_MIN_CHARS; tests lower it). */
export function createEventHooks(deps: Deps, options: { minChars?: number } = {}): EventHooks {
  return {
    sources: sourceCache(deps.db, deps.config),
    committer: groupCommitter(deps, deps.config.events),
    replays: replayMemory(),
    parse: parsePool(options),
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
    // Straight from the Node request when the input guard left it there (no Fetch Request built).
    const raw = await readBodyText(c);
    // Signature, JSON and validation: on the parse worker for large batches (parse-pool.ts), here otherwise.
    const prepared = await hooks.parse.prepare({
      raw,
      signature: requestHeader(c, "x-signature"),
      authorization: requestHeader(c, "authorization"),
      secret: source.secret,
      nowMs: deps.clock().getTime(),
    });
    if (prepared.kind === "auth") throw toQuorumError(prepared.error);
    const { replayKey } = prepared;
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
    if (prepared.kind === "body") throw toQuorumError(prepared.error);
    const { messages, rejected, batch, received } = prepared;
    const result = await hooks.committer.submit({ sourceId: source.id, messages });
    if (!batch && result.rejected.length) {
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
    return c.json({ received, ...result }, 200);
  });
