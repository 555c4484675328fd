/**
 * Single sign-on: the browser signs in at the organisation's identity provider (authorization code + PKCE through
 * launchWebAuthFlow), hands the code to Quorum, and Quorum redeems it, verifies the ID token against the provider's
 * JWKS, maps the person to a user and role, and issues its own credentials: a short-lived access token (checked
 * without a database read) and a single-use refresh token that the extension's background trades for new ones.
 *
 * Ending access: sign-out and revocation end the session and disabling a user ends all of theirs; either way no
 * refresh succeeds any more, so every access token stops within one access-token lifetime (at once in the process
 * that made the change). Each session also has an absolute end (QUORUM_SSO_SESSION_HOURS), after which the browser
 * must go back to the identity provider, so a person disabled there loses access by then at the latest.
 */
import { randomBytes } from "node:crypto";
import type { SsoPublicConfig, SsoRefreshInput, SsoSessionSummary, SsoTokenInput, SsoTokens } from "../../shared/api/sso";
import { notFound, QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import type { AuthUser } from "../auth/tokens.repo";
import { newId } from "../db/ids";
import type { Deps } from "../deps";
import { forgetAccess, issueAccessToken } from "./access-token";
import { ssoRefused } from "./errors";
import { verifyIdToken } from "./id-token";
import { ssoProvider } from "./provider";
import { mapRole } from "./role-mapping";
import type { SsoConfig } from "./sso.config";
import * as repo from "./sso.repo";

const HOUR_MS = 3_600_000;
/** Ended sessions are kept this long for the record before they are deleted. */
const KEEP_ENDED_MS = 30 * 24 * HOUR_MS;

function requireSso(deps: Deps): SsoConfig {
  if (!deps.config.sso) {
    throw ssoRefused(
      "sso_disabled",
      "Single sign-on is not set up on this server (QUORUM_SSO_ISSUER and QUORUM_SSO_CLIENT_ID). Use an API token, or ask your IT admin.",
      403,
    );
  }
  return deps.config.sso;
}

/** GET /auth/sso/config: what the extension needs to send the browser to the identity provider. */
export async function publicConfig(deps: Deps): Promise<SsoPublicConfig> {
  const sso = deps.config.sso;
  if (!sso) return { enabled: false };
  const provider = await ssoProvider(sso);
  return {
    enabled: true,
    issuer: sso.issuer,
    clientId: sso.clientId,
    authorizationEndpoint: provider.authorizationEndpoint,
    scopes: sso.scopes,
  };
}

const newRefreshToken = () => `qrt_${randomBytes(32).toString("base64url")}`;

async function credentials(
  deps: Deps,
  user: repo.SsoUserRow,
  session: { id: string; expiresAt: string },
  refreshToken: string,
  now: Date,
): Promise<SsoTokens> {
  const access = await issueAccessToken(deps, { userId: user.id, name: user.name, role: user.role, sessionId: session.id }, now);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
    sessionExpiresAt: session.expiresAt,
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
  };
}

