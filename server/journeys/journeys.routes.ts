import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { JourneyActionBody } from "../../shared/api/journeys";
import { notFound } from "../../shared/errors";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { applyMembershipChanges } from "../members/membership.service";

/** A journey's buying-group action nodes: membership changes with source "journey". */
export const journeyRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", async (c) => {
      const rows = await deps.db.selectFrom("journeys").selectAll().orderBy("name").orderBy("id").execute();
      return c.json({ items: rows.map((j) => ({ id: j.id, name: j.name, status: j.status, createdAt: j.created_at })) }, 200);
    })
    .post(
      "/:id/actions",
      requires("journeys:act"),
      validate("param", IdParam),
      validate("json", JourneyActionBody),
      async (c) => {
        const { id } = c.req.valid("param");
        const journey = await deps.db.selectFrom("journeys").select("id").where("id", "=", id).executeTakeFirst();
        if (!journey) throw notFound("Journey", id);
        const body = c.req.valid("json");
        const changes = body.personIds.map((personId) =>
          body.action === "assign"
            ? { personId, action: "add" as const, roleKey: body.roleKey }
            : { personId, action: "remove" as const },
        );
        const ctx = { source: "journey" as const, userId: c.get("user").id, field: "personIds" };
        return c.json(await applyMembershipChanges(deps, body.groupId, changes, ctx), 200);
      },
    );
