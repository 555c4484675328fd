import { createMiddleware } from "hono/factory";
import { can, type Permission } from "../../shared/domain/roles";
import { QuorumError } from "../../shared/errors";
import type { Deps } from "../deps";
import { requestHeader } from "../http/headers";
import { looksLikeAccessToken, verifyAccessToken } from "../sso/access-token";
import { lastUseRecorder } from "./last-use";
import { hashToken, tokenKey } from "./token-secret";
import {
  type AuthUser,
  findHolderByHash,
  isExpired,
  type TokenHolder,
  tokenRevocations,
  upgradeLegacyToken,
} from "./tokens.repo";

export type AuthEnv = { Variables: { user: AuthUser } };

/** How long (ms) a token's user is reused without reading the database again. */
export const TOKEN_CACHE_MS = 2_000;
const TOKEN_CACHE_MAX = 10_000;

const expired = (expiresAt: string) =>
  new QuorumError(
    401,
    "unauthorized",
    `This API token expired on ${expiresAt}. Ask an admin for a new one (admin console → Users and tokens), or create one on the server with \`npm run quorum -- token create\`, and enter it in the extension's options.`,
    { reason: "token_expired", expiredAt: expiresAt },
  );

/**
 * Bearer-token auth: every /api route but the docs needs a valid, unrevoked, unexpired token.
 *
 * Tokens are looked up by their keyed hash (HMAC-SHA256, see token-secret.ts); a token stored before
 * migration 0009 is found by its bare SHA-256 once and upgraded. An expired token answers 401 with
 * `details.reason: "token_expired"` and what to do. Use is recorded at most once a minute per token (last-use.ts).
 *
 * The holder of a valid token is kept in this app's memory for TOKEN_CACHE_MS (keyed by the token's
 * hash), so a burst of reads costs one token lookup. Every request that can write (any method but
 * GET and HEAD, whatever its outcome) empties that memory when it ends, and a lookup that started
 * before it does not refill it: a revocation or role change made through this instance applies to the
 * very next request, and so does one made in this process with revokeToken. One made elsewhere
 * (another instance, `token revoke` on the command line) applies here within TOKEN_CACHE_MS. Invalid
 * tokens are never cached. Expiry is checked on every request, cached or not.
 */
export function requireAuth(deps: Deps) {
  const key = tokenKey(deps.config);
  const recordUse = lastUseRecorder(deps.db, (msg, err) => deps.config.log === "info" && console.error(msg, err));
  const cache = new Map<string, { holder: TokenHolder; until: number }>();
  let generation = 0;
  let seenRevocations = tokenRevocations();
  /** The user of a bearer: a Quorum SSO access token (server/sso, no database read) or an API token. */
  async function userOfBearer(bearer: string): Promise<AuthUser> {
    if (looksLikeAccessToken(bearer)) return verifyAccessToken(deps, bearer);
    const hash = hashToken(key, bearer);
    const now = Date.now();
    const cached = cache.get(hash);
    let holder = cached && cached.until > now ? cached.holder : null;
    if (!holder) {
      const startedIn = generation;
      holder = (await findHolderByHash(deps.db, hash)) ?? (await upgradeLegacyToken(deps.db, key, bearer));
      if (holder && startedIn === generation) {
        cache.delete(hash);
        cache.set(hash, { holder, until: now + TOKEN_CACHE_MS });
        if (cache.size > TOKEN_CACHE_MAX) cache.delete(cache.keys().next().value!);
      }
    }
    if (!holder) {
      throw new QuorumError(
        401,
        "unauthorized",
        "The API token is not valid or was revoked. Check it in the extension's options.",
      );
    }
    const at = deps.clock();
    if (holder.expiresAt !== null && isExpired(holder.expiresAt, at)) throw expired(holder.expiresAt);
    await recordUse(holder.user.tokenId, at);
    return holder.user;
  }
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = requestHeader(c, "authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new QuorumError(
        401,
        "unauthorized",
        "Missing API token. Send 'Authorization: Bearer <token>'; create one with `npm run quorum -- token create`.",
      );
    }
    if (seenRevocations !== tokenRevocations()) {
      seenRevocations = tokenRevocations();
      generation++;
      cache.clear();
    }
    c.set("user", await userOfBearer(match[1]));
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    try {
      await next();
    } finally {
      generation++;
      cache.clear();
    }
  });
}

/** 403 unless the caller's role grants `permission`. */
export function requires(permission: Permission) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const user = c.get("user");
    if (!can(user.role, permission)) {
      throw new QuorumError(403, "forbidden", `Your role '${user.role}' may not do this (needs '${permission}'). Ask an admin.`, {
        role: user.role,
        permission,
      });
    }
    await next();
  });
}
