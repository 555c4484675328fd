import { hc } from "hono/client";
import type { AppType } from "../../server/app";

/**
 * The typed API client for the background script: paths, params, bodies and responses are checked
 * against the server's routes at compile time. Only the background holds the token.
 */
export function createApiClient(baseUrl: string, token: string, fetchImpl?: typeof fetch) {
  return hc<AppType>(baseUrl, {
    headers: { authorization: `Bearer ${token}` },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;
