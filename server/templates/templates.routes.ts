import { Hono } from "hono";
import { z } from "zod";
import { IdParam } from "../../shared/api/common";
import { PreviewTemplateBody, TemplateBody } from "../../shared/api/templates";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { previewTemplate } from "../lifecycle/preview.service";
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  publishTemplate,
  requireTemplate,
  updateTemplate,
} from "./templates.service";

export const templateRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", validate("query", z.object({ q: z.string().trim().max(200).optional() })), async (c) =>
      c.json({ items: await listTemplates(deps, c.req.valid("query").q) }, 200),
    )
    .post("/", requires("config:write"), validate("json", TemplateBody), async (c) =>
      c.json(await createTemplate(deps, c.req.valid("json"), c.get("user").id), 201),
    )
    .get("/:id", validate("param", IdParam), async (c) => c.json(await requireTemplate(deps, c.req.valid("param").id), 200))
    .put("/:id", requires("config:write"), validate("param", IdParam), validate("json", TemplateBody), async (c) =>
      c.json(await updateTemplate(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user").id), 200),
    )
    .post("/:id/publish", requires("config:write"), validate("param", IdParam), async (c) =>
      c.json(await publishTemplate(deps, c.req.valid("param").id, c.get("user").id), 200),
    )
    .post("/:id/preview", validate("param", IdParam), validate("json", PreviewTemplateBody), async (c) =>
      c.json(await previewTemplate(deps, c.req.valid("param").id, c.req.valid("json").accountId), 200),
    )
    .delete("/:id", requires("config:write"), validate("param", IdParam), async (c) => {
      await deleteTemplate(deps, c.req.valid("param").id);
      return c.body(null, 204);
    });
