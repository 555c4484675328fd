import { Hono } from "hono";
import { ActivityTypeBody, IngestActivitiesBody } from "../../shared/api/activities";
import { slugify } from "../../shared/domain/activity-catalogue";
import { QuorumError } from "../../shared/errors";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { ingestActivities } from "./activities.service";
import { insertActivityType, listActivityTypes } from "./activity-types.repo";

export const activityRoutes = (deps: Deps) =>
  new Hono<AuthEnv>().post(
    "/",
    requires("activities:write"),
    // The body limit (16 MB) is this route's RouteDoc `maxBodyBytes`, applied by the input guard.
    validate("json", IngestActivitiesBody),
    async (c) => c.json(await ingestActivities(deps, c.req.valid("json").activities), 200),
  );

export const activityTypeRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", async (c) => c.json({ items: await listActivityTypes(deps.db) }, 200))
    .post("/", requires("config:write"), validate("json", ActivityTypeBody), async (c) => {
      const body = c.req.valid("json");
      const id = slugify(body.name);
      if (!id)
        throw new QuorumError(400, "validation_failed", "Invalid request body: name must contain letters or digits.", {
          issues: [{ field: "name", message: "must contain letters or digits" }],
        });
      const existing = (await listActivityTypes(deps.db)).find(
        (t) => t.id === id || t.name.toLowerCase() === body.name.toLowerCase(),
      );
      if (existing)
        throw new QuorumError(
          409,
          "conflict",
          `An activity type named '${existing.name}' already exists (id '${existing.id}').`,
          { id: existing.id },
        );
      await insertActivityType(deps.db, { ...body, id }, false, deps.clock().toISOString());
      const created = (await listActivityTypes(deps.db)).find((t) => t.id === id)!;
      return c.json(created, 201);
    });
