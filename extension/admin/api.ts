/**
 * The admin console's server access: the same typed `hono/client` as the background, called directly because the
 * console is a trusted extension page (it may read the token; content scripts never can). Every call goes through
 * {@link expectOk}, which turns failures into an {@link ApiError} with a kind (unreachable, unauthorized, invalid…) and
 * the server's own message.
 */
import { createApiClient } from "../api/client";
import { ApiError, expectOk } from "../utils/server-api";

export { ApiError, expectOk };

const REQUEST_TIMEOUT_MS = 30_000;

/** The typed client rooted at `/api` (e.g. `api.groups.$get({ query })`, `api["role-templates"][":id"].$get(...)`). */
export function createAdminApi(baseUrl: string, token: string, fetchImpl?: typeof fetch) {
  const timed: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return createApiClient(baseUrl, token, fetchImpl ?? timed).api;
}

export type AdminApi = ReturnType<typeof createAdminApi>;

/** The message to show for any error thrown by a call (the server's message when there is one). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The server's per-field problems from a 400 (`error.details.issues: [{ field, message }]`), keyed by field path, so
 * editors can show each message next to its field (always a 400, 409 or 422: kind "invalid"). ApiError keeps only the message, so screens that need the fields
 * call {@link expectOkWithIssues} instead of expectOk.
 */
export class ApiFieldError extends ApiError {
  readonly issues: Array<{ field: string; message: string }>;
  constructor(status: number, message: string, issues: Array<{ field: string; message: string }>) {
    super("invalid", message, status);
    this.issues = issues;
  }
}

interface ResponseLike {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/** Like expectOk, but a 400/409/422 answer becomes an {@link ApiFieldError} carrying the server's field issues. */
export async function expectOkWithIssues<T>(call: Promise<ResponseLike>): Promise<T> {
  let res: ResponseLike;
  try {
    res = await call;
  } catch (e) {
    throw new ApiError("unreachable", errorMessage(e));
  }
  if (res.status === 400 || res.status === 409 || res.status === 422) {
    const body = (await res.json().catch(() => null)) as {
      error?: { message?: string; details?: { issues?: Array<{ field?: string; path?: string; message?: string }> } };
    } | null;
    const issues = (body?.error?.details?.issues ?? []).map((i) => ({
      field: String(i.field ?? i.path ?? ""),
      message: String(i.message ?? ""),
    }));
    throw new ApiFieldError(res.status, body?.error?.message ?? `HTTP ${res.status}`, issues);
  }
  return expectOk<T>(Promise.resolve(res));
}
