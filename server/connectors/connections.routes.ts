import { Hono } from "hono";
import { z } from "zod";
import { IdParam, IdSchema } from "../../shared/api/common";
import {
  ActivityMappingBody,
  CONNECTOR_CRMS,
  CreateConnectionBody,
  StartSyncBody,
  UpdateConnectionBody,
} from "../../shared/api/connections";
import { QuorumError } from "../../shared/errors";
import { activityTypeResolver } from "../activities/activity-types.repo";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { activityMappings, ensureCrmActivityTypes, saveActivityMappings } from "./activity-mapping";
import {
  connectionRuns,
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  startSync,
  syncRun,
  testConnection,
  updateConnection,
} from "./connections.service";
import { finishOAuth, startOAuth } from "./oauth.service";

// Connections hold CRM credentials: admins only (`tokens:admin` is the admin-only permission).
const ADMIN = "tokens:admin" as const;
const CrmParam = z.object({ crm: z.enum(CONNECTOR_CRMS, { message: "must be salesforce or hubspot" }) });
const RunParam = z.object({ runId: IdSchema });
const RunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/** CRM connections, mounted at /api/connections (see docs/crm-sync.md). */
export const connectionRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", requires(ADMIN), async (c) => c.json({ items: await listConnections(deps) }, 200))
    .post("/", requires(ADMIN), validate("json", CreateConnectionBody), async (c) =>
      c.json(await createConnection(deps, c.req.valid("json"), c.get("user").id), 201),
    )
    .get("/activity-mappings/:crm", requires(ADMIN), validate("param", CrmParam), async (c) => {
      await ensureCrmActivityTypes(deps.db, deps.clock().toISOString());
      return c.json({ items: await activityMappings(deps.db, c.req.valid("param").crm) }, 200);
    })
    .put(
      "/activity-mappings/:crm",
      requires(ADMIN),
      validate("param", CrmParam),
      validate("json", ActivityMappingBody),
      async (c) => {
        const { crm } = c.req.valid("param");
        const { items } = c.req.valid("json");
        await ensureCrmActivityTypes(deps.db, deps.clock().toISOString());
        const typeOf = await activityTypeResolver(deps.db);
        const issues = items.flatMap((i, index) =>
          i.typeId !== null && !typeOf(i.typeId)
            ? [{ field: `items.${index}.typeId`, message: `'${i.typeId}' is not an activity type` }]
            : [],
        );
        if (issues.length)
          throw new QuorumError(
            400,
            "validation_failed",
            `Invalid request body: ${issues[0]!.field} ${issues[0]!.message}. Nothing was changed.`,
            { issues },
          );
        await deps.db.transaction().execute((trx) =>
          saveActivityMappings(
            trx,
            crm,
            items.map((i) => ({ sourceKey: i.sourceKey, typeId: i.typeId === null ? null : typeOf(i.typeId) })),
            deps.clock().toISOString(),
          ),
        );
        return c.json({ items: await activityMappings(deps.db, crm) }, 200);
      },
    )
    .get("/runs/:runId", requires(ADMIN), validate("param", RunParam), async (c) =>
      c.json(await syncRun(deps, c.req.valid("param").runId), 200),
    )
    .get("/:id", requires(ADMIN), validate("param", IdParam), async (c) =>
      c.json(await getConnection(deps, c.req.valid("param").id), 200),
    )
    .patch("/:id", requires(ADMIN), validate("param", IdParam), validate("json", UpdateConnectionBody), async (c) =>
      c.json(await updateConnection(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user").id), 200),
    )
    .delete("/:id", requires(ADMIN), validate("param", IdParam), async (c) => {
      await deleteConnection(deps, c.req.valid("param").id, c.get("user").id);
      return c.body(null, 204);
    })
    .post("/:id/test", requires(ADMIN), validate("param", IdParam), async (c) =>
      c.json(await testConnection(deps, c.req.valid("param").id), 200),
    )
    .post("/:id/oauth/start", requires(ADMIN), validate("param", IdParam), async (c) =>
      c.json(await startOAuth(deps, c.req.valid("param").id), 200),
    )
    .post("/:id/sync", requires(ADMIN), validate("param", IdParam), validate("json", StartSyncBody), async (c) => {
      const r = await startSync(deps, c.req.valid("param").id, c.req.valid("json").kind, "manual", c.get("user").id);
      return c.json(r, r.created ? 202 : 200);
    })
    .get("/:id/runs", requires(ADMIN), validate("param", IdParam), validate("query", RunsQuery), async (c) =>
      c.json({ items: await connectionRuns(deps, c.req.valid("param").id, c.req.valid("query").limit) }, 200),
    );

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui;max-width:40rem;margin:3rem auto"><h1>${title}</h1><p id="message">${text}</p><p>You can close this tab and go back to the Connections screen.</p></body></html>`;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** `/oauth/callback`: where the CRM sends the admin's browser back (no bearer token: the one-time state is the proof). */
export const oauthCallbackRoutes = (deps: Deps) =>
  new Hono().get("/oauth/callback", async (c) => {
    try {
      const name = await finishOAuth(deps, c.req.query());
      return c.html(
        page(
          "Connected",
          `Quorum is connected to ${escapeHtml(name)}. The first sync starts from the Connections screen or on schedule.`,
        ),
        200,
      );
    } catch (err) {
      return c.html(page("Sign-in failed", escapeHtml(err instanceof Error ? err.message : String(err))), 400);
    }
  });
