/**
 * The stage model editor's state and checks. Stages carry a stable uid so renaming a stage keeps its transitions and
 * rules; the body refers to stages by name, as the API does. Errors are exactly the server's rules (the shared
 * StageModelBody schema: at least two stages, an entry stage, unique names, transitions and rules between known
 * stages, rules along allowed transitions and without cycles) plus rules left pointing at a deleted stage; warnings
 * point out what the server accepts but is probably a mistake (unreachable stages, dead ends, several entry stages,
 * ways out of success/failure stages).
 */
import { type StageKind, type StageModel, StageModelBody, type StageModelInput } from "../../../../shared/api/stages";
import type { FieldIssue } from "../templates/field-issues";

export interface StageDraft {
  uid: string;
  name: string;
  kind: StageKind;
}

export interface RuleDraft {
  uid: string;
  /** A stage uid; null: from any stage with an allowed transition to `to`. */
  from: string | null;
  to: string;
  minCompleteness: string;
  minEngagement: string;
  openOpportunity: boolean;
}

export interface StageModelDraft {
  name: string;
  stages: StageDraft[];
  /** Allowed transitions between stage uids, in the order they were allowed (the body keeps this order). */
  transitions: Array<{ from: string; to: string }>;
  rules: RuleDraft[];
}

export type StageIssueKey = "deletedStage";
export type StageWarningKey = "unreachable" | "deadEnd" | "multipleEntry" | "leavesTerminal" | "noOutcome";

export interface StageIssue extends FieldIssue {
  key?: StageIssueKey;
}
export interface StageWarning {
  field: string;
  key: StageWarningKey;
  params: Record<string, string>;
}

let seq = 0;
export const nextStageUid = (): string => `s${++seq}`;

export const TERMINAL_KINDS: readonly StageKind[] = ["success", "failure"];

export function fromStageModel(m: StageModel): StageModelDraft {
  const stages = [...m.stages].sort((a, b) => a.position - b.position);
  return {
    name: m.name,
    stages: stages.map((s) => ({ uid: s.id, name: s.name, kind: s.kind })),
    transitions: m.transitions.map((t) => ({ from: t.fromStageId, to: t.toStageId })),
    rules: m.rules.map((r) => ({
      uid: nextStageUid(),
      from: r.fromStageId,
      to: r.toStageId,
      minCompleteness: r.minCompleteness === null ? "" : String(r.minCompleteness),
      minEngagement: r.minEngagement === null ? "" : String(r.minEngagement),
      openOpportunity: r.openOpportunity,
    })),
  };
}

/** A copy with fresh uids (a new draft made from a live model). */
export function copyDraft(d: StageModelDraft, name: string): StageModelDraft {
  const ids = new Map(d.stages.map((s) => [s.uid, nextStageUid()]));
  const id = (uid: string) => ids.get(uid) ?? uid;
  return {
    name,
    stages: d.stages.map((s) => ({ ...s, uid: id(s.uid) })),
    transitions: d.transitions.map((t) => ({ from: id(t.from), to: id(t.to) })),
    rules: d.rules.map((r) => ({ ...r, uid: nextStageUid(), from: r.from === null ? null : id(r.from), to: id(r.to) })),
  };
}

/** A new model: entry → in progress → success / failure, with those transitions allowed. */
export function starterModel(names: { entry: string; inProgress: string; success: string; failure: string }): StageModelDraft {
  const stages: StageDraft[] = [
    { uid: nextStageUid(), name: names.entry, kind: "entry" },
    { uid: nextStageUid(), name: names.inProgress, kind: "in_progress" },
    { uid: nextStageUid(), name: names.success, kind: "success" },
    { uid: nextStageUid(), name: names.failure, kind: "failure" },
  ];
  const [a, b, c, d] = stages.map((s) => s.uid) as [string, string, string, string];
  return {
    name: "",
    stages,
    transitions: [
      { from: a, to: b },
      { from: b, to: c },
      { from: b, to: d },
    ],
    rules: [],
  };
}

export const hasTransition = (d: StageModelDraft, from: string, to: string): boolean =>
  d.transitions.some((t) => t.from === from && t.to === to);

export function toggleTransition(d: StageModelDraft, from: string, to: string): StageModelDraft {
  if (from === to) return d;
  return {
    ...d,
    transitions: hasTransition(d, from, to)
      ? d.transitions.filter((t) => !(t.from === from && t.to === to))
      : [...d.transitions, { from, to }],
  };
}

export function addStage(d: StageModelDraft, name = "", kind: StageKind = "in_progress"): StageModelDraft {
  return { ...d, stages: [...d.stages, { uid: nextStageUid(), name, kind }] };
}

/** Removes a stage and its transitions; rules that refer to it stay, flagged, until they are changed or removed. */
export function removeStage(d: StageModelDraft, uid: string): StageModelDraft {
  return {
    ...d,
    stages: d.stages.filter((s) => s.uid !== uid),
    transitions: d.transitions.filter((t) => t.from !== uid && t.to !== uid),
  };
}

