import { Hono } from "hono";
import { DashboardQuery } from "../../shared/api/dashboard";
import type { AuthEnv } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";
import { dashboard, dashboardCsv } from "./dashboard.service";

export const dashboardRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", validate("query", DashboardQuery), async (c) => c.json(await dashboard(deps, c.req.valid("query")), 200))
    .get("/export.csv", validate("query", DashboardQuery), async (c) => {
      const csv = dashboardCsv(await dashboard(deps, c.req.valid("query")));
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="quorum-dashboard-${deps.clock().toISOString().slice(0, 10)}.csv"`,
      });
    });
