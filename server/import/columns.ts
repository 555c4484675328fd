import { fieldIssues } from "../http/validate";

/** `First Name`, `firstName`, `first_name`, `FIRST-NAME` → `first_name`. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** One data row: cells looked up by normalised column name, reported by the header as the file spells it. */
export interface Row {
  /** The CSV line the row starts on (the header is line 1). */
  line: number;
  /** The trimmed cell, or undefined when the column is missing or the cell is blank. */
  get(column: string): string | undefined;
  /** The column as the file's header spells it (the normalised name when the file has no such column). */
  label(column: string): string;
}

/** The header row: where each normalised column is. */
export class Header {
  private constructor(
    private readonly index: Map<string, number>,
    private readonly labels: Map<string, string>,
    readonly width: number,
  ) {}

  /** Throws when two headers mean the same column (e.g. `email` and `Email`). */
  static from(cells: readonly string[]): Header {
    const index = new Map<string, number>();
    const labels = new Map<string, string>();
    cells.forEach((cell, i) => {
      const name = normaliseHeader(cell);
      if (!name) return;
      const label = cell.replace(/^\uFEFF/, "").trim();
      const earlier = labels.get(name);
      if (earlier !== undefined) {
        throw new Error(`the header has two columns for ${name} ('${earlier}' and '${label}'); keep one of them`);
      }
      index.set(name, i);
      labels.set(name, label);
    });
    return new Header(index, labels, cells.length);
  }

  has(column: string): boolean {
    return this.index.has(column);
  }

  label(column: string): string {
    return this.labels.get(column) ?? column;
  }

  columns(): string[] {
    return [...this.labels.values()];
  }

  row(line: number, cells: readonly string[]): Row {
    return {
      line,
      get: (column) => {
        const i = this.index.get(column);
        const v = i === undefined ? undefined : cells[i]?.trim();
        return v ? v : undefined;
      },
      label: (column) => this.label(column),
    };
  }
}

/**
 * Checks the header for the columns a kind needs. `alternatives` lists column sets of which at least one
 * must be complete (e.g. `[["person_email"], ["person_id"]]`). Throws an Error naming what is missing.
 */
export function requireColumns(
  header: Header,
  required: readonly string[],
  alternatives: ReadonlyArray<readonly string[]> = [],
): void {
  const found = header.columns();
  const seen = found.length > 0 ? `; the columns found are ${found.map((c) => `'${c}'`).join(", ")}` : "";
  for (const column of required) {
    if (!header.has(column)) {
      throw new Error(
        `the header row has no ${column} column; add it (spelled ${column}, ${camel(column)} or ${spaced(column)})${seen}`,
      );
    }
  }
  if (alternatives.length > 0 && !alternatives.some((set) => set.every((c) => header.has(c)))) {
    const sets = alternatives.map((set) => set.join(" + "));
    throw new Error(`the header row needs a column for ${listOf(sets, "or")}${seen}`);
  }
}

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const spaced = (column: string) =>
  column
    .split("_")
    .map((w) => (w === "id" ? "ID" : `${w.charAt(0).toUpperCase()}${w.slice(1)}`))
    .join(" ");

/** Zod's default messages, reworded like the shared schemas' own ("must …"). */
export function tidyMessage(message: string): string {
  const rules: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
    [/^Too big: expected string to have <=(\d+) characters?$/, (m) => `must be at most ${m[1]} characters`],
    [/^Too small: expected string to have >=1 characters?$/, () => "must not be empty"],
    [/^Too small: expected string to have >=(\d+) characters?$/, (m) => `must be at least ${m[1]} characters`],
    [/^Too big: expected array to have <=(\d+) items?$/, (m) => `must have at most ${m[1]} entries`],
    [/^Too small: expected number to be >=0$/, () => "must be 0 or more"],
    [/^Invalid input: expected int, received number$/, () => "must be a whole number"],
  ];
  for (const [re, fix] of rules) {
    const m = message.match(re);
    if (m) return fix(m);
  }
  return message;
}

/** Per-column hints appended to a message that does not already say how to fix the value. */
const HINTS: Record<string, string> = {
  country: "use a two-letter country code such as DE",
};

/**
 * A zod error as one reason naming the file's columns: `email must be an email address such as anna@acme.com`.
 * `columnOf` maps a schema path (`crmLinks.0.recordId`) to the column it came from.
 */
export function describeIssues(
  row: Row,
  error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> },
  columnOf: (path: string) => string,
): string {
  const reasons = fieldIssues(error).map((issue) => {
    const column = columnOf(issue.field);
    const hint = HINTS[column];
    return `${row.label(column)} ${tidyMessage(issue.message)}${hint ? ` (${hint})` : ""}`;
  });
  return [...new Set(reasons)].join("; ");
}

/** Where a number column holds something else, the reason; otherwise the number (undefined when blank). */
export function numberCell(
  row: Row,
  column: string,
  opts: { integer?: boolean; example: string },
): { ok: true; value: number | undefined } | { ok: false; reason: string } {
  const raw = row.get(column);
  if (raw === undefined) return { ok: true, value: undefined };
  const s = raw.replace(/[\s_]/g, "");
  const plain = /^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/.test(s) ? s.replace(/,/g, "") : s;
  const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain) ? Number(plain) : Number.NaN;
  const what = opts.integer ? "a whole number" : "a number";
  if (!Number.isFinite(value) || (opts.integer && !Number.isInteger(value))) {
    return { ok: false, reason: `${row.label(column)} must be ${what} such as ${opts.example} (got '${raw}')` };
  }
  if (value < 0) return { ok: false, reason: `${row.label(column)} must be 0 or more (got '${raw}')` };
  return { ok: true, value };
}

/** `a, b and c` / `a or b`. */
export function listOf(items: readonly string[], last = "and"): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} ${last} ${items.at(-1)}` : (items[0] ?? "");
}
