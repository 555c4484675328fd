/**
 * The SOQL the Quorum connector sends, parsed for the fake: `SELECT fields FROM Object [WHERE a op v
 * AND …] [ORDER BY f [ASC|DESC], …] [LIMIT n]`, with string, number, boolean, null and date-time
 * literals (SOQL Reference: "SELECT", "Comparison Operators", "Date Formats and Date Literals").
 * Anything else is a MALFORMED_QUERY, as Salesforce answers.
 */
export interface Soql {
  fields: string[];
  object: string;
  where: Array<{ field: string; op: "=" | "!=" | ">" | ">=" | "<" | "<="; value: string | number | boolean | null }>;
  orderBy: Array<{ field: string; desc: boolean }>;
  limit: number | null;
}

export class SoqlError extends Error {}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

export function parseSoql(q: string): Soql {
  const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(q);
  if (!m) throw new SoqlError(`unexpected token in '${q.slice(0, 80)}'`);
  const fields = m[1]!.split(",").map((f) => f.trim());
  if (fields.some((f) => !/^[A-Za-z_][\w.]*$/.test(f))) throw new SoqlError("bad field list");
  const where: Soql["where"] = [];
  if (m[3]) {
    for (const part of splitAnd(m[3])) {
      const c = /^\s*([\w.]+)\s*(!=|>=|<=|=|>|<)\s*(.+?)\s*$/s.exec(part);
      if (!c) throw new SoqlError(`unexpected condition '${part}'`);
      where.push({ field: c[1]!, op: c[2] as Soql["where"][number]["op"], value: literal(c[3]!) });
    }
  }
  const orderBy = m[4]
    ? m[4].split(",").map((o) => {
        const [field, dir] = o.trim().split(/\s+/);
        return { field: field!, desc: (dir ?? "").toUpperCase() === "DESC" };
      })
    : [];
  return { fields, object: m[2]!, where, orderBy, limit: m[5] ? Number(m[5]) : null };
}

function splitAnd(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "'" && s[i - 1] !== "\\") quoted = !quoted;
    if (!quoted && /^\sAND\s/i.test(s.slice(i, i + 5))) {
      out.push(cur);
      cur = "";
      i += 4;
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

function literal(v: string): string | number | boolean | null {
  if (/^'.*'$/s.test(v)) return v.slice(1, -1).replace(/\\'/g, "'");
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  if (/^null$/i.test(v)) return null;
  if (DATETIME.test(v)) return new Date(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")).toISOString();
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  throw new SoqlError(`unexpected literal '${v}'`);
}

/** Salesforce date-times (`2026-11-23T10:00:00.000+0000`) compare as instants. */
function comparable(v: unknown): unknown {
  if (typeof v === "string" && DATETIME.test(v)) return Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return v;
}

export function matches(record: Record<string, unknown>, where: Soql["where"]): boolean {
  return where.every(({ field, op, value }) => {
    const a = comparable(record[field] ?? null);
    const b = comparable(value);
    if (op === "=") return a === b;
    if (op === "!=") return a !== b;
    if (a === null || b === null) return false;
    if (op === ">") return (a as number) > (b as number);
    if (op === ">=") return (a as number) >= (b as number);
    if (op === "<") return (a as number) < (b as number);
    return (a as number) <= (b as number);
  });
}

export function compareBy(orderBy: Soql["orderBy"]) {
  return (x: Record<string, unknown>, y: Record<string, unknown>) => {
    for (const { field, desc } of orderBy) {
      const a = comparable(x[field] ?? null) as string | number;
      const b = comparable(y[field] ?? null) as string | number;
      if (a < b) return desc ? 1 : -1;
      if (a > b) return desc ? -1 : 1;
    }
    return 0;
  };
}
