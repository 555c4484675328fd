import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { CreateJobBody } from "../../shared/api/jobs";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { cancelJob, createJob, deleteJob, getJob, listJobs } from "./jobs.service";

/** Mounted under /solution-interests: a solution interest's creation and maintenance jobs. */
export const interestJobRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/:id/jobs", validate("param", IdParam), async (c) =>
      c.json({ items: await listJobs(deps, c.req.valid("param").id) }, 200),
    )
    .post("/:id/jobs", requires("config:write"), validate("param", IdParam), validate("json", CreateJobBody), async (c) =>
      c.json(
        await createJob(deps, c.req.valid("param").id, c.req.valid("json"), { userId: c.get("user").id, trigger: "manual" }),
        202,
      ),
    );

export const jobRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/:id", validate("param", IdParam), async (c) => c.json(await getJob(deps, c.req.valid("param").id), 200))
    .post("/:id/cancel", requires("config:write"), validate("param", IdParam), async (c) =>
      c.json(await cancelJob(deps, c.req.valid("param").id), 200),
    )
    .delete("/:id", requires("config:write"), validate("param", IdParam), async (c) => {
      await deleteJob(deps, c.req.valid("param").id);
      return c.body(null, 204);
    });
