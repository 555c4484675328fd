/**
 * Pure logic of the solution-interest editor and the audience builder: form state ↔ request bodies, tag lists,
 * client-side checks (the server's own rules stay authoritative: its field issues are shown next to the same fields)
 * and job progress wording.
 */
import type { AccountAudienceT, LifecycleJob } from "../../../../shared/api/jobs";
import type { SolutionInterest } from "../../../../shared/api/solution-interests";

export interface InterestForm {
  name: string;
  description: string;
  roleTemplateId: string;
  /** "" = no stage model. */
  stageModelId: string;
  keywords: string[];
  products: string[];
}

export type InterestField = keyof InterestForm;

export const EMPTY_INTEREST: InterestForm = {
  name: "",
  description: "",
  roleTemplateId: "",
  stageModelId: "",
  keywords: [],
  products: [],
};

export function formFromInterest(si: SolutionInterest): InterestForm {
  return {
    name: si.name,
    description: si.description,
    roleTemplateId: si.roleTemplateId,
    stageModelId: si.stageModelId ?? "",
    keywords: [...si.keywords],
    products: [...si.products],
  };
}

export function interestBody(f: InterestForm) {
  return {
    name: f.name.trim(),
    description: f.description.trim(),
    roleTemplateId: f.roleTemplateId,
    stageModelId: f.stageModelId || null,
    keywords: f.keywords,
    products: f.products,
  };
}

/** Adds the comma- or newline-separated values of `text` to `tags` (trimmed, no empty ones, no case-insensitive duplicates). */
export function addTags(tags: readonly string[], text: string): string[] {
  const out = [...tags];
  for (const raw of text.split(/[,\n]/)) {
    const v = raw.trim();
    if (v && !out.some((t) => t.toLowerCase() === v.toLowerCase())) out.push(v);
  }
  return out;
}

export type FieldProblem = {
  field: string;
  key: "required" | "tooLong" | "notNumber" | "negative" | "minAboveMax";
  max?: number;
};

/** What the browser can tell before asking the server (the same limits as shared/api/solution-interests.ts). */
export function checkInterest(f: InterestForm): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!f.name.trim()) out.push({ field: "name", key: "required" });
  else if (f.name.trim().length > 200) out.push({ field: "name", key: "tooLong", max: 200 });
  if (f.description.trim().length > 2000) out.push({ field: "description", key: "tooLong", max: 2000 });
  if (!f.roleTemplateId) out.push({ field: "roleTemplateId", key: "required" });
  if (f.keywords.some((k) => k.length > 100)) out.push({ field: "keywords", key: "tooLong", max: 100 });
  if (f.products.some((k) => k.length > 200)) out.push({ field: "products", key: "tooLong", max: 200 });
  return out;
}

/** The form field a server issue belongs to: `keywords.3` → `keywords`; unknown fields → "" (shown above the form). */
export function issueField<F extends string>(field: string, known: readonly F[]): F | "" {
  const head = field.split(".")[0] ?? "";
  return (known as readonly string[]).includes(head) ? (head as F) : "";
}

export interface AudienceForm {
  industries: string[];
  segments: string[];
  countries: string[];
  revenueMin: string;
  revenueMax: string;
  parentIds: string[];
  accountIds: string[];
}

export type AudienceField = keyof AudienceForm;

export const EMPTY_AUDIENCE: AudienceForm = {
  industries: [],
  segments: [],
  countries: [],
  revenueMin: "",
  revenueMax: "",
  parentIds: [],
  accountIds: [],
};

const parseAmount = (s: string): number | null | "bad" => {
  const v = s.trim().replace(/[\s_']/g, "");
  if (!v) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : "bad";
};

/** The AccountAudience body of the builder (only the criteria given), or the problems that keep it from being one. */
export function audienceFromForm(f: AudienceForm): { audience: AccountAudienceT; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const audience: AccountAudienceT = {};
  if (f.industries.length) audience.industries = f.industries;
  if (f.segments.length) audience.segments = f.segments;
  if (f.countries.length) audience.countries = f.countries;
  if (f.parentIds.length) audience.parentIds = f.parentIds;
  if (f.accountIds.length) audience.accountIds = f.accountIds;
  for (const key of ["revenueMin", "revenueMax"] as const) {
    const n = parseAmount(f[key]);
    if (n === "bad") problems.push({ field: key, key: "notNumber" });
    else if (n !== null && n < 0) problems.push({ field: key, key: "negative" });
    else if (n !== null) audience[key] = n;
  }
  if (audience.revenueMin !== undefined && audience.revenueMax !== undefined && audience.revenueMin > audience.revenueMax)
    problems.push({ field: "revenueMin", key: "minAboveMax" });
  return { audience, problems };
}

export const isActive = (j: Pick<LifecycleJob, "status">) =>
  j.status === "queued" || j.status === "running" || j.status === "cancelling";

export const canCancel = (j: Pick<LifecycleJob, "status">) => j.status === "queued" || j.status === "running";

/** 0–100, for a job's progress bar (a job with nothing to do is complete when it is done). */
export function progressPercent(j: Pick<LifecycleJob, "status" | "progress">): number {
  const { done, total } = j.progress;
  if (total <= 0) return j.status === "done" ? 100 : 0;
  return Math.min(100, Math.round((done / total) * 100));
}
