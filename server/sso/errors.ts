import type { SsoRefusal } from "../../shared/api/sso";
import { QuorumError } from "../../shared/errors";

/** A refused sign-in, refresh or access token: 401 (or 403 where the person is known but not allowed), with the reason. */
export function ssoRefused(reason: SsoRefusal, message: string, status: 401 | 403 = 401): QuorumError {
  return new QuorumError(status, status === 401 ? "unauthorized" : "forbidden", message, { reason });
}

/** The identity provider could not be reached or answered nonsense: nothing the caller can fix but retry. */
export function providerUnavailable(message: string, cause?: unknown): QuorumError {
  const why = cause instanceof Error ? ` (${cause.message})` : "";
  return new QuorumError(502, "sso_unavailable", `${message}${why}. Try again in a moment; if it persists, tell your IT admin.`);
}
