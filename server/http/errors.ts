import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { QuorumError } from "../../shared/errors";
import { isDatabaseUnavailable, isStatementTimeout } from "../db/errors";

/** Seconds a client is asked to wait (Retry-After) when the database is unreachable or overloaded. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The one error handler: every failure leaves as `{ error: { code, message, details } }`. */
export function onError(err: Error, c: Context) {
  // A body refused for its size was not read to its end: the rest of it is still on the connection, where
  // the next request would be looked for. Close the connection after the answer, so that a keep-alive
  // client opens a new one instead of having its next request reset.
  if ((err instanceof QuorumError || err instanceof HTTPException) && err.status === 413) c.header("Connection", "close");
  if (err instanceof QuorumError) return c.json(err.toBody(), err.status);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "validation_failed";
    if (status === 400 && /json/i.test(err.message)) {
      const issues = [{ field: "(body)", message: "is not valid JSON" }];
      return c.json(
        {
          error: {
            code,
            message: "Invalid request body: it is not valid JSON. Send a JSON object with Content-Type: application/json.",
            details: { issues },
          },
        },
        400,
      );
    }
    const message =
      status === 413
        ? "The request body is too large. Split it into smaller requests."
        : err.message || "The request could not be processed.";
    return c.json({ error: { code, message, details: null } }, status);
  }
  if (err instanceof SyntaxError) {
    return c.json(
      { error: { code: "validation_failed", message: `The request body is not valid JSON: ${err.message}`, details: null } },
      400,
    );
  }
  // The database went away mid-request (restart, failover, a killed connection) or cannot be reached:
  // the request's transaction was rolled back by the database, so nothing was half-stored; ask the client
  // to retry. The pool opens fresh connections once the database is back, so the process keeps serving.
  if (isDatabaseUnavailable(err) || isStatementTimeout(err) || isDatabaseUnavailable((err as { cause?: unknown }).cause)) {
    const timeout = isStatementTimeout(err);
    c.header("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
    return c.json(
      {
        error: {
          code: "database_unavailable",
          message: timeout
            ? `The database took too long to answer (statement timeout). Nothing was changed; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`
            : `The database cannot be reached right now. Nothing was changed; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
          details: null,
        },
      },
      503,
    );
  }
  console.error("[quorum] unexpected error", err);
  return c.json(
    {
      error: { code: "internal", message: "Something went wrong on the server. Nothing was changed; try again.", details: null },
    },
    500,
  );
}

export function notFoundRoute(c: Context) {
  return c.json(
    {
      error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}. See /api/docs for the API.`, details: null },
    },
    404,
  );
}
