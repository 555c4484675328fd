import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { routePath } from "hono/route";
import { tryDecodeURIComponent } from "hono/utils/url";
import { type TextIssue, unsafeTextIssues, unsafeTextReason } from "../../shared/api/text";
import { QuorumError } from "../../shared/errors";
import { checkNodeBodyLength, nodeIncoming, tooLarge } from "./request-body";
import { validationError } from "./validate";

/** Body limit of every route that does not state its own (`maxBodyBytes` in its RouteDoc). */
export const DEFAULT_BODY_LIMIT = 64 * 1024;
/** JSON bodies nested deeper than this are refused before they are parsed. */
export const MAX_JSON_DEPTH = 32;

/** What the guard needs to know of a route; RouteDoc (server/http/openapi.ts) states it. */
export interface RouteInputRules {
  method: string;
  /** OpenAPI form: `/api/groups/{id}`. */
  path: string;
  maxBodyBytes?: number;
  /** A top-level array whose items the route validates one by one (per-item results instead of one 400). */
  perItem?: string;
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const rulesOf = new WeakMap<Context, RouteInputRules>();

/**
 * How deep `text` (JSON) nests, stopping as soon as it passes `limit`: a linear scan that skips
 * strings, so a deep body is refused without building it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** `/api/groups/{id}` → `/api/groups/:id` (Hono's form). */
const honoPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ":$1");

/**
 * One middleware in front of every route (so routes added later are covered without remembering it):
 * - a body limit per route (`maxBodyBytes` of the route's doc, else DEFAULT_BODY_LIMIT), answered with 413
 *   before anything is parsed: under Node from the request's `Content-Length` without building the Fetch
 *   `Request` (checkNodeBodyLength; a route may then read the body straight from Node, `readBody`), else
 *   (chunked bodies, in process) hono/body-limit, which counts the body as it streams;
 * - path parameters and query strings that hold text no database can store (NUL, lone surrogates):
 *   400 naming the parameter.
 * JSON bodies are checked where a route reads them (`readJsonBody`, used by `validate("json", …)`),
 * after authentication: an anonymous caller cannot make the server parse anything.
 */
export function inputGuard(routes: readonly RouteInputRules[]): MiddlewareHandler {
  const rules = new Map(routes.map((r) => [`${r.method.toUpperCase()} ${honoPath(r.path)}`, r]));
  const limiters = new Map<number, MiddlewareHandler>();
  const limiterFor = (max: number) => {
    let l = limiters.get(max);
    if (!l) {
      l = bodyLimit({ maxSize: max, onError: () => tooLarge(max) });
      limiters.set(max, l);
    }
    return l;
  };
  return async (c, next) => {
    const pattern = routePath(c, -1);
    const rule = rules.get(`${c.req.method} ${pattern}`);
    if (rule) rulesOf.set(c, rule);
    checkPath(c, pattern);
    checkQuery(c);
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const limit = rule?.maxBodyBytes ?? DEFAULT_BODY_LIMIT;
    const incoming = nodeIncoming(c);
    if (incoming ? checkNodeBodyLength(c, incoming, limit) : !c.req.raw.body) return next();
    return limiterFor(limit)(c, next);
  };
}

function checkPath(c: Context, pattern: string) {
  if (!pattern.includes(":")) return;
  // Without a percent escape the path holds only characters a URL keeps as they are (the URL parser escapes
  // controls and non-ASCII): nothing to decode, nothing a database could not store.
  if (!c.req.url.includes("%")) return;
  const names = pattern.split("/");
  const values = c.req.path.split("/");
  const issues: TextIssue[] = [];
  names.forEach((name, i) => {
    if (!name.startsWith(":")) return;
    // Exactly the value the route will read: Hono decodes each valid run of %XX and keeps the rest as
    // sent (`a%00b%ED` is `a\0b%ED`), so a whole-segment decode that fails must not hide a NUL.
    const reason = unsafeTextReason(tryDecodeURIComponent(values[i] ?? ""));
    if (reason) issues.push({ field: name.slice(1).replace(/\{.*$/, ""), message: reason });
  });
  if (issues.length) throw validationError("URL", issues);
}

function checkQuery(c: Context) {
  if (!c.req.url.includes("?")) return;
  const issues: TextIssue[] = [];
  for (const [key, values] of Object.entries(c.req.queries())) {
    const keyReason = unsafeTextReason(key);
    if (keyReason) issues.push({ field: "(query)", message: `has a parameter name that ${keyReason}` });
    else for (const v of values) issues.push(...unsafeTextIssues(v, { prefix: [key], maxIssues: 1 }));
  }
  if (issues.length) throw validationError("query string", issues);
}

/**
 * A JSON request body's text parsed, or a 400 naming the fix: nested deeper than MAX_JSON_DEPTH, or not JSON
 * (`whatToSend` says what the route expects).
 */
export function parseJsonText(text: string, whatToSend: string): unknown {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw validationError("request body", [
      { field: "(body)", message: `is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it` },
    ]);
  try {
    return JSON.parse(text);
  } catch {
    throw new QuorumError(400, "validation_failed", `Invalid request body: it is not valid JSON. ${whatToSend}`, {
      issues: [{ field: "(body)", message: "is not valid JSON" }],
    });
  }
}

/**
 * The request's JSON body, checked: `{}` when it is not JSON (as Hono's validator does: the route's
 * schema then names what is missing); 400 when it is not valid JSON, nests deeper than MAX_JSON_DEPTH
 * (refused before it is parsed) or holds text no database can store in any string or key (except in
 * the items of the route's `perItem` array, which the route checks one by one).
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
  if (!JSON_TYPE.test(type)) return {};
  const text = await c.req.text();
  const value = parseJsonText(text, "Send a JSON object with Content-Type: application/json.");
  const issues = unsafeTextIssues(value, { skipItemsOf: rulesOf.get(c)?.perItem });
  if (issues.length) throw validationError("request body", issues);
  return value;
}
