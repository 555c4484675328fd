/**
 * Server (and schema) problems name a field by its path, e.g. `roles.2.conditions.all.0.value`. An editor renders one
 * input per known path; each problem goes to the input with that path, or to its nearest rendered ancestor (a union
 * failure on `roles.2.conditions.all.0` lands on that condition), or to the form itself ("") when nothing matches.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The closest known path to `field`: itself, else the longest known prefix (by whole segments), else "". */
export function nearestField(field: string, known: ReadonlySet<string>): string {
  if (field === "(body)") return "";
  const parts = field.split(".");
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join(".");
    if (known.has(candidate)) return candidate;
  }
  return "";
}

/** Issues grouped by the input that shows them (see {@link nearestField}); messages keep their order, no duplicates. */
export function mapIssues(issues: readonly FieldIssue[], known: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const issue of issues) {
    const at = nearestField(issue.field, known);
    const list = out.get(at) ?? [];
    if (!list.includes(issue.message)) list.push(issue.message);
    out.set(at, list);
  }
  return out;
}

/** A DOM id for the input showing `path` (ids cannot hold dots in CSS selectors comfortably). */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, "-") || "form"}`;
}