export function updateStage(d: StageModelDraft, uid: string, patch: Partial<Omit<StageDraft, "uid">>): StageModelDraft {
  return { ...d, stages: d.stages.map((s) => (s.uid === uid ? { ...s, ...patch } : s)) };
}

export function moveStage(d: StageModelDraft, index: number, delta: number): StageModelDraft {
  const to = index + delta;
  if (index < 0 || to < 0 || index >= d.stages.length || to >= d.stages.length) return d;
  const stages = d.stages.slice();
  const [s] = stages.splice(index, 1);
  stages.splice(to, 0, s as StageDraft);
  return { ...d, stages };
}

const numberOrNull = (text: string): number | null => (text.trim() === "" ? null : Number(text));

/** The request body: stages in order, transitions and rules by stage name. */
export function toStageModelBody(d: StageModelDraft): StageModelInput {
  const name = new Map(d.stages.map((s) => [s.uid, s.name]));
  return {
    name: d.name,
    stages: d.stages.map((s) => ({ name: s.name, kind: s.kind })),
    transitions: d.transitions.map((t) => ({ from: name.get(t.from) ?? "", to: name.get(t.to) ?? "" })),
    rules: d.rules.map((r) => ({
      from: r.from === null ? null : (name.get(r.from) ?? ""),
      to: name.get(r.to) ?? "",
      minCompleteness: numberOrNull(r.minCompleteness),
      minEngagement: numberOrNull(r.minEngagement),
      openOpportunity: r.openOpportunity,
    })),
  };
}

/** Stage uids reachable from the entry stages along allowed transitions. */
export function reachableStages(d: StageModelDraft): Set<string> {
  const seen = new Set(d.stages.filter((s) => s.kind === "entry").map((s) => s.uid));
  const queue = [...seen];
  while (queue.length) {
    const at = queue.shift()!;
    for (const t of d.transitions)
      if (t.from === at && !seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
  }
  return seen;
}

export function validateStageModel(d: StageModelDraft): { errors: StageIssue[]; warnings: StageWarning[] } {
  const errors: StageIssue[] = [];
  const known = new Set(d.stages.map((s) => s.uid));
  d.rules.forEach((r, i) => {
    if (r.from !== null && !known.has(r.from))
      errors.push({ field: `rules.${i}.from`, message: "refers to a deleted stage", key: "deletedStage" });
    if (!known.has(r.to)) errors.push({ field: `rules.${i}.to`, message: "refers to a deleted stage", key: "deletedStage" });
  });
  const flagged = new Set(errors.map((e) => e.field));
  const folded = d.stages.map((s) => s.name.trim().toLowerCase());
  const badNames = folded.some((n, i) => n === "" || folded.indexOf(n) !== i);
  const parsed = StageModelBody.safeParse(toStageModelBody(d));
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = i.path.map(String).join(".") || "(body)";
      if (flagged.has(field)) continue;
      // An unnamed or twice-named stage is reported once, at the stage, not again at every transition naming it.
      if (
        badNames &&
        /^(transitions|rules)\./.test(field) &&
        (i.code === "too_small" || /is not a stage|to itself/.test(i.message))
      )
        continue;
      errors.push({ field, message: i.message });
    }
  }

  const warnings: StageWarning[] = [];
  const entries = d.stages.filter((s) => s.kind === "entry");
  if (entries.length > 1) warnings.push({ field: "stages", key: "multipleEntry", params: { name: entries[0]!.name } });
  if (!d.stages.some((s) => TERMINAL_KINDS.includes(s.kind))) warnings.push({ field: "stages", key: "noOutcome", params: {} });
  const reachable = reachableStages(d);
  d.stages.forEach((s, i) => {
    const out = d.transitions.filter((t) => t.from === s.uid).length;
    if (entries.length > 0 && !reachable.has(s.uid))
      warnings.push({ field: `stages.${i}`, key: "unreachable", params: { name: s.name } });
    if (TERMINAL_KINDS.includes(s.kind) && out > 0)
      warnings.push({ field: `stages.${i}`, key: "leavesTerminal", params: { name: s.name } });
    if (!TERMINAL_KINDS.includes(s.kind) && out === 0)
      warnings.push({ field: `stages.${i}`, key: "deadEnd", params: { name: s.name } });
  });
  return { errors, warnings };
}

/** Every path the stage editor shows: model name, each stage row and its inputs, each allowed transition, each rule. */
export function knownStageFields(d: StageModelDraft): Set<string> {
  const known = new Set(["", "name", "stages", "transitions", "rules"]);
  d.stages.forEach((_, i) => {
    for (const f of ["", ".name", ".kind"]) known.add(`stages.${i}${f}`);
  });
  d.transitions.forEach((_, i) => {
    known.add(`transitions.${i}`);
  });
  d.rules.forEach((_, i) => {
    for (const f of ["", ".from", ".to", ".minCompleteness", ".minEngagement", ".openOpportunity"]) known.add(`rules.${i}${f}`);
  });
  return known;
}
