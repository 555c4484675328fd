import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { CreateEventSourceBody, EventMappingsBody, UpdateEventSourceBody } from "../../shared/api/event-sources";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import type { EventHooks } from "./hooks.routes";
import { listEventMappings, listUnmapped, saveEventMappings } from "./mapping";
import { createSource, deleteSource, listSources, rotateSecret, updateSource } from "./sources.repo";

// Sources hold signing secrets: admins only (`tokens:admin` is the admin-only permission).
const ADMIN = "tokens:admin" as const;

/** Event sources and the track-name mapping, mounted at /api/event-sources (docs/event-sources.md). */
export const eventSourceRoutes = (deps: Deps, hooks: EventHooks) => {
  const now = () => deps.clock().toISOString();
  const mappings = async () => ({ items: await listEventMappings(deps.db), unmapped: await listUnmapped(deps.db) });
  return new Hono<AuthEnv>()
    .get("/", requires(ADMIN), async (c) => c.json({ items: await listSources(deps.db) }, 200))
    .post("/", requires(ADMIN), validate("json", CreateEventSourceBody), async (c) => {
      const created = await createSource(deps.db, deps.config, c.req.valid("json").name, now());
      hooks.sources.forget(created.id);
      return c.json(created, 201);
    })
    .get("/mappings", requires(ADMIN), async (c) => c.json(await mappings(), 200))
    .put("/mappings", requires(ADMIN), validate("json", EventMappingsBody), async (c) => {
      const released = await saveEventMappings(deps, c.req.valid("json").items);
      return c.json({ ...(await mappings()), released }, 200);
    })
    .patch("/:id", requires(ADMIN), validate("param", IdParam), validate("json", UpdateEventSourceBody), async (c) => {
      const { id } = c.req.valid("param");
      const source = await updateSource(deps.db, id, c.req.valid("json"), now());
      hooks.sources.forget(id);
      return c.json(source, 200);
    })
    .post("/:id/rotate", requires(ADMIN), validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      const source = await rotateSecret(deps.db, deps.config, id, now());
      hooks.sources.forget(id);
      return c.json(source, 200);
    })
    .delete("/:id", requires(ADMIN), validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      await deleteSource(deps.db, id);
      hooks.sources.forget(id);
      return c.body(null, 204);
    });
};
