import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { JourneyAccountsBody, JourneyBody } from "../../shared/api/journeys";
import { notFound, QuorumError } from "../../shared/errors";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import { newId } from "../db/ids";
import type { Deps } from "../deps";
import { validate } from "../http/validate";

async function requireJourney(deps: Deps, id: string) {
  const j = await deps.db.selectFrom("journeys").selectAll().where("id", "=", id).executeTakeFirst();
  if (!j) throw notFound("Journey", id);
  return { id: j.id, name: j.name, status: j.status, createdAt: j.created_at };
}

/** Journeys and the accounts in them (the panel shows an account's last three). Mounted beside the action route. */
export const journeyCrudRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .post("/", requires("config:write"), validate("json", JourneyBody), async (c) => {
      const id = newId("jny");
      const body = c.req.valid("json");
      await deps.db
        .insertInto("journeys")
        .values({ id, name: body.name, status: body.status, created_at: deps.clock().toISOString() })
        .execute();
      return c.json(await requireJourney(deps, id), 201);
    })
    .get("/:id", validate("param", IdParam), async (c) => c.json(await requireJourney(deps, c.req.valid("param").id), 200))
    .put("/:id", requires("config:write"), validate("param", IdParam), validate("json", JourneyBody), async (c) => {
      const { id } = c.req.valid("param");
      await requireJourney(deps, id);
      const body = c.req.valid("json");
      await deps.db.updateTable("journeys").set({ name: body.name, status: body.status }).where("id", "=", id).execute();
      return c.json(await requireJourney(deps, id), 200);
    })
    .delete("/:id", requires("config:write"), validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      await requireJourney(deps, id);
      await deps.db.deleteFrom("journeys").where("id", "=", id).execute();
      return c.body(null, 204);
    })
    .get("/:id/accounts", validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      await requireJourney(deps, id);
      const rows = await deps.db
        .selectFrom("account_journeys as aj")
        .innerJoin("accounts as a", "a.id", "aj.account_id")
        .select(["a.id", "a.name", "aj.status", "aj.entered_at"])
        .where("aj.journey_id", "=", id)
        .orderBy("aj.entered_at", "desc")
        .limit(1000)
        .execute();
      return c.json(
        { items: rows.map((r) => ({ accountId: r.id, name: r.name, status: r.status, enteredAt: r.entered_at })) },
        200,
      );
    })
    .post(
      "/:id/accounts",
      requires("journeys:act"),
      validate("param", IdParam),
      validate("json", JourneyAccountsBody),
      async (c) => {
        const { id } = c.req.valid("param");
        await requireJourney(deps, id);
        const body = c.req.valid("json");
        const ids = [...new Set(body.accountIds)];
        const known = new Set(
          (await deps.db.selectFrom("accounts").select("id").where("id", "in", ids).execute()).map((a) => a.id),
        );
        const unknown = ids.filter((a) => !known.has(a));
        if (unknown.length) {
          throw new QuorumError(
            400,
            "validation_failed",
            `Invalid request body: accountIds has unknown accounts: ${unknown.slice(0, 5).join(", ")}.`,
            {
              issues: unknown.map((a) => ({
                field: `accountIds.${body.accountIds.indexOf(a)}`,
                message: `'${a}' is not a known account`,
              })),
            },
          );
        }
        const at = body.enteredAt ? new Date(body.enteredAt).toISOString() : deps.clock().toISOString();
        await deps.db.transaction().execute(async (trx) => {
          for (const accountId of ids) {
            await trx
              .insertInto("account_journeys")
              .values({ account_id: accountId, journey_id: id, entered_at: at, status: body.status })
              .onConflict((oc) => oc.columns(["account_id", "journey_id"]).doUpdateSet({ status: body.status }))
              .execute();
          }
        });
        return c.json({ journeyId: id, accounts: ids.length }, 200);
      },
    );
