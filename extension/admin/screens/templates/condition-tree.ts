/**
 * The condition builder's tree, edited immutably. Groups keep the server's shape (`{ all: [...] }` / `{ any: [...] }`)
 * so a node's path in the editor is exactly the path the server names in a 400 (`all.1.any.0.value`); leaves keep
 * their value as the text the user typed and become typed values (list, number, text) only when sent.
 */
import { CONDITION_FIELDS, CONDITION_OPERATORS, type ConditionLeafT, type ConditionNode } from "../../../../shared/api/templates";

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
export type IntentLevel = "low" | "medium" | "high";
export type GroupMode = "all" | "any";

export interface EditLeaf {
  field: string;
  op: ConditionOperator;
  /** As typed: "C-Level, VP" for `in`, "50" for `gte`. */
  value: string;
  level?: IntentLevel;
}
export type EditGroup = { all: EditNode[] } | { any: EditNode[] };
export type EditNode = EditLeaf | EditGroup;
/** Child indices from the root group: [] is the root, [1, 0] the first child of the root's second child. */
export type NodePath = readonly number[];

export { CONDITION_FIELDS, CONDITION_OPERATORS };
export const INTENT_LEVELS: readonly IntentLevel[] = ["low", "medium", "high"];

export const isGroup = (n: EditNode): n is EditGroup => "all" in n || "any" in n;
export const groupMode = (g: EditGroup): GroupMode => ("all" in g ? "all" : "any");
export const childrenOf = (g: EditGroup): EditNode[] => ("all" in g ? g.all : g.any);
export const makeGroup = (mode: GroupMode, children: EditNode[]): EditGroup =>
  mode === "all" ? { all: children } : { any: children };
export const isIntentField = (field: string): boolean => field === "intent" || field.startsWith("intent.");
export const isNumericOp = (op: string): boolean => op === "gte" || op === "lte";

export function newLeaf(): EditLeaf {
  return { field: "jobTitle", op: "contains", value: "" };
}

/** The node at `path`, or undefined when the path leads nowhere. */
export function nodeAt(root: EditNode, path: NodePath): EditNode | undefined {
  let node: EditNode | undefined = root;
  for (const i of path) {
    if (!node || !isGroup(node)) return undefined;
    node = childrenOf(node)[i];
  }
  return node;
}

/** Replaces the node at `path` with `fn(node)`; `null` removes it. Untouched branches keep their identity. */
function replaceAt(root: EditNode, path: NodePath, fn: (n: EditNode) => EditNode | null): EditNode | null {
  if (path.length === 0) return fn(root);
  if (!isGroup(root)) throw new Error(`no group at ${path.join(".")}`);
  const [head, ...rest] = path as [number, ...number[]];
  const kids = childrenOf(root);
  const child = kids[head];
  if (!child) throw new Error(`no node at ${path.join(".")}`);
  const next = replaceAt(child, rest, fn);
  const copy = kids.slice();
  if (next === null) copy.splice(head, 1);
  else copy[head] = next;
  return makeGroup(groupMode(root), copy);
}

function withGroup(root: EditGroup, path: NodePath, fn: (g: EditGroup) => EditGroup): EditGroup {
  return replaceAt(root, path, (n) => {
    if (!isGroup(n)) throw new Error(`not a group at ${path.join(".")}`);
    return fn(n);
  }) as EditGroup;
}

/** Appends a leaf to the group at `groupPath`. */
export function addLeaf(root: EditGroup, groupPath: NodePath, leaf: EditLeaf = newLeaf()): EditGroup {
  return withGroup(root, groupPath, (g) => makeGroup(groupMode(g), [...childrenOf(g), leaf]));
}

/** Appends a nested group (with one empty leaf to fill in) to the group at `groupPath`. */
export function addGroup(root: EditGroup, groupPath: NodePath, mode: GroupMode = "any"): EditGroup {
  return withGroup(root, groupPath, (g) => makeGroup(groupMode(g), [...childrenOf(g), makeGroup(mode, [newLeaf()])]));
}

/** Removes the node at `path`; removing the root gives null (the role is never assigned automatically). */
export function removeNode(root: EditGroup, path: NodePath): EditGroup | null {
  if (path.length === 0) return null;
  return replaceAt(root, path, () => null) as EditGroup;
}

