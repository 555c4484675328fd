import { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { listEvents } from "./events.repo";

export const EventsQuery = z.object({
  after: z.string().trim().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000").default(100),
});

/** The event feed automation tools follow: pass `next` back as `after` to read only what is new. */
export const eventRoutes = (deps: Deps) =>
  new Hono<AuthEnv>().get("/", validate("query", EventsQuery), async (c) => {
    const { after, limit } = c.req.valid("query");
    return c.json(await listEvents(deps.db, after, limit), 200);
  });
