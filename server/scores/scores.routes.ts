import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { getRecomputeJob, queueRecompute } from "./recompute-jobs";

/**
 * A full recompute can take many seconds at size: the request only queues it (202 with the job) and a
 * background worker runs it (server/workers/); `GET /recompute/{id}` follows its progress.
 */
export const scoreRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .post("/recompute", requires("config:write"), async (c) => c.json(await queueRecompute(deps, c.get("user").id), 202))
    .get("/recompute/:id", requires("config:write"), validate("param", IdParam), async (c) =>
      c.json(await getRecomputeJob(deps, c.req.valid("param").id), 200),
    );
