import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { IngestIntentBody } from "../../shared/api/intent";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { accountIntent, deriveIntentFromActivities, ingestIntent } from "./intent.service";

export const intentRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .post("/signals", requires("activities:write"), validate("json", IngestIntentBody), async (c) =>
      c.json(await ingestIntent(deps, c.req.valid("json").signals), 200),
    )
    .post("/derive", requires("activities:write"), async (c) => c.json(await deriveIntentFromActivities(deps), 200))
    .get("/accounts/:id", validate("param", IdParam), async (c) =>
      c.json(await accountIntent(deps, c.req.valid("param").id), 200),
    );
