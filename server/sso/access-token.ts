import { errors, jwtVerify, SignJWT } from "jose";
import { USER_ROLES, type UserRole } from "../../shared/domain/roles";
import type { AuthUser } from "../auth/tokens.repo";
import type { Deps } from "../deps";
import { ssoRefused } from "./errors";
import { loadSigningKey } from "./signing-key";

const ISSUER = "quorum";
const AUDIENCE = "quorum-api";

/** A JWT's shape (three base64url parts, a JSON header): API tokens (`qrm_…`) never look like this. */
export const looksLikeAccessToken = (token: string): boolean => /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);

export interface AccessTokenSubject {
  userId: string;
  name: string;
  role: UserRole;
  sessionId: string;
}

/** Signs a Quorum access token valid for the configured lifetime from `now`; returns it with its expiry. */
export async function issueAccessToken(
  deps: Pick<Deps, "db" | "config">,
  subject: AccessTokenSubject,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const seconds = deps.config.sso?.accessTokenSeconds ?? 300;
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ sid: subject.sessionId, role: subject.role, name: subject.name })
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(subject.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + seconds)
    .sign(await loadSigningKey(deps));
  return { token, expiresAt: new Date((iat + seconds) * 1000) };
}

/**
 * Ended sessions and disabled users this process knows of, until their last access token has expired. Access tokens
 * are checked without reading the database, so another process learns of an ending at the next refresh: within one
 * access-token lifetime (QUORUM_SSO_ACCESS_TOKEN_SECONDS). In the process that ended it, it applies at once.
 */
const ended = new Map<string, number>();

export function forgetAccess(key: { sessionId?: string; userId?: string }, untilMs: number): void {
  if (key.sessionId) ended.set(`s:${key.sessionId}`, untilMs);
  if (key.userId) ended.set(`u:${key.userId}`, untilMs);
  if (ended.size > 10_000) {
    const now = Date.now();
    for (const [k, until] of ended) if (until < now) ended.delete(k);
  }
}

const isEnded = (key: string, now: number) => (ended.get(key) ?? 0) > now;

/** The user of a valid Quorum access token, or a 401 that says why not (the extension renews on `access_token_expired`). */
export async function verifyAccessToken(deps: Deps, token: string): Promise<AuthUser> {
  if (!deps.config.sso) {
    throw ssoRefused("sso_disabled", "Single sign-on is turned off on this server: use an API token, or ask your IT admin.");
  }
  const now = deps.clock();
  try {
    const { payload } = await jwtVerify(token, await loadSigningKey(deps), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      typ: "at+jwt",
      currentDate: now,
      requiredClaims: ["sub", "exp", "sid", "role"],
    });
    const role = payload.role as UserRole;
    const sessionId = String(payload.sid);
    const userId = String(payload.sub);
    if (!USER_ROLES.includes(role)) throw new errors.JWTInvalid("unknown role");
    if (isEnded(`s:${sessionId}`, now.getTime()) || isEnded(`u:${userId}`, now.getTime())) {
      throw ssoRefused("session_revoked", "This sign-in was ended (signed out, revoked or the user disabled). Sign in again.");
    }
    return { id: userId, name: String(payload.name ?? ""), role, tokenId: sessionId };
  } catch (e) {
    if (e instanceof errors.JWTExpired) {
      throw ssoRefused(
        "access_token_expired",
        "The access token expired. The extension renews it by itself; sign in again if it cannot.",
      );
    }
    if (e instanceof errors.JOSEError) {
      throw ssoRefused("access_token_invalid", "The access token is not valid on this server. Sign in again.");
    }
    throw e;
  }
}
