/**
 * Record-URL patterns for user-configured CRMs: `/accounts/:id`, `/crm/:org/companies/:id/*`,
 * `/index.php?module=Accounts&action=DetailView&record=:id` or hash routes such as `/#Account/view/:id`.
 *
 * - path and hash segments are literals, `:name` (one whole segment) or a final `*` (any further segments);
 * - query parameters are `name=literal` or `name=:param` and may appear in any order among other parameters;
 * - `:id` must appear exactly once; other `:name`s match any single non-empty value;
 * - a trailing slash is optional; literals are case-sensitive.
 *
 * This module only parses and matches patterns already checked by {@link compileUrlPattern} (url-pattern-check.ts):
 * the self-hosted CRMs' content script carries it without the checks and their messages (10 KB gzip budget).
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

export type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string } | { kind: "rest" };

export const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/;

/** The pieces of a pattern: path part, query part (null: none) and hash part (null: none), unparsed. */
export function patternParts(source: string): { path: string; query: string | null; hash: string | null } {
  const hashAt = source.indexOf("#");
  const beforeHash = hashAt >= 0 ? source.slice(0, hashAt) : source;
  const queryAt = beforeHash.indexOf("?");
  return {
    path: queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash,
    query: queryAt >= 0 ? beforeHash.slice(queryAt + 1) : null,
    hash: hashAt >= 0 ? source.slice(hashAt + 1) : null,
  };
}

/** The segments of a path or hash part: "" and "/" have none; a leading and trailing slash are dropped. */
export function rawSegments(part: string): string[] {
  const trimmed = part.replace(/^\//, "").replace(/\/$/, "");
  return trimmed === "" ? [] : trimmed.split("/");
}

function segment(raw: string): Segment {
  if (raw === "*") return { kind: "rest" };
  const param = PARAM.exec(raw)?.[1];
  return param ? { kind: "param", name: param } : { kind: "literal", value: raw };
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

/** A matcher for a pattern that {@link compileUrlPattern} accepts (not checked here). */
export function urlPattern(source: string): UrlPattern {
  const parts = patternParts(source);
  const path = rawSegments(parts.path).map(segment);
  const hash = parts.hash === null ? null : rawSegments(parts.hash).map(segment);
  const query = (parts.query === null ? [] : parts.query.split("&")).map((pair) => {
    const eq = pair.indexOf("=");
    const raw = pair.slice(eq + 1);
    const param = PARAM.exec(raw)?.[1];
    const value: Segment = param ? { kind: "param", name: param } : { kind: "literal", value: safeDecode(raw) };
    return { name: pair.slice(0, eq), value };
  });
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
          .map((s) => (s.kind === "literal" ? s.value : s.kind === "param" ? `x${s.name}1` : ""))
          .join("/");
      const q = query.map(({ name, value }) => `${name}=${fill([value])}`).join("&");
      return `/${fill(path)}${q ? `?${q}` : ""}${hash !== null ? `#${fill(hash)}` : ""}`;
    },
  };
}
