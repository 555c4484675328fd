import { Hono } from "hono";
import { accountRoutes } from "./accounts/accounts.routes";
import { audienceRoutes } from "./accounts/audience.routes";
import { activityRoutes, activityTypeRoutes } from "./activities/activities.routes";
import { type AuthEnv, requireAuth } from "./auth/auth.middleware";
import { hostCheck } from "./auth/host-check";
import { connectionRoutes, oauthCallbackRoutes } from "./connectors/connections.routes";
import { dashboardRoutes } from "./dashboard/dashboard.routes";
import type { Deps } from "./deps";
import { emailRoutes, groupEmailRoutes, workspaceRoutes } from "./email/email.routes";
import { outboxFileRoutes } from "./email/outbox-files";
import { publicEmailRoutes } from "./email/public.routes";
import { eventSourceRoutes } from "./event-sources/event-sources.routes";
import { createEventHooks, type EventHooks, eventHookRoutes } from "./event-sources/hooks.routes";
import { eventRoutes } from "./events/events.routes";
import type { DetailsFeed } from "./groups/details-feed";
import { groupRoutes } from "./groups/groups.routes";
import { notFoundRoute, onError } from "./http/errors";
import { inputGuard } from "./http/input-guard";
import { buildOpenApi, renderDocsPage, routeInputRules } from "./http/openapi";
import { API_VERSION } from "./http/version";
import { intentRoutes } from "./intent/intent.routes";
import { journeyCrudRoutes } from "./journeys/journeys.crud.routes";
import { journeyRoutes } from "./journeys/journeys.routes";
import { groupLifecycleRoutes } from "./lifecycle/group-insights.routes";
import { interestJobRoutes, jobRoutes } from "./lifecycle/jobs.routes";
import { peopleRoutes } from "./people/people.routes";
import { scoreRoutes } from "./scores/scores.routes";
import { solutionInterestRoutes } from "./solution-interests/solution-interests.routes";
import { ssoPublicRoutes, userAccessRoutes } from "./sso/sso.routes";
import { groupStageRoutes, stageModelRoutes } from "./stages/stages.routes";
import { templateRoutes } from "./templates/templates.routes";
import { userRoutes } from "./users/users.routes";

/** Builds the HTTP app around its dependencies; tests call it in process with `app.request()`. */
/**
 * `detailsFeed` (PostgreSQL, given by `serve`): cached group details are served without a version read while
 * the feed trusts them, and every request that can write (but the event webhooks) answers only after every other
 * server has heard of its changes (details-feed.ts).
 */
export function createApp(deps: Deps, options: { eventHooks?: EventHooks; detailsFeed?: DetailsFeed } = {}) {
  const feed = options.detailsFeed;
  // Event webhooks' source cache and group committer (serve.ts passes its own to drain it at shutdown).
  const hooks = options.eventHooks ?? createEventHooks(deps);
  // Built on first request, not at start: converting every schema costs ~50 ms of CPU that `serve` need not wait for.
  let openApi: ReturnType<typeof buildOpenApi> | undefined;
  const api = new Hono<AuthEnv>()
    .use(requireAuth(deps))
    .get("/me", (c) => {
      const { id, name, role } = c.get("user");
      return c.json({ id, name, role, apiVersion: API_VERSION }, 200);
    })
    .route("/accounts", accountRoutes(deps))
    .route("/accounts", audienceRoutes(deps))
    .route("/people", peopleRoutes(deps))
    .route("/activities", activityRoutes(deps))
    .route("/activity-types", activityTypeRoutes(deps))
    .route("/groups", groupRoutes(deps, feed))
    .route("/groups", groupStageRoutes(deps))
    .route("/groups", groupLifecycleRoutes(deps))
    .route("/groups", groupEmailRoutes(deps))
    .route("/workspaces", workspaceRoutes(deps))
    .route("/emails", emailRoutes(deps))
    .route("/role-templates", templateRoutes(deps))
    .route("/solution-interests", solutionInterestRoutes(deps))
    .route("/solution-interests", interestJobRoutes(deps))
    .route("/jobs", jobRoutes(deps))
    .route("/stage-models", stageModelRoutes(deps))
    .route("/journeys", journeyRoutes(deps))
    .route("/journeys", journeyCrudRoutes(deps))
    .route("/events", eventRoutes(deps))
    .route("/intent", intentRoutes(deps))
    .route("/scores", scoreRoutes(deps))
    .route("/dashboard", dashboardRoutes(deps))
    .route("/users", userRoutes(deps))
    .route("/outbox", outboxFileRoutes(deps))
    .route("/users", userAccessRoutes(deps))
    .route("/connections", connectionRoutes(deps))
    .route("/event-sources", eventSourceRoutes(deps, hooks));

  // In front of every route, the event webhooks' too: requests for another Host (DNS rebinding) are refused; body
  // limits and storable-text checks of paths and query strings (for routes added later too).
  const front = [hostCheck(deps.config), inputGuard(routeInputRules())] as const;
  const app = new Hono()
    .use(...front)
    // Details feed: a request that can write answers once every server has heard of its changes. Not the
    // event webhooks: CDPs send them at high rates, and no user waits on one to read the details.
    .use(async (c, next) => {
      if (!feed || c.req.method === "GET" || c.req.method === "HEAD" || c.req.path.startsWith("/hooks/")) return next();
      try {
        await next();
      } finally {
        await feed.fence();
      }
    })
    .get("/health", (c) => c.json({ status: "ok", apiVersion: API_VERSION }, 200))
    .get("/api/openapi.json", (c) => {
      openApi ??= buildOpenApi();
      return c.json(openApi, 200);
    })
    .get("/api/docs", (c) => c.html(renderDocsPage()))
    .route("/api", api)
    .route("/auth/sso", ssoPublicRoutes(deps))
    .route("/", publicEmailRoutes(deps))
    .route("/", oauthCallbackRoutes(deps))
    .route("/", eventHookRoutes(deps, hooks));
  app.onError(onError);
  app.notFound(notFoundRoute);
  // Event webhooks (CDPs send thousands of requests a second) go to an app of their own with the same middlewares in
  // front, the same route and error handlers: matching their path among every route of the API cost about 5 % of a
  // single-message request. The route stays in `app` too (its type, AppType).
  const hookApp = new Hono().use(...front).route("/", eventHookRoutes(deps, hooks));
  hookApp.onError(onError);
  hookApp.notFound(notFoundRoute);
  const appFetch = app.fetch;
  app.fetch = (request, env, executionCtx) =>
    isHookUrl(request.url) ? hookApp.fetch(request, env, executionCtx) : appFetch(request, env, executionCtx);
  return app;
}

/** Whether a request URL's path is under `/hooks/` (the URL is absolute: `http://host/path?query`). */
export function isHookUrl(url: string): boolean {
  const scheme = url.indexOf("://");
  return url.startsWith("/hooks/", scheme < 0 ? 0 : url.indexOf("/", scheme + 3));
}

export type AppType = ReturnType<typeof createApp>;
