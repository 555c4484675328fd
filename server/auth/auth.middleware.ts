import { createMiddleware } from "hono/factory";
import { can, type Permission } from "../../shared/domain/roles";
import { QuorumError } from "../../shared/errors";
import type { Deps } from "../deps";
import { type AuthUser, findUserByToken } from "./tokens.repo";

export type AuthEnv = { Variables: { user: AuthUser } };

/** Bearer-token auth: every /api route but the docs needs a valid, unrevoked token. */
export function requireAuth(deps: Deps) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new QuorumError(
        401,
        "unauthorized",
        "Missing API token. Send 'Authorization: Bearer <token>'; create one with `npm run quorum -- token create`.",
      );
    }
    const user = await findUserByToken(deps.db, match[1]);
    if (!user) {
      throw new QuorumError(
        401,
        "unauthorized",
        "The API token is not valid or was revoked. Check it in the extension's options.",
      );
    }
    c.set("user", user);
    await next();
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
