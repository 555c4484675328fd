import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { SolutionInterestBody } from "../../shared/api/solution-interests";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { deleteSolutionInterest, updateSolutionInterest } from "./solution-interests.edit";
import { createSolutionInterest, getSolutionInterest, listSolutionInterests } from "./solution-interests.service";

export const solutionInterestRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", async (c) => c.json({ items: await listSolutionInterests(deps) }, 200))
    .post("/", requires("config:write"), validate("json", SolutionInterestBody), async (c) =>
      c.json(await createSolutionInterest(deps, c.req.valid("json")), 201),
    )
    .get("/:id", validate("param", IdParam), async (c) => c.json(await getSolutionInterest(deps, c.req.valid("param").id), 200))
    .put("/:id", requires("config:write"), validate("param", IdParam), validate("json", SolutionInterestBody), async (c) =>
      c.json(await updateSolutionInterest(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user").id), 200),
    )
    .delete("/:id", requires("config:write"), validate("param", IdParam), async (c) => {
      await deleteSolutionInterest(deps, c.req.valid("param").id, c.get("user").id);
      return c.body(null, 204);
    });