/** POST /auth/sso/token: redeem the code, verify the ID token, find or create the user, open a session. */
export async function signIn(deps: Deps, input: SsoTokenInput): Promise<SsoTokens> {
  const sso = requireSso(deps);
  const provider = await ssoProvider(sso);
  const idToken = await provider.exchangeCode(input);
  const now = deps.clock();
  const claims = await verifyIdToken(idToken, {
    issuer: sso.issuer,
    clientId: sso.clientId,
    keys: provider.keys,
    nonce: input.nonce,
    groupsClaim: sso.groupsClaim,
    now,
    clockToleranceSeconds: sso.clockToleranceSeconds,
  });
  const role = mapRole(sso.roles, claims);
  if (!role) {
    throw ssoRefused(
      "no_role",
      `${claims.email} signed in, but none of their groups (${claims.groups.join(", ") || "none sent"}) gets a Quorum role. Ask your IT admin to add them to a group listed in QUORUM_SSO_ADMINS, QUORUM_SSO_MARKETERS or QUORUM_SSO_SALES.`,
      403,
    );
  }
  const at = now.toISOString();
  const session = { id: newId("ssn"), expiresAt: new Date(now.getTime() + sso.sessionHours * HOUR_MS).toISOString() };
  const refreshToken = newRefreshToken();
  const user = await deps.db.transaction().execute(async (trx) => {
    let user =
      (await repo.findUserByIdentity(trx, claims.issuer, claims.subject)) ?? (await repo.findUserByEmail(trx, claims.email));
    if (user?.disabledAt) return user;
    const name = claims.name ?? claims.email;
    if (!user) {
      user = { id: newId("usr"), name, email: claims.email, role, disabledAt: null };
      await repo.insertUser(trx, { id: user.id, name, email: claims.email, role, now: at });
      await audit(trx, at, user.id, "user.created", user.id, { via: "sso", email: claims.email, role });
    } else if (user.role !== role || user.email !== claims.email) {
      // The identity provider's groups decide the role of everyone who signs in through it.
      await repo.updateUserFromProvider(trx, user.id, { email: claims.email, role, name: claims.name });
      if (user.role !== role)
        await audit(trx, at, user.id, "user.role_changed", user.id, { via: "sso", from: user.role, to: role });
      user = { ...user, email: claims.email, role, name: claims.name ?? user.name };
    }
    await repo.upsertIdentity(trx, {
      issuer: claims.issuer,
      subject: claims.subject,
      userId: user.id,
      email: claims.email,
      now: at,
    });
    await repo.insertSession(trx, {
      id: session.id,
      userId: user.id,
      client: input.client,
      now: at,
      expiresAt: session.expiresAt,
    });
    await repo.insertRefreshToken(trx, session.id, refreshToken, at);
    await repo.pruneSessions(trx, new Date(now.getTime() - KEEP_ENDED_MS).toISOString());
    return user;
  });
  if (user.disabledAt) throw disabled();
  return credentials(deps, user, session, refreshToken, now);
}

const disabled = () =>
  ssoRefused("user_disabled", "Your Quorum account is disabled. Ask a Quorum admin if you should have access.", 403);

/**
 * POST /auth/sso/refresh: trade a refresh token for a new access token and a new refresh token (rotation). A refresh
 * token presented a second time means two parties hold it: the session ends (RFC 9700, 4.14.2).
 */
export async function refresh(deps: Deps, input: SsoRefreshInput): Promise<SsoTokens> {
  requireSso(deps);
  const now = deps.clock();
  const at = now.toISOString();
  const next = newRefreshToken();
  type Refusal = keyof typeof REFRESH_REFUSALS;
  const outcome = await deps.db
    .transaction()
    .execute(async (trx): Promise<{ refused: Refusal; sessionId?: string } | { row: repo.RefreshTokenRow }> => {
      const row = await repo.findRefreshToken(trx, input.refreshToken);
      if (!row) return { refused: "refresh_token_invalid" } as const;
      if (row.sessionRevokedAt) return { refused: "session_revoked" } as const;
      if (row.replacedAt || (await repo.markRefreshTokenUsed(trx, input.refreshToken, at)) === 0) {
        await repo.revokeSessions(trx, { sessionId: row.sessionId }, "refresh-token-reuse", at);
        return { refused: "refresh_token_reused", sessionId: row.sessionId } as const;
      }
      if (row.sessionExpiresAt <= at) return { refused: "session_expired" } as const;
      if (row.user.disabledAt) return { refused: "user_disabled" } as const;
      await repo.insertRefreshToken(trx, row.sessionId, next, at);
      await repo.touchSession(trx, row.sessionId, at);
      return { row };
    });
  if ("refused" in outcome) {
    if (outcome.sessionId) forgetAccess({ sessionId: outcome.sessionId }, endOfAccess(deps));
    throw REFRESH_REFUSALS[outcome.refused]();
  }
  const { row } = outcome;
  return credentials(deps, row.user, { id: row.sessionId, expiresAt: row.sessionExpiresAt }, next, now);
}

const REFRESH_REFUSALS = {
  refresh_token_invalid: () =>
    ssoRefused("refresh_token_invalid", "This sign-in is not known to the server (any more). Sign in again."),
  session_revoked: () =>
    ssoRefused("session_revoked", "This sign-in was ended (signed out or revoked by an admin). Sign in again."),
  refresh_token_reused: () =>
    ssoRefused(
      "refresh_token_reused",
      "This sign-in was ended because its refresh token was used twice, which means someone else may hold it. Sign in again.",
    ),
  session_expired: () => ssoRefused("session_expired", "Your sign-in has reached its time limit. Sign in again."),
  user_disabled: () =>
    ssoRefused("user_disabled", "Your Quorum account is disabled. Ask a Quorum admin if you should have access."),
};

