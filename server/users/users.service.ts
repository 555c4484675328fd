/**
 * Users and their API tokens (admin only). A token is returned once, when it is issued; only its keyed hash (HMAC-SHA256) is kept.
 *
 * Quorum must always keep an admin who can sign in, i.e. an admin user with at least one active token (an admin
 * whose tokens are all revoked can only be recovered with the command line). So:
 * - changing the role of the last such admin to marketer or sales is refused (409);
 * - revoking a token is refused (409) when it is the last active token of the last such admin. This covers the
 *   case of an admin revoking their own last token while no other admin can sign in. Revoking one's own token
 *   is allowed otherwise: the next request with it answers 401, and the response marks it `current` so a client
 *   can warn first.
 * Both checks run inside the writing transaction, with the admin rows locked on PostgreSQL.
 *
 * A disabled user (server/sso/sso.service.ts setDisabled, which revokes all their tokens) gets no new token: 409
 * until an admin enables them again, so disabling cannot be undone by accident through a new token.
 */
import type {
  ChangeUserRoleInput,
  CreatedUser,
  CreateTokenInput,
  CreateUserInput,
  IssuedToken,
  TokenSummary,
  UserSummary,
  UsersList,
} from "../../shared/api/users";
import { notFound, QuorumError } from "../../shared/errors";
import { type AuditEntry, writeAudit } from "../audit/audit.repo";
import { tokenKey } from "../auth/token-secret";
import type { AuthUser } from "../auth/tokens.repo";
import { insertTokenForUser } from "../auth/tokens.repo";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import type { Deps } from "../deps";
import { validationError } from "../http/validate";
import {
  countUsableAdmins,
  getUser,
  insertUser,
  listUsers,
  listUserTokens,
  lockAdmins,
  revokeUserToken,
  setUserRole,
} from "./users.repo";

const audit = (
  deps: Deps,
  actor: AuthUser,
  action: string,
  entityType: string,
  entityId: string,
  details: unknown,
): AuditEntry => ({
  at: deps.clock().toISOString(),
  actorUserId: actor.id,
  source: "manual",
  action,
  entityType,
  entityId,
  groupId: null,
  details,
});

/** GET /api/users: the users, and what the console needs to say how soon ending someone's access takes effect. */
export async function allUsers(deps: Deps): Promise<UsersList> {
  const items = await listUsers(deps.db, deps.clock().toISOString());
  const sso = deps.config.sso;
  return { items, access: { sso: sso !== null, accessTokenSeconds: sso ? sso.accessTokenSeconds : null } };
}

async function requireUser(deps: Deps, db: Db, id: string): Promise<UserSummary> {
  const u = await getUser(db, id, deps.clock().toISOString());
  if (!u) throw notFound("User", id);
  return u;
}

const tokensNow = (deps: Deps, db: Db, userId: string, actor: AuthUser) =>
  listUserTokens(db, userId, actor.tokenId, deps.clock().toISOString());

/** 400 naming `field` when an expiry is not in the future (a token that never works is a mistake). */
function checkExpiry(deps: Deps, field: string, expiresAt: string | null | undefined): string | null {
  if (!expiresAt) return null;
  if (Date.parse(expiresAt) <= deps.clock().getTime())
    throw validationError("request body", [{ field, message: "must be in the future (or null for a token that never expires)" }]);
  return expiresAt;
}

export async function createUser(deps: Deps, input: CreateUserInput, actor: AuthUser): Promise<CreatedUser> {
  const expiresAt = checkExpiry(deps, "tokenExpiresAt", input.tokenExpiresAt);
  const userId = newId("usr");
  const now = deps.clock().toISOString();
  const issued = await deps.db.transaction().execute(async (trx) => {
    await insertUser(trx, { id: userId, name: input.name, role: input.role, now });
    const t = await insertTokenForUser(trx, { userId, name: input.tokenName, now, key: tokenKey(deps.config), expiresAt });
    await writeAudit(trx, [
      audit(deps, actor, "user.created", "user", userId, { name: input.name, role: input.role }),
      audit(deps, actor, "token.created", "api_token", t.tokenId, {
        userId,
        name: input.tokenName,
        prefix: t.prefix,
        expiresAt,
      }),
    ]);
    return t;
  });
  const user = await requireUser(deps, deps.db, userId);
  const tokens = await tokensNow(deps, deps.db, userId, actor);
  return { user, token: tokens.find((x) => x.id === issued.tokenId)!, plainToken: issued.token };
}

