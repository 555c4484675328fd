/** The one error shape every API failure uses: `{ "error": { "code", "message", "details" } }`. */
export interface ApiErrorBody {
  error: {
    /** Stable machine-readable code, e.g. `validation_failed`, `not_found`. */
    code: string;
    /** A sentence a person can act on: what is wrong and how to fix it. */
    message: string;
    details: unknown;
  };
}

export type ErrorCode =
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_many_items"
  | "payload_too_large"
  | "internal"
  /** The database cannot be reached or timed out (503 with Retry-After; nothing was changed). */
  | "database_unavailable"
  /** The identity provider could not be reached (server/sso). */
  | "sso_unavailable";

/** A failure the caller can fix; the server turns it into an HTTP status and an ApiErrorBody. */
export class QuorumError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 502,
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "QuorumError";
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const notFound = (what: string, id: string) =>
  new QuorumError(404, "not_found", `${what} '${id}' does not exist. Check the id, or list ${what.toLowerCase()}s to find it.`, {
    id,
  });
