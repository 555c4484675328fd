import { type Language, translate } from "./i18n";
import type { ActionError } from "./messages";

/**
 * One sentence for a failed request that says what to do, in the UI language; never a bare status code or a record
 * id. Only a refusal the server explains ("invalid": a validation or conflict message naming the field) keeps the
 * server's own words.
 */
export function errorText(lang: Language, error: ActionError): string {
  switch (error.kind) {
    case "unauthorized":
      return translate(lang, "errorUnauthorized");
    case "forbidden":
      return translate(lang, "errorForbidden");
    case "unreachable":
      return translate(lang, "errorUnreachable");
    case "not-found":
      return translate(lang, "errorNotFound");
    case "unconfigured":
      return translate(lang, "errorUnconfigured");
    case "invalid":
    case "rejected":
      return translate(lang, "errorInvalid", { message: withoutIds(error.message) });
    default:
      return translate(lang, "errorServer");
  }
}

/** Drops internal record ids ('per_3Fx…', grp_…) from a server message: they mean nothing to a rep. */
export function withoutIds(message: string): string {
  return message
    .replace(/\s*'?\b[a-z]{2,5}_[A-Za-z0-9]{8,}\b'?/g, "")
    .replace(/\s+([,.:;])/g, "$1")
    .trim();
}
