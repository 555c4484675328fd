import { Hono } from "hono";
import { z } from "zod";
import { IdSchema } from "../../shared/api/common";
import { AccountAudience } from "../../shared/api/jobs";
import type { AuthEnv } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { audienceQuery } from "../lifecycle/jobs.repo";

/** `?solutionInterestId=` also counts the matching accounts that already have a group of that solution interest. */
export const AudienceCountQuery = z.object({ solutionInterestId: IdSchema.optional() });

export interface AudienceCount {
  /** Accounts matching the audience: what a creation job over it would process. */
  count: number;
  /** Of those, accounts that already have a group of `solutionInterestId` (null without it). */
  withGroup: number | null;
}

/**
 * Mounted under /accounts: counts the accounts of an audience with the same query the creation jobs select them with
 * (server/lifecycle/jobs.repo.ts `audienceQuery`), so the admin console's audience builder shows exactly what a job
 * would process.
 */
export const audienceRoutes = (deps: Deps) =>
  new Hono<AuthEnv>().post(
    "/audience-count",
    validate("query", AudienceCountQuery),
    validate("json", AccountAudience),
    async (c) => {
      const audience = c.req.valid("json");
      const { solutionInterestId } = c.req.valid("query");
      const count = Number(
        (
          await audienceQuery(deps.db, audience)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
      let withGroup: number | null = null;
      if (solutionInterestId) {
        withGroup = Number(
          (
            await audienceQuery(deps.db, audience)
              .where((eb) =>
                eb.exists(
                  eb
                    .selectFrom("buying_groups as g")
                    .select("g.id")
                    .whereRef("g.account_id", "=", "accounts.id")
                    .where("g.solution_interest_id", "=", solutionInterestId),
                ),
              )
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      }
      return c.json({ count, withGroup } satisfies AudienceCount, 200);
    },
  );
