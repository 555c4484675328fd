import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import {
  DeleteSolutionInterestQuery,
  SolutionInterestBody,
  SolutionInterestListQuery,
} from "../../shared/api/solution-interests";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { fieldIssues, queryObject, validate, validationError } from "../http/validate";
import { deleteSolutionInterest, updateSolutionInterest } from "./solution-interests.edit";
import { createSolutionInterest, getSolutionInterest, searchSolutionInterests } from "./solution-interests.service";

export const solutionInterestRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    // `?q=` is parsed here rather than by validate(): the typed client then keeps calling $get() without arguments.
    .get("/", async (c) => {
      const query = SolutionInterestListQuery.safeParse(queryObject(c));
      if (!query.success) throw validationError("query string", fieldIssues(query.error));
      return c.json({ items: await searchSolutionInterests(deps, query.data.q) }, 200);
    })
    .post("/", requires("config:write"), validate("json", SolutionInterestBody), async (c) =>
      c.json(await createSolutionInterest(deps, c.req.valid("json")), 201),
    )
    .get("/:id", validate("param", IdParam), async (c) => c.json(await getSolutionInterest(deps, c.req.valid("param").id), 200))
    .put("/:id", requires("config:write"), validate("param", IdParam), validate("json", SolutionInterestBody), async (c) =>
      c.json(await updateSolutionInterest(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user").id), 200),
    )
    .delete(
      "/:id",
      requires("config:write"),
      validate("param", IdParam),
      validate("query", DeleteSolutionInterestQuery),
      async (c) => {
        const { confirmGroups } = c.req.valid("query");
        await deleteSolutionInterest(deps, c.req.valid("param").id, c.get("user"), confirmGroups);
        return c.body(null, 204);
      },
    );
