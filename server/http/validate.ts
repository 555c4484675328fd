import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import { QuorumError } from "../../shared/errors";

export interface FieldIssue {
  field: string;
  message: string;
}

/** Zod issues as `{ field: "members.3.roleKey", message }`, the shape every 400 carries in `details.issues`. */
export function fieldIssues(
  error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> },
  prefix = "",
): FieldIssue[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join(".") || "(body)",
    message: i.message,
  }));
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
 * zValidator that answers with Quorum's error shape; the parsed value keeps its inferred type.
 *
 * URL parameters and query strings skip Hono's generic validator, which reads the request's
 * Content-Type first (under the Node adapter that builds a whole Fetch `Headers` object) and parses
 * asynchronously: a noticeable share of a cached `GET /api/groups/:id`. Same value, same schema
 * (parsed synchronously: no schema here refines asynchronously), same error.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
): ReturnType<typeof zodValidator<T, Target>> {
  if (target !== "param" && target !== "query") return zodValidator(target, schema);
  const middleware = createMiddleware(async (c, next) => {
    const value =
      target === "param"
        ? c.req.param()
        : Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
    const result = schema.safeParse(value);
    if (!result.success) throw validationError(TARGET_NAMES[target] ?? target, fieldIssues(result.error));
    c.req.addValidatedData(target, result.data as object);
    await next();
  });
  return middleware as unknown as ReturnType<typeof zodValidator<T, Target>>;
}
