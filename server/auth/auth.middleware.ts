import { createMiddleware } from "hono/factory";
import { can, type Permission } from "../../shared/domain/roles";
import { QuorumError } from "../../shared/errors";
import type { Deps } from "../deps";
import { requestHeader } from "../http/headers";
import { looksLikeAccessToken, verifyAccessToken } from "../sso/access-token";
import { type AuthUser, findUserByTokenHash, hashToken, tokenRevocations } from "./tokens.repo";

export type AuthEnv = { Variables: { user: AuthUser } };

/** How long (ms) a token's user is reused without reading the database again. */
export const TOKEN_CACHE_MS = 2_000;
const TOKEN_CACHE_MAX = 10_000;

/**
 * Bearer-token auth: every /api route but the docs needs a valid, unrevoked token.
 *
 * The user of a valid token is kept in this app's memory for TOKEN_CACHE_MS (keyed by the token's
 * SHA-256), so a burst of reads costs one token lookup. Every request that can write (any method but
 * GET and HEAD, whatever its outcome) empties that memory when it ends, and a lookup that started
 * before it does not refill it: a revocation or role change made through this instance applies to the
 * very next request, and so does one made in this process with revokeToken. One made elsewhere
 * (another instance, `token revoke` on the command line) applies here within TOKEN_CACHE_MS. Invalid
 * tokens are never cached.
 */
export function requireAuth(deps: Deps) {
  const cache = new Map<string, { user: AuthUser; until: number }>();
  let generation = 0;
  let seenRevocations = tokenRevocations();
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
    // SSO (server/sso): a bearer shaped like a Quorum access token is verified there (no database read); any other is an API token.
    const ssoUser = looksLikeAccessToken(match[1]) ? await verifyAccessToken(deps, match[1]) : null;
    const hash = hashToken(match[1]);
    const now = Date.now();
    const cached = cache.get(hash);
    let user = ssoUser ?? (cached && cached.until > now ? cached.user : null);
    if (!user) {
      const startedIn = generation;
      user = await findUserByTokenHash(deps.db, hash);
      if (user && startedIn === generation) {
        cache.delete(hash);
        cache.set(hash, { user, until: now + TOKEN_CACHE_MS });
        if (cache.size > TOKEN_CACHE_MAX) cache.delete(cache.keys().next().value!);
      }
    }
    if (!user) {
      throw new QuorumError(
        401,
        "unauthorized",
        "The API token is not valid or was revoked. Check it in the extension's options.",
      );
    }
    c.set("user", user);
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