export async function changeUserRole(deps: Deps, id: string, input: ChangeUserRoleInput, actor: AuthUser): Promise<UserSummary> {
  await deps.db.transaction().execute(async (trx) => {
    await lockAdmins(trx);
    const user = await requireUser(deps, trx, id);
    if (user.role === input.role) return;
    if (user.role === "admin" && (await countUsableAdmins(trx, deps.clock().toISOString(), { userId: id })) === 0) {
      throw new QuorumError(
        409,
        "conflict",
        `'${user.name}' is the last admin who can sign in; Quorum needs at least one. Make another user admin (with an active token) first, then change this role.`,
        { reason: "last_admin", userId: id },
      );
    }
    await setUserRole(trx, id, input.role);
    await writeAudit(trx, [
      audit(deps, actor, "user.role_changed", "user", id, { name: user.name, from: user.role, to: input.role }),
    ]);
  });
  return requireUser(deps, deps.db, id);
}

export async function tokensOf(deps: Deps, userId: string, actor: AuthUser): Promise<TokenSummary[]> {
  await requireUser(deps, deps.db, userId);
  return tokensNow(deps, deps.db, userId, actor);
}

export async function createToken(deps: Deps, userId: string, input: CreateTokenInput, actor: AuthUser): Promise<IssuedToken> {
  const expiresAt = checkExpiry(deps, "expiresAt", input.expiresAt);
  const now = deps.clock().toISOString();
  const issued = await deps.db.transaction().execute(async (trx) => {
    const user = await requireUser(deps, trx, userId);
    if (user.disabledAt !== null) {
      throw new QuorumError(
        409,
        "conflict",
        `'${user.name}' is disabled and cannot get a token. Enable the user first, then create the token.`,
        { reason: "user_disabled", userId },
      );
    }
    const t = await insertTokenForUser(trx, { userId, name: input.name, now, key: tokenKey(deps.config), expiresAt });
    await writeAudit(trx, [
      audit(deps, actor, "token.created", "api_token", t.tokenId, { userId, name: input.name, prefix: t.prefix, expiresAt }),
    ]);
    return t;
  });
  const tokens = await tokensNow(deps, deps.db, userId, actor);
  return { token: tokens.find((x) => x.id === issued.tokenId)!, plainToken: issued.token };
}

/** Revokes a token of the user (a token already revoked is returned as is). See the module comment for the 409. */
export async function revokeToken(deps: Deps, userId: string, tokenId: string, actor: AuthUser): Promise<TokenSummary> {
  await deps.db.transaction().execute(async (trx) => {
    await lockAdmins(trx);
    const user = await requireUser(deps, trx, userId);
    const token = (await tokensNow(deps, trx, userId, actor)).find((x) => x.id === tokenId);
    if (!token) throw notFound("Token", tokenId);
    if (token.revokedAt !== null) return;
    if (user.role === "admin" && (await countUsableAdmins(trx, deps.clock().toISOString(), { tokenId })) === 0) {
      const own = token.current || actor.id === userId;
      throw new QuorumError(
        409,
        "conflict",
        `${own ? "This is your last active token and you are" : `This is the last active token of '${user.name}', who is`} the last admin who can sign in; revoking it would leave Quorum without an admin. Create another token${own ? "" : " for this user"} or make another user admin first.`,
        { reason: "last_admin_token", userId, tokenId },
      );
    }
    await revokeUserToken(trx, userId, tokenId, deps.clock().toISOString());
    await writeAudit(trx, [
      audit(deps, actor, "token.revoked", "api_token", tokenId, { userId, name: token.name, prefix: token.prefix }),
    ]);
  });
  const after = (await tokensNow(deps, deps.db, userId, actor)).find((x) => x.id === tokenId);
  if (!after) throw notFound("Token", tokenId);
  return after;
}
