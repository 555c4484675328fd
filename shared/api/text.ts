/**
 * Text every database can store and every screen can show honestly.
 *
 * - Any text (bodies, path parameters, query strings, headers): no NUL (PostgreSQL's text cannot hold
 *   U+0000: "invalid byte sequence 0x00") and no lone UTF-16 surrogate (it is not Unicode text: the
 *   database driver writes it as U+FFFD, so what is stored is not what was sent, and an id that holds
 *   one collides with another id).
 * - Names (people, accounts, users, tokens, templates, roles, stages, workspaces, emails…) also refuse
 *   bidirectional controls (a user named `\u202Eevil\u202C` shows as "live") and control characters
 *   other than tab and line breaks. Refused rather than stripped: a silently changed name is harder to find than a 400.
 */

export interface TextIssue {
  field: string;
  message: string;
}

/** NUL, or a surrogate; the pair check below tells paired surrogates (fine) from lone ones. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** Why `s` cannot be stored as text, or null when it can. */
export function unsafeTextReason(s: string): string | null {
  if (!SUSPECT.test(s)) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return "contains a NUL character (U+0000), which text cannot hold; remove it";
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff)
      return `contains a lone surrogate (U+${c.toString(16).toUpperCase()}), which is not valid Unicode text; send UTF-8 text`;
  }
  return null;
}

/** Bidirectional formatting characters (Unicode UAX #9): embeddings, overrides, isolates and marks. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
/**
 * C0 and C1 control characters but tab, line feed and carriage return: whitespace that a spreadsheet
 * cell can hold (a CSV import keeps a quoted line break) and that shows as a space.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Why `s` is not acceptable as a name, or null. */
export function unsafeNameReason(s: string): string | null {
  const text = unsafeTextReason(s);
  if (text) return text;
  const bidi = BIDI.exec(s);
  if (bidi)
    return `contains a bidirectional control character (U+${bidi[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) that can make a name display differently from what it is; remove it`;
  const control = CONTROL.exec(s);
  if (control)
    return `contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}); remove it`;
  return null;
}

const fieldOf = (path: ReadonlyArray<string | number>) => path.map(String).join(".") || "(body)";

export interface TextScanOptions {
  /** Field name prefixed to every path (e.g. a query parameter's name). */
  prefix?: ReadonlyArray<string | number>;
  /** A top-level array whose items are checked one by one elsewhere (a batch with per-item results). */
  skipItemsOf?: string;
  /** Stop after this many issues (a 400 names the first ones; the rest repeat them). */
  maxIssues?: number;
}

/**
 * Every string and object key in a parsed JSON value that cannot be stored as text, with its path in
 * the dotted form every 400 uses (`members.3.roleKey`). Iterative, so any nesting is safe to walk.
 */
export function unsafeTextIssues(value: unknown, options: TextScanOptions = {}): TextIssue[] {
  const issues: TextIssue[] = [];
  const max = options.maxIssues ?? 20;
  const stack: Array<{ v: unknown; path: ReadonlyArray<string | number> }> = [{ v: value, path: options.prefix ?? [] }];
  while (stack.length > 0 && issues.length < max) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      const reason = unsafeTextReason(v);
      if (reason) issues.push({ field: fieldOf(path), message: reason });
    } else if (Array.isArray(v)) {
      if (path.length === 1 && path[0] === options.skipItemsOf) continue;
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    } else if (typeof v === "object" && v !== null) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const reason = unsafeTextReason(key);
        if (reason) issues.push({ field: fieldOf(path), message: `has a key that ${reason}` });
        else stack.push({ v: (v as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return issues;
}

/** True when some string or key in `value` cannot be stored (the quick question; see unsafeTextIssues). */
export function hasUnsafeText(value: unknown): boolean {
  return unsafeTextIssues(value, { maxIssues: 1 }).length > 0;
}
