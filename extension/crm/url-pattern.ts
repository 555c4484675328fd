/**
 * Record-URL patterns for user-configured CRMs: `/accounts/:id`, `/crm/:org/companies/:id/*`,
 * `/index.php?module=Accounts&action=DetailView&record=:id` or hash routes such as `/#Account/view/:id`.
 *
 * - path and hash segments are literals, `:name` (one whole segment) or a final `*` (any further segments);
 * - query parameters are `name=literal` or `name=:param` and may appear in any order among other parameters;
 * - `:id` must appear exactly once; other `:name`s match any single non-empty value;
 * - a trailing slash is optional; literals are case-sensitive.
 */
import { cleanText, LIMITS } from "./text";

export interface UrlPattern {
  /** the pattern as given, trimmed */
  readonly source: string;
  /** The `:id` value when `url` matches, else null. */
  match(url: URL): string | null;
  /** A URL path (with query and hash) that this pattern matches, for overlap checks. */
  example(): string;
}

type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string } | { kind: "rest" };

const LITERAL_SEGMENT = /^[A-Za-z0-9._~!$&'()+,;=@%-]+$/;
const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/;
const QUERY_NAME = /^[A-Za-z0-9._~[\]-]+$/;
const QUERY_LITERAL = /^[A-Za-z0-9._~!$'()*+,;:@%/-]*$/;
const MAX_PATTERN_LENGTH = 300;

/** Thrown for a malformed pattern; the message says what is wrong, without naming the config field. */
export class UrlPatternError extends Error {}

function parseSegments(part: string, where: string): Segment[] {
  const trimmed = part.replace(/^\//, "").replace(/\/$/, "");
  if (trimmed === "") return [];
  const raw = trimmed.split("/");
  return raw.map((segment, i): Segment => {
    if (segment === "*") {
      if (i !== raw.length - 1) throw new UrlPatternError(`"*" may only be the last ${where} segment`);
      return { kind: "rest" };
    }
    const param = PARAM.exec(segment);
    if (param?.[1]) return { kind: "param", name: param[1] };
    if (segment.startsWith(":")) throw new UrlPatternError(`"${segment}" is not a valid parameter (use letters, digits, _)`);
    if (segment === "") throw new UrlPatternError(`empty ${where} segment ("//")`);
    if (segment === "." || segment === "..") throw new UrlPatternError(`"${segment}" segments are not allowed`);
    if (!LITERAL_SEGMENT.test(segment))
      throw new UrlPatternError(`"${segment}" contains characters not allowed in a URL ${where}`);
    return { kind: "literal", value: segment };
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function cleanId(raw: string | null): string | null {
  if (raw === null) return null;
  const id = cleanText(raw, LIMITS.recordId + 1);
  if (!id || Array.from(id).length > LIMITS.recordId || /[\s/?#]/.test(id)) return null;
  return id;
}

/** Match `segments` against the actual path segments; returns the raw `:id` segment, "" if matched without id, or null. */
function matchSegments(segments: readonly Segment[], actual: readonly string[]): { id: string | null } | null {
  const rest = segments.at(-1)?.kind === "rest";
  const fixed = rest ? segments.length - 1 : segments.length;
  if (rest ? actual.length < fixed : actual.length !== fixed) return null;
  let id: string | null = null;
  for (let i = 0; i < fixed; i++) {
    const segment = segments[i]!;
    const value = actual[i] ?? "";
    if (segment.kind === "literal" && segment.value !== value) return null;
    if (segment.kind === "param") {
      if (value === "") return null;
      if (segment.name === "id") id = safeDecode(value);
    }
  }
  return { id };
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, "").replace(/\/+$/, "");
  return trimmed === "" ? [] : trimmed.split("/");
}

export function compileUrlPattern(input: unknown): UrlPattern {
  if (typeof input !== "string") throw new UrlPatternError("must be a string");
  const source = input.trim();
  if (source === "") throw new UrlPatternError('must not be empty; e.g. "/accounts/:id"');
  if (source.length > MAX_PATTERN_LENGTH) throw new UrlPatternError(`must be at most ${MAX_PATTERN_LENGTH} characters`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source))
    throw new UrlPatternError('must be a path without scheme or host, e.g. "/accounts/:id"');
  if (!source.startsWith("/")) throw new UrlPatternError('must start with "/", e.g. "/accounts/:id"');
  if (/\s/.test(source)) throw new UrlPatternError("must not contain spaces");

  const hashAt = source.indexOf("#");
  const beforeHash = hashAt >= 0 ? source.slice(0, hashAt) : source;
  const hashPart = hashAt >= 0 ? source.slice(hashAt + 1) : null;
  const queryAt = beforeHash.indexOf("?");
  const pathPart = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const queryPart = queryAt >= 0 ? beforeHash.slice(queryAt + 1) : null;
  if (hashPart?.includes("?")) throw new UrlPatternError('a query ("?") inside the hash part is not supported');

  const path = parseSegments(pathPart, "path");
  const hash = hashPart === null ? null : parseSegments(hashPart, "hash");
  const query: Array<{ name: string; value: Segment }> = [];
  if (queryPart !== null) {
    if (queryPart === "") throw new UrlPatternError('empty query after "?"');
    for (const pair of queryPart.split("&")) {
      const eq = pair.indexOf("=");
      const name = eq >= 0 ? pair.slice(0, eq) : pair;
      const value = eq >= 0 ? pair.slice(eq + 1) : "";
      if (!QUERY_NAME.test(name)) throw new UrlPatternError(`"${pair}" is not a valid query parameter (name=value)`);
      const param = PARAM.exec(value);
      if (param?.[1]) query.push({ name, value: { kind: "param", name: param[1] } });
      else if (eq < 0 || !QUERY_LITERAL.test(value))
        throw new UrlPatternError(`"${pair}" is not a valid query parameter (name=value)`);
      else query.push({ name, value: { kind: "literal", value: safeDecode(value) } });
    }
  }

  const all = [...path, ...(hash ?? []), ...query.map((q) => q.value)];
  const ids = all.filter((s) => s.kind === "param" && s.name === "id").length;
  if (ids !== 1) {
    throw new UrlPatternError(
      ids === 0 ? 'must contain ":id" where the record id is, e.g. "/accounts/:id"' : 'must contain ":id" only once',
    );
  }
  if (path.length === 0 && hash === null && query.length === 0) throw new UrlPatternError('must not be just "/"');

  return {
    source,
    match(url: URL): string | null {
      const inPath = matchSegments(path, splitPath(url.pathname));
      if (!inPath) return null;
      let id = inPath.id;
      if (hash !== null) {
        const hashPath = url.hash.replace(/^#/, "").split("?")[0] ?? "";
        const inHash = matchSegments(hash, splitPath(hashPath));
        if (!inHash) return null;
        id ??= inHash.id;
      }
      for (const { name, value } of query) {
        const actual = url.searchParams.get(name);
        if (actual === null || actual === "") return null;
        if (value.kind === "literal" && value.value !== actual) return null;
        if (value.kind === "param" && value.name === "id") id = actual;
      }
      return cleanId(id);
    },
    example(): string {
      const fill = (segments: readonly Segment[]) =>
        segments
          .filter((s) => s.kind !== "rest")
          .map((s) => (s.kind === "literal" ? s.value : `x${s.name}1`))
          .join("/");
      const q = query
        .map(
          ({ name, value }) =>
            `${name}=${value.kind === "literal" ? value.value : value.kind === "param" ? `x${value.name}1` : ""}`,
        )
        .join("&");
      return `/${fill(path)}${q ? `?${q}` : ""}${hash !== null ? `#${fill(hash)}` : ""}`;
    },
  };
}
