import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { ChangeUserRoleBody, CreateTokenBody, CreateUserBody, UserTokenParam } from "../../shared/api/users";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { allUsers, changeUserRole, createToken, createUser, revokeToken, tokensOf } from "./users.service";

/** Users and API tokens, mounted at /api/users; admins only (see users.service.ts for the last-admin rules). */
export const userRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", requires("users:read"), async (c) => c.json(await allUsers(deps), 200))
    .post("/", requires("users:write"), validate("json", CreateUserBody), async (c) =>
      c.json(await createUser(deps, c.req.valid("json"), c.get("user")), 201),
    )
    .put("/:id/role", requires("users:write"), validate("param", IdParam), validate("json", ChangeUserRoleBody), async (c) =>
      c.json(await changeUserRole(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user")), 200),
    )
    .get("/:id/tokens", requires("users:read"), validate("param", IdParam), async (c) =>
      c.json({ items: await tokensOf(deps, c.req.valid("param").id, c.get("user")) }, 200),
    )
    .post("/:id/tokens", requires("users:write"), validate("param", IdParam), validate("json", CreateTokenBody), async (c) =>
      c.json(await createToken(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user")), 201),
    )
    .post("/:id/tokens/:tokenId/revoke", requires("users:write"), validate("param", UserTokenParam), async (c) => {
      const { id, tokenId } = c.req.valid("param");
      return c.json(await revokeToken(deps, id, tokenId, c.get("user")), 200);
    });