/** When the last access token issued now would expire (ms since the epoch, on this process's clock). */
const endOfAccess = (deps: Deps) => Date.now() + (deps.config.sso?.accessTokenSeconds ?? 300) * 1000 + 60_000;

/** POST /auth/sso/logout: ends the session of a refresh token (also a used one). Idempotent. */
export async function signOut(deps: Deps, input: SsoRefreshInput): Promise<void> {
  const at = deps.clock().toISOString();
  const ended = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findRefreshToken(trx, input.refreshToken);
    if (!row) return [];
    return repo.revokeSessions(trx, { sessionId: row.sessionId }, "sign-out", at);
  });
  for (const id of ended) forgetAccess({ sessionId: id }, endOfAccess(deps));
}

/** A user's open sessions; `current` marks the one the caller's access token belongs to (its `tokenId` is the session id). */
export async function sessionsOf(deps: Deps, userId: string, actor: AuthUser): Promise<SsoSessionSummary[]> {
  if (!(await repo.findUserById(deps.db, userId))) throw notFound("User", userId);
  const open = await repo.listOpenSessions(deps.db, userId, deps.clock().toISOString());
  return open.map((s) => ({ ...s, current: actor.id === userId && actor.tokenId === s.id }));
}

/** An admin ends one session of a user. */
export async function revokeSession(
  deps: Deps,
  userId: string,
  sessionId: string,
  actor: AuthUser,
): Promise<{ revoked: boolean }> {
  const at = deps.clock().toISOString();
  const ended = await deps.db.transaction().execute(async (trx) => {
    const s = await repo.findSession(trx, sessionId);
    if (!s || s.user_id !== userId) throw notFound("Session", sessionId);
    const ids = await repo.revokeSessions(trx, { sessionId }, "revoked", at);
    if (ids.length) await audit(trx, at, actor.id, "sso_session.revoked", sessionId, { userId });
    return ids;
  });
  for (const id of ended) forgetAccess({ sessionId: id }, endOfAccess(deps));
  return { revoked: ended.length > 0 };
}

/**
 * Disables or re-enables a user. Disabling ends all their sessions and revokes all their API tokens in the same
 * transaction (re-enabling restores neither: they sign in again, or an admin issues a new token). Refused for
 * oneself and for the last enabled admin.
 */
export async function setDisabled(
  deps: Deps,
  userId: string,
  disable: boolean,
  actor: AuthUser,
): Promise<{ id: string; disabledAt: string | null; sessionsEnded: number; tokensRevoked: number }> {
  const at = deps.clock().toISOString();
  const result = await deps.db.transaction().execute(async (trx) => {
    const user = await repo.findUserById(trx, userId);
    if (!user) throw notFound("User", userId);
    if (!disable) {
      if (user.disabledAt) {
        await repo.setUserDisabled(trx, userId, null);
        await audit(trx, at, actor.id, "user.enabled", userId, {});
      }
      return { id: userId, disabledAt: null, sessionsEnded: 0, tokensRevoked: 0 };
    }
    if (userId === actor.id) {
      throw new QuorumError(409, "conflict", "You cannot disable yourself. Ask another admin.", { reason: "self" });
    }
    if (user.role === "admin" && !user.disabledAt && (await repo.countEnabledAdmins(trx, userId)) === 0) {
      throw new QuorumError(409, "conflict", `'${user.name}' is the last enabled admin; make another user admin first.`, {
        reason: "last_admin",
      });
    }
    const disabledAt = user.disabledAt ?? at;
    if (!user.disabledAt) await repo.setUserDisabled(trx, userId, disabledAt);
    const sessions = await repo.revokeSessions(trx, { userId }, "user-disabled", at);
    const tokens = await repo.revokeApiTokensOf(trx, userId, at);
    await audit(trx, at, actor.id, "user.disabled", userId, { sessionsEnded: sessions.length, tokensRevoked: tokens });
    return { id: userId, disabledAt, sessionsEnded: sessions.length, tokensRevoked: tokens };
  });
  if (disable) forgetAccess({ userId }, endOfAccess(deps));
  return result;
}

function audit(db: Deps["db"], at: string, actorUserId: string | null, action: string, entityId: string, details: unknown) {
  return writeAudit(db, [
    {
      at,
      actorUserId,
      source: "sso",
      action,
      entityType: action.startsWith("sso_session") ? "sso_session" : "user",
      entityId,
      groupId: null,
      details,
    },
  ]);
}
