import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import { CreatePersonBody } from "../../shared/api/people";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { createOrMatchPerson, getPerson } from "./people.service";

export const peopleRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .post("/", requires("people:write"), validate("json", CreatePersonBody), async (c) => {
      const result = await createOrMatchPerson(deps, c.req.valid("json"));
      return c.json(result, result.matched ? 200 : 201);
    })
    .get("/:id", validate("param", IdParam), async (c) => c.json(await getPerson(deps, c.req.valid("param").id), 200));
