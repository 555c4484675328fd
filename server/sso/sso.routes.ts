import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { SessionParam, SsoRefreshBody, SsoTokenBody } from "../../shared/api/sso";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { publicConfig, refresh, revokeSession, sessionsOf, setDisabled, signIn, signOut } from "./sso.service";

/** Sign-in, renewal and sign-out, mounted at /auth/sso: they need no bearer (the browser has none yet). */
export const ssoPublicRoutes = (deps: Deps) =>
  new Hono()
    .get("/config", async (c) => c.json(await publicConfig(deps), 200))
    .post("/token", validate("json", SsoTokenBody), async (c) => c.json(await signIn(deps, c.req.valid("json")), 200))
    .post("/refresh", validate("json", SsoRefreshBody), async (c) => c.json(await refresh(deps, c.req.valid("json")), 200))
    .post("/logout", validate("json", SsoRefreshBody), async (c) => {
      await signOut(deps, c.req.valid("json"));
      return c.body(null, 204);
    });

/** Ending access, mounted beside the users routes at /api/users: a user's SSO sessions, disable and enable. */
export const userAccessRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/:id/sessions", requires("users:read"), validate("param", IdParam), async (c) =>
      c.json({ items: await sessionsOf(deps, c.req.valid("param").id, c.get("user")) }, 200),
    )
    .post("/:id/sessions/:sessionId/revoke", requires("users:write"), validate("param", SessionParam), async (c) => {
      const { id, sessionId } = c.req.valid("param");
      return c.json(await revokeSession(deps, id, sessionId, c.get("user")), 200);
    })
    .post("/:id/disable", requires("users:write"), validate("param", IdParam), async (c) =>
      c.json(await setDisabled(deps, c.req.valid("param").id, true, c.get("user")), 200),
    )
    .post("/:id/enable", requires("users:write"), validate("param", IdParam), async (c) =>
      c.json(await setDisabled(deps, c.req.valid("param").id, false, c.get("user")), 200),
    );
