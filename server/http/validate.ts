import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import { QuorumError } from "../../shared/errors";
import { readJsonBody } from "./input-guard";

export interface FieldIssue {
  field: string;
  message: string;
}

/** Zod issues as `{ field: "members.3.roleKey", message }`, the shape every 400 carries in `details.issues`. */
export function fieldIssues(
  error: {
    issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string; code?: string; issues?: ReadonlyArray<unknown> }>;
  },
  prefix = "",
): FieldIssue[] {
  return error.issues.map((i) => {
    // A bad key of a record (e.g. a person attribute's name): name the record and say which key and why,
    // instead of zod's "Invalid key in record" under a path that ends in the bad key.
    const badKey = i.code === "invalid_key" && i.path.length > 0;
    const path = badKey ? i.path.slice(0, -1) : i.path;
    const inner = (i.issues ?? []) as Array<{ message?: string }>;
    const message = badKey
      ? `has a key '${String(i.path.at(-1)).slice(0, 40)}' that is not allowed: ${inner.map((x) => x.message).join("; ") || i.message}`
      : i.message;
    return { field: [prefix, ...path.map(String)].filter(Boolean).join(".") || "(body)", message };
  });
}

const TARGET_NAMES: Partial<Record<keyof ValidationTargets, string>> = {
  json: "request body",
  query: "query string",
  param: "URL",
};

/** A 400 naming the first bad field and listing every issue. */
export function validationError(where: string, issues: FieldIssue[]): QuorumError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return new QuorumError(
    400,
    "validation_failed",
    first
      ? `Invalid ${where}: ${first.field} ${first.message}${more}. Fix the field and send the request again.`
      : `Invalid ${where}.`,
    { issues },
  );
}

function zodValidator<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw validationError(TARGET_NAMES[target] ?? target, fieldIssues(result.error));
    }
  });
}

/**
 * The query string as an object: a parameter given once is its text, a repeated one (`?q=a&q=b`) the list of
 * its values, so a schema expecting one text refuses the repetition instead of silently taking one of them.
 */
export const queryObject = (c: Context): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));

/**
 * zValidator that answers with Quorum's error shape; the parsed value keeps its inferred type.
 *
 * URL parameters and query strings skip Hono's generic validator, which reads the request's
 * Content-Type first (under the Node adapter that builds a whole Fetch `Headers` object) and parses
 * asynchronously: a noticeable share of a cached `GET /api/groups/:id`. Same value, same schema
 * (parsed synchronously: no schema here refines asynchronously), same error. JSON bodies are read by
 * `readJsonBody` (depth, JSON and storable-text checks; server/http/input-guard.ts).
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
): ReturnType<typeof zodValidator<T, Target>> {
  if (target !== "param" && target !== "query" && target !== "json") return zodValidator(target, schema);
  const middleware = createMiddleware(async (c, next) => {
    const value = target === "param" ? c.req.param() : target === "query" ? queryObject(c) : await readJsonBody(c);
    const result = schema.safeParse(value);
    if (!result.success) throw validationError(TARGET_NAMES[target] ?? target, fieldIssues(result.error));
    c.req.addValidatedData(target, result.data as object);
    await next();
  });
  return middleware as unknown as ReturnType<typeof zodValidator<T, Target>>;
}