/** Changes a leaf; a field that is not an intent topic drops the intent level. */
export function updateLeaf(root: EditGroup, path: NodePath, patch: Partial<EditLeaf>): EditGroup {
  return replaceAt(root, path, (n) => {
    if (isGroup(n)) throw new Error(`not a condition at ${path.join(".")}`);
    const next: EditLeaf = { ...n, ...patch };
    if (!isIntentField(next.field)) delete next.level;
    return next;
  }) as EditGroup;
}

/** all (AND) ⇄ any (OR) for the group at `path`, children unchanged. */
export function setGroupMode(root: EditGroup, path: NodePath, mode: GroupMode): EditGroup {
  return withGroup(root, path, (g) => makeGroup(mode, childrenOf(g)));
}

export function toggleGroupMode(root: EditGroup, path: NodePath): EditGroup {
  const g = nodeAt(root, path);
  if (!g || !isGroup(g)) throw new Error(`not a group at ${path.join(".")}`);
  return setGroupMode(root, path, groupMode(g) === "all" ? "any" : "all");
}

/** The server's name for the node at `path` below the conditions: [1, 0] in `{all:[x,{any:[y]}]}` → "all.1.any.0". */
export function serverPath(root: EditGroup, path: NodePath): string {
  const parts: string[] = [];
  let node: EditNode | undefined = root;
  for (const i of path) {
    if (!node || !isGroup(node)) break;
    parts.push(groupMode(node), String(i));
    node = childrenOf(node)[i];
  }
  return parts.join(".");
}

/** Every node with its path, depth first (root first). */
export function walk(root: EditGroup): Array<{ node: EditNode; path: NodePath }> {
  const out: Array<{ node: EditNode; path: NodePath }> = [];
  const visit = (node: EditNode, path: NodePath) => {
    out.push({ node, path });
    if (isGroup(node)) {
      childrenOf(node).forEach((c, i) => {
        visit(c, [...path, i]);
      });
    }
  };
  visit(root, []);
  return out;
}

/** A stored condition tree for editing; a single condition at the top becomes a group of one. */
export function fromConditionNode(node: ConditionNode | null): EditGroup | null {
  if (node === null) return null;
  const convert = (n: ConditionNode): EditNode => {
    if ("all" in n) return { all: n.all.map(convert) };
    if ("any" in n) return { any: n.any.map(convert) };
    const leaf: EditLeaf = { field: n.field, op: n.op, value: Array.isArray(n.value) ? n.value.join(", ") : String(n.value) };
    if (n.level) leaf.level = n.level;
    return leaf;
  };
  const root = convert(node);
  return isGroup(root) ? root : { all: [root] };
}

/** Typed value for sending: `in` takes a comma-separated list, gte/lte a number (left as text when it is none). */
export function leafValue(leaf: EditLeaf): ConditionLeafT["value"] {
  if (leaf.op === "in")
    return leaf.value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  const text = leaf.value.trim();
  if (isNumericOp(leaf.op) && text !== "" && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

/** The tree as the API takes it; the shape (and so every path) is kept exactly. */
export function toConditionNode(node: EditNode): ConditionNode {
  if ("all" in node) return { all: node.all.map(toConditionNode) };
  if ("any" in node) return { any: node.any.map(toConditionNode) };
  const leaf: ConditionLeafT = { field: node.field, op: node.op, value: leafValue(node) };
  if (node.level && isIntentField(node.field)) leaf.level = node.level;
  return leaf;
}

/**
 * Problems the schema lets through but that would surprise: an empty group (all of nothing matches everyone, any of
 * nothing no one) and a condition without a value (contains "" matches every filled-in field). Paths are relative to
 * the conditions; `key` names the message in the screen's catalogue.
 */
export function conditionWarnings(root: EditGroup): Array<{ path: string; key: "emptyGroup" | "emptyValue" }> {
  const out: Array<{ path: string; key: "emptyGroup" | "emptyValue" }> = [];
  for (const { node, path } of walk(root)) {
    const at = serverPath(root, path);
    if (isGroup(node)) {
      if (childrenOf(node).length === 0) out.push({ path: at, key: "emptyGroup" });
    } else {
      const v = leafValue(node);
      if ((Array.isArray(v) && v.length === 0) || v === "") out.push({ path: `${at ? `${at}.` : ""}value`, key: "emptyValue" });
    }
  }
  return out;
}
