import type { ConditionLeafT, ConditionNode } from "../api/templates";
import { foldText } from "./fold-text";
import { type IntentLevel, type IntentType, levelRank } from "./intent";
import { parseJobTitle } from "./job-title";

export { foldText };

/** The person fields a condition can test; `attributes.<name>` reads a custom attribute. */
export interface RuleSubject {
  jobTitle: string | null;
  department: string | null;
  seniority: string | null;
  country: string | null;
  email: string | null;
  score: number;
  attributes: Record<string, string | number | boolean | null>;
  /** The person's intent topics with their level (see shared/domain/intent). */
  intent: ReadonlyArray<{ type: IntentType; topic: string; level: IntentLevel }>;
}

/**
 * A rule subject from any person-like record; missing fields are null, score 0, no attributes. A person without an
 * explicit seniority or department gets the one their job title says (see {@link parseJobTitle}): CRM pages and most
 * imports show a title only, and role rules are usually written on seniority and department.
 */
export function ruleSubject(p: Partial<RuleSubject>): RuleSubject {
  const seniority = p.seniority?.trim() ? p.seniority : null;
  const department = p.department?.trim() ? p.department : null;
  const inferred = seniority === null || department === null ? parseJobTitle(p.jobTitle) : null;
  return {
    jobTitle: p.jobTitle ?? null,
    department: department ?? inferred?.department ?? null,
    seniority: seniority ?? inferred?.seniority ?? null,
    country: p.country ?? null,
    email: p.email ?? null,
    score: p.score ?? 0,
    attributes: p.attributes ?? {},
    intent: p.intent ?? [],
  };
}

function fieldValue(subject: RuleSubject, field: string): string | number | null {
  if (field.startsWith("attributes.")) {
    const v = subject.attributes[field.slice("attributes.".length)];
    return v === undefined || v === null ? null : typeof v === "boolean" ? String(v) : v;
  }
  switch (field) {
    case "jobTitle":
    case "department":
    case "seniority":
    case "country":
      return subject[field];
    case "emailDomain":
      return subject.email?.split("@")[1] ?? null;
    case "score":
      return subject.score;
    default:
      return null;
  }
}

function testText(actual: string | number | null, leaf: ConditionLeafT): boolean {
  const a = actual === null ? "" : foldText(String(actual));
  const values = (Array.isArray(leaf.value) ? leaf.value : [String(leaf.value)]).map((v) => foldText(String(v)));
  switch (leaf.op) {
    case "contains":
      return actual !== null && values.some((v) => a.includes(v));
    case "not_contains":
      return !values.some((v) => a.includes(v));
    case "equals":
    case "in":
      return actual !== null && values.includes(a);
    case "not_equals":
      return !values.includes(a);
    case "starts_with":
      return actual !== null && values.some((v) => a.startsWith(v));
    default:
      return false;
  }
}

/** Intent leaves: does some topic of the type, at the level or above, match? Negative operators: does none? */
function testIntent(subject: RuleSubject, leaf: ConditionLeafT): boolean {
  const type = leaf.field === "intent" ? null : leaf.field.slice("intent.".length);
  const min = levelRank(leaf.level ?? "low");
  const topics = subject.intent.filter((t) => (type === null || t.type === type) && levelRank(t.level) >= min);
  const negative = leaf.op === "not_contains" || leaf.op === "not_equals";
  const positive = {
    ...leaf,
    op: leaf.op === "not_contains" ? "contains" : leaf.op === "not_equals" ? "equals" : leaf.op,
  } as ConditionLeafT;
  const any = topics.some((t) => testText(t.topic, positive));
  return negative ? !any : any;
}

function testLeaf(subject: RuleSubject, leaf: ConditionLeafT): boolean {
  if (leaf.field === "intent" || leaf.field.startsWith("intent.")) return testIntent(subject, leaf);
  const actual = fieldValue(subject, leaf.field);
  if (leaf.op === "gte" || leaf.op === "lte") {
    const a = typeof actual === "number" ? actual : Number(actual);
    const b = Number(leaf.value);
    if (actual === null || Number.isNaN(a) || Number.isNaN(b)) return false;
    return leaf.op === "gte" ? a >= b : a <= b;
  }
  return testText(actual, leaf);
}

/** Evaluates a condition tree; returns the leaves that matched (for "why is this person in this role"), or null. */
export function matchConditions(subject: RuleSubject, node: ConditionNode): ConditionLeafT[] | null {
  if ("all" in node) {
    const hits: ConditionLeafT[] = [];
    for (const child of node.all) {
      const m = matchConditions(subject, child);
      if (!m) return null;
      hits.push(...m);
    }
    return hits;
  }
  if ("any" in node) {
    for (const child of node.any) {
      const m = matchConditions(subject, child);
      if (m) return m;
    }
    return null;
  }
  return testLeaf(subject, node) ? [node] : null;
}

/** The first role (in priority order) whose conditions match, with the leaves that matched. */
export function chooseRole<R extends { key: string; priority: number; conditions: ConditionNode | null }>(
  subject: RuleSubject,
  roles: readonly R[],
): { role: R; matched: ConditionLeafT[] } | null {
  for (const role of [...roles].sort((a, b) => a.priority - b.priority)) {
    if (!role.conditions) continue;
    const matched = matchConditions(subject, role.conditions);
    if (matched) return { role, matched };
  }
  return null;
}
