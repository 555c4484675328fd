import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
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

/** zValidator that answers with Quorum's error shape; the parsed value keeps its inferred type. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw validationError(TARGET_NAMES[target] ?? target, fieldIssues(result.error));
    }
  });
}
