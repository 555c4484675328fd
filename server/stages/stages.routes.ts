import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { ChangeStageBody, StageModelBody } from "../../shared/api/stages";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { changeGroupStage, getGroupStage } from "./group-stage.service";
import {
  createStageModel,
  deleteStageModel,
  listStageModels,
  publishStageModel,
  requireStageModel,
  updateStageModel,
} from "./stage-models.service";

export const stageModelRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", async (c) => c.json({ items: await listStageModels(deps) }, 200))
    .post("/", requires("config:write"), validate("json", StageModelBody), async (c) =>
      c.json(await createStageModel(deps, c.req.valid("json"), c.get("user").id), 201),
    )
    .get("/:id", validate("param", IdParam), async (c) => c.json(await requireStageModel(deps, c.req.valid("param").id), 200))
    .put("/:id", requires("config:write"), validate("param", IdParam), validate("json", StageModelBody), async (c) =>
      c.json(await updateStageModel(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user").id), 200),
    )
    .post("/:id/publish", requires("config:write"), validate("param", IdParam), async (c) =>
      c.json(await publishStageModel(deps, c.req.valid("param").id, c.get("user").id), 200),
    )
    .delete("/:id", requires("config:write"), validate("param", IdParam), async (c) => {
      await deleteStageModel(deps, c.req.valid("param").id, c.get("user").id);
      return c.body(null, 204);
    });

/** Mounted under /groups beside the group routes. */
export const groupStageRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/:id/stage", validate("param", IdParam), async (c) => c.json(await getGroupStage(deps, c.req.valid("param").id), 200))
    .post("/:id/stage", requires("groups:write"), validate("param", IdParam), validate("json", ChangeStageBody), async (c) => {
      const { id } = c.req.valid("param");
      await changeGroupStage(deps, id, c.req.valid("json").stageId, { source: "manual", userId: c.get("user").id });
      return c.json(await getGroupStage(deps, id), 200);
    });
