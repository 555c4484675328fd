import { Hono } from "hono";
import { AccountLookupQuery, AccountSearchQuery, CreateAccountBody, LinkAccountBody } from "../../shared/api/accounts";
import { IdParam } from "../../shared/api/common";
import { AccountPeopleQuery } from "../../shared/api/people";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { listAccountPeople } from "../people/people.service";
import { searchAccounts } from "./accounts.repo";
import { createAccount, getAccount, linkAccount, lookupAccount } from "./accounts.service";

export const accountRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", validate("query", AccountSearchQuery), async (c) => {
      const { q, limit, offset } = c.req.valid("query");
      return c.json({ ...(await searchAccounts(deps.db, q, limit, offset)), limit, offset }, 200);
    })
    .get("/lookup", validate("query", AccountLookupQuery), async (c) =>
      c.json(await lookupAccount(deps, c.req.valid("query")), 200),
    )
    .post("/", requires("groups:write"), validate("json", CreateAccountBody), async (c) =>
      c.json(await createAccount(deps, c.req.valid("json")), 201),
    )
    .get("/:id", validate("param", IdParam), async (c) => c.json(await getAccount(deps, c.req.valid("param").id), 200))
    .post("/:id/links", requires("groups:write"), validate("param", IdParam), validate("json", LinkAccountBody), async (c) =>
      c.json(await linkAccount(deps, c.req.valid("param").id, c.req.valid("json")), 200),
    )
    .get("/:id/people", validate("param", IdParam), validate("query", AccountPeopleQuery), async (c) => {
      const { id } = c.req.valid("param");
      await getAccount(deps, id);
      const { q, limit, offset } = c.req.valid("query");
      return c.json({ ...(await listAccountPeople(deps, id, q, limit, offset)), limit, offset }, 200);
    });
