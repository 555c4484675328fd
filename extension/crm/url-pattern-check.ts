/**
 * Checking a user's record-URL pattern (see url-pattern.ts for the syntax) with a message that says what is wrong and
 * how to write it. Used where the user enters patterns (options page) and where configurations are loaded
 * (background); content scripts get only checked patterns and carry the matcher alone.
 */
import { PARAM, patternParts, rawSegments, type UrlPattern, urlPattern } from "./url-pattern";

const LITERAL_SEGMENT = /^[A-Za-z0-9._~!$&'()+,;=@%-]+$/;
const QUERY_NAME = /^[A-Za-z0-9._~[\]-]+$/;
const QUERY_LITERAL = /^[A-Za-z0-9._~!$'()*+,;:@%/-]*$/;
const MAX_PATTERN_LENGTH = 300;

/** Thrown for a malformed pattern; the message says what is wrong, without naming the config field. */
export class UrlPatternError extends Error {}

/** Checks the segments of a path or hash part; returns how many are `:id`. */
function checkSegments(part: string, where: string): number {
  const raw = rawSegments(part);
  let ids = 0;
  raw.forEach((segment, i) => {
    if (segment === "*") {
      if (i !== raw.length - 1) throw new UrlPatternError(`"*" may only be the last ${where} segment`);
      return;
    }
    const param = PARAM.exec(segment);
    if (param?.[1]) {
      if (param[1] === "id") ids++;
      return;
    }
    if (segment.startsWith(":")) throw new UrlPatternError(`"${segment}" is not a valid parameter (use letters, digits, _)`);
    if (segment === "") throw new UrlPatternError(`empty ${where} segment ("//")`);
    if (segment === "." || segment === "..") throw new UrlPatternError(`"${segment}" segments are not allowed`);
    if (!LITERAL_SEGMENT.test(segment))
      throw new UrlPatternError(`"${segment}" contains characters not allowed in a URL ${where}`);
  });
  return ids;
}

/** A checked pattern's matcher; throws {@link UrlPatternError} saying what is wrong with the pattern. */
export function compileUrlPattern(input: unknown): UrlPattern {
  if (typeof input !== "string") throw new UrlPatternError("must be a string");
  const source = input.trim();
  if (source === "") throw new UrlPatternError('must not be empty; e.g. "/accounts/:id"');
  if (source.length > MAX_PATTERN_LENGTH) throw new UrlPatternError(`must be at most ${MAX_PATTERN_LENGTH} characters`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source))
    throw new UrlPatternError('must be a path without scheme or host, e.g. "/accounts/:id"');
  if (!source.startsWith("/")) throw new UrlPatternError('must start with "/", e.g. "/accounts/:id"');
  if (/\s/.test(source)) throw new UrlPatternError("must not contain spaces");

  const parts = patternParts(source);
  if (parts.hash?.includes("?")) throw new UrlPatternError('a query ("?") inside the hash part is not supported');
  let ids = checkSegments(parts.path, "path") + (parts.hash === null ? 0 : checkSegments(parts.hash, "hash"));
  if (parts.query !== null) {
    if (parts.query === "") throw new UrlPatternError('empty query after "?"');
    for (const pair of parts.query.split("&")) {
      const eq = pair.indexOf("=");
      const name = eq >= 0 ? pair.slice(0, eq) : pair;
      const value = eq >= 0 ? pair.slice(eq + 1) : "";
      const param = PARAM.exec(value)?.[1];
      if (!QUERY_NAME.test(name) || (!param && (eq < 0 || !QUERY_LITERAL.test(value) || value.startsWith(":"))))
        throw new UrlPatternError(`"${pair}" is not a valid query parameter (name=value)`);
      if (param === "id") ids++;
    }
  }
  if (ids !== 1) {
    throw new UrlPatternError(
      ids === 0 ? 'must contain ":id" where the record id is, e.g. "/accounts/:id"' : 'must contain ":id" only once',
    );
  }
  if (rawSegments(parts.path).length === 0 && parts.hash === null && parts.query === null)
    throw new UrlPatternError('must not be just "/"');
  return urlPattern(source);
}
