import { Hono } from "hono";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { recomputeAll } from "./scores.service";

export const scoreRoutes = (deps: Deps) =>
  new Hono<AuthEnv>().post("/recompute", requires("config:write"), async (c) =>
    c.json(await recomputeAll(deps, deps.clock()), 200),
  );
