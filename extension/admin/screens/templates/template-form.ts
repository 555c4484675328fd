/**
 * The role template editor's state and its conversions: a draft as typed (numbers and lists stay text until sent), the
 * API body, client-side checks with the shared schema (the same rules the server applies, so problems show before a
 * round trip) and the set of field paths the editor renders, for placing each problem next to its input.
 */
import { type RoleTemplate, TemplateBody, type TemplateInput } from "../../../../shared/api/templates";
import type { Weighting } from "../../../../shared/scoring/weighting";
import {
  conditionWarnings,
  type EditGroup,
  fromConditionNode,
  isGroup,
  newLeaf,
  serverPath,
  toConditionNode,
  walk,
} from "./condition-tree";
import type { FieldIssue } from "./field-issues";

export interface RoleDraft {
  /** Stable across reorders (list keys, focus); never sent. */
  uid: string;
  key: string;
  /** The key follows the name until the user edits the key (new roles only). */
  keyEdited: boolean;
  name: string;
  weighting: Weighting;
  membersRequired: string;
  countsTowardCompleteness: boolean;
  decisionMaker: boolean;
  conditions: EditGroup | null;
}

export interface TemplateDraft {
  name: string;
  description: string;
  roles: RoleDraft[];
}

/** A client-side problem; `key` is a message of the screen's catalogue (translated), else `message` is shown. */
export interface DraftIssue extends FieldIssue {
  key?: "emptyGroup" | "emptyValue";
}

let uidSeq = 0;
export const nextUid = (): string => `r${++uidSeq}`;

/** "Decision maker" → "decision-maker" (lower-case letters, digits and dashes, as the API requires). */
export function keyFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
}

export function newRole(existingKeys: readonly string[] = []): RoleDraft {
  let n = existingKeys.length + 1;
  while (existingKeys.includes(`role-${n}`)) n++;
  return {
    uid: nextUid(),
    key: `role-${n}`,
    keyEdited: false,
    name: "",
    weighting: "normal",
    membersRequired: "1",
    countsTowardCompleteness: true,
    decisionMaker: false,
    conditions: { all: [newLeaf()] },
  };
}

export function emptyDraft(): TemplateDraft {
  return { name: "", description: "", roles: [newRole()] };
}

export function fromTemplate(t: RoleTemplate): TemplateDraft {
  return {
    name: t.name,
    description: t.description,
    roles: [...t.roles]
      .sort((a, b) => a.priority - b.priority)
      .map((r) => ({
        uid: nextUid(),
        key: r.key,
        keyEdited: true,
        name: r.name,
        weighting: r.weighting,
        membersRequired: String(r.membersRequired),
        countsTowardCompleteness: r.countsTowardCompleteness,
        decisionMaker: r.decisionMaker,
        conditions: fromConditionNode(r.conditions),
      })),
  };
}

/** The request body, roles in priority order; every condition path is the editor's own. */
export function toTemplateBody(d: TemplateDraft): TemplateInput {
  return {
    name: d.name,
    description: d.description,
    roles: d.roles.map((r) => ({
      key: r.key.trim(),
      name: r.name,
      weighting: r.weighting,
      membersRequired: r.membersRequired.trim() === "" ? Number.NaN : Number(r.membersRequired),
      countsTowardCompleteness: r.countsTowardCompleteness,
      decisionMaker: r.decisionMaker,
      conditions: r.conditions ? toConditionNode(r.conditions) : null,
    })),
  };
}

/** The shared schema's problems (exactly what the server would answer) plus empty groups and values. */
export function validateTemplateDraft(d: TemplateDraft): DraftIssue[] {
  const parsed = TemplateBody.safeParse(toTemplateBody(d));
  const issues: DraftIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        field: i.path.map(String).join(".") || "(body)",
        message: i.path.at(-1) === "membersRequired" && i.code === "invalid_type" ? "must be a whole number" : i.message,
      }));
  d.roles.forEach((r, i) => {
    if (!r.conditions) return;
    for (const w of conditionWarnings(r.conditions)) {
      issues.push({
        field: `roles.${i}.conditions${w.path ? `.${w.path}` : ""}`,
        message: w.key === "emptyGroup" ? "add a condition to this group or remove it" : "needs a value",
        key: w.key,
      });
    }
  });
  return issues;
}

/** Every path the editor shows an input (or a row) for. */
export function knownTemplateFields(d: TemplateDraft): Set<string> {
  const known = new Set(["", "name", "description", "roles"]);
  d.roles.forEach((r, i) => {
    const base = `roles.${i}`;
    for (const f of [
      "",
      ".key",
      ".name",
      ".weighting",
      ".membersRequired",
      ".countsTowardCompleteness",
      ".decisionMaker",
      ".conditions",
    ])
      known.add(`${base}${f}`);
    if (!r.conditions) return;
    for (const { node, path } of walk(r.conditions)) {
      const at = serverPath(r.conditions, path);
      const p = `${base}.conditions${at ? `.${at}` : ""}`;
      known.add(p);
      if (!isGroup(node)) for (const f of ["field", "op", "value", "level"]) known.add(`${p}.${f}`);
    }
  });
  return known;
}

/** Moves the role at `index` by `delta` places (priority order); out of range leaves the list as it is. */
export function moveRole<T>(roles: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= roles.length || to < 0 || to >= roles.length) return roles.slice();
  const copy = roles.slice();
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item as T);
  return copy;
}
