import { Hono, type TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import { z } from "zod";
import { IdParam } from "../../shared/api/common";
import { CreateGroupBody, type GroupDetails, GroupListQuery } from "../../shared/api/groups";
import { AssignMembersBody, ChangeRolesBody, MemberParams, RemoveMembersBody } from "../../shared/api/members";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { acceptsGzip, requestHeader } from "../http/headers";
import { validate } from "../http/validate";
import { applyMembershipChanges } from "../members/membership.service";
import { explainGroupScores, recomputeGroups } from "../scores/scores.service";
import { GroupDetailsCache, groupDetailsBody, registerDetailsCache } from "./details-cache";
import type { DetailsFeed } from "./details-feed";
import { deleteGroup } from "./group-delete.service";
import { createGroup, getGroupMembers, getMemberDetails, listGroups } from "./groups.service";
import { SUMMARY_LANGS } from "./summaries";

const MembersQuery = z.object({ includeRemoved: z.enum(["true", "false"]).default("false") });
/** The language of the generated sentences (summaries); numbers and money follow it too. */
const LangQuery = z.object({ lang: z.enum(SUMMARY_LANGS).default("en") });

/** `detailsFeed` (PostgreSQL, `serve`): lets cached details be served without a version read, see details-feed.ts. */
export const groupRoutes = (
  deps: Deps,
  detailsFeed?: DetailsFeed,
  detailsCache = registerDetailsCache(deps.db, new GroupDetailsCache()),
) => {
  detailsFeed?.attach(detailsCache);
  return new Hono<AuthEnv>()
    .get("/", validate("query", GroupListQuery), async (c) => {
      const { sort, limit, offset, cursor, ...filter } = c.req.valid("query");
      return c.json(await listGroups(deps, filter, { sort, limit, offset, cursor }), 200);
    })
    .post("/", requires("groups:write"), validate("json", CreateGroupBody), async (c) =>
      c.json(await createGroup(deps, c.req.valid("json"), c.get("user").id), 201),
    )
    .get("/:id", validate("param", IdParam), validate("query", LangQuery), async (c) => {
      const gzip = acceptsGzip(requestHeader(c, "accept-encoding"));
      const { lang } = c.req.valid("query");
      const { body, gzipped } = await groupDetailsBody(deps, detailsCache, c.req.valid("param").id, gzip, lang, detailsFeed);
      // A fresh header object each time (the Node adapter adds Content-Length to it); both variants name
      // Accept-Encoding in Vary, so a shared cache keeps them apart. A plain Response with a plain
      // header object is the Node adapter's fastest path. The cached text is exactly what
      // c.json(details) would send; keep the typed client's view of it.
      const headers: Record<string, string> = { "content-type": "application/json", vary: "accept-encoding" };
      if (gzipped) headers["content-encoding"] = "gzip";
      return new Response(body, { status: 200, headers }) as unknown as TypedResponse<JSONParsed<GroupDetails>, 200, "json">;
    })
    .get("/:id/members", validate("param", IdParam), validate("query", MembersQuery), async (c) =>
      c.json(
        { items: await getGroupMembers(deps, c.req.valid("param").id, c.req.valid("query").includeRemoved === "true") },
        200,
      ),
    )
    .get("/:id/members/:personId", validate("param", MemberParams), validate("query", LangQuery), async (c) => {
      const { id, personId } = c.req.valid("param");
      return c.json(await getMemberDetails(deps, id, personId, c.req.valid("query").lang), 200);
    })
    .post(
      "/:id/members",
      requires("members:write"),
      validate("param", IdParam),
      validate("json", AssignMembersBody),
      async (c) => {
        const changes = c.req.valid("json").members.map((m) => ({ ...m, action: "add" as const }));
        const ctx = { source: "manual" as const, userId: c.get("user").id, field: "members" };
        return c.json(await applyMembershipChanges(deps, c.req.valid("param").id, changes, ctx), 200);
      },
    )
    .post(
      "/:id/members/remove",
      requires("members:write"),
      validate("param", IdParam),
      validate("json", RemoveMembersBody),
      async (c) => {
        const changes = c.req.valid("json").personIds.map((personId) => ({ personId, action: "remove" as const }));
        const ctx = { source: "manual" as const, userId: c.get("user").id, field: "personIds" };
        return c.json(await applyMembershipChanges(deps, c.req.valid("param").id, changes, ctx), 200);
      },
    )
    .patch(
      "/:id/members",
      requires("members:write"),
      validate("param", IdParam),
      validate("json", ChangeRolesBody),
      async (c) => {
        const changes = c.req.valid("json").changes.map((m) => ({ ...m, action: "role_change" as const }));
        const ctx = { source: "manual" as const, userId: c.get("user").id, field: "changes" };
        return c.json(await applyMembershipChanges(deps, c.req.valid("param").id, changes, ctx), 200);
      },
    )
    .get("/:id/scores", validate("param", IdParam), async (c) =>
      c.json(await explainGroupScores(deps, c.req.valid("param").id), 200),
    )
    .delete("/:id", requires("groups:delete"), validate("param", IdParam), async (c) => {
      await deleteGroup(deps, c.req.valid("param").id, c.get("user").id);
      return c.body(null, 204);
    })
    .post("/:id/scores/recompute", requires("scores:recompute"), validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      await explainGroupScores(deps, id); // 404 for an unknown group before writing anything
      await deps.db.transaction().execute((trx) => recomputeGroups(trx, deps, [id], deps.clock()));
      return c.json(await explainGroupScores(deps, id), 200);
    });
};
