/**
 * Unlabelled contact cards: the lines a card shows under a contact's name ("Jane Smith", "VP Engineering",
 * "jane@globex.com", "+1 415 555 0101") told apart by their shape: the e-mail, the phone, and the job title as the
 * first other line after the name.
 */
import { deepText } from "./dom";
import { labelKind } from "./labels";
import { cleanText, LIMITS, parseEmail, parsePhone } from "./text";

export interface CardLines {
  title: string | null;
  email: string | null;
  phone: string | null;
}

const EMAIL_IN_TEXT = /[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}/i;
/** Dates ("12/03/2026", "2026-03-12") are neither phones nor titles. */
const DATE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b/;
/** Times, counts and amounts are not job titles. */
const NOT_A_TITLE = /^[\d\s.,:/+()%$€£-]*$/;

/** The first e-mail address written in a text, lower-cased. */
export function emailInText(text: string): string | null {
  const m = EMAIL_IN_TEXT.exec(text);
  return m ? parseEmail(m[0]) : null;
}

/** Classify the lines of a card whose contact is called `name`; `exclude` are texts known not to be a title. */
export function classifyCardLines(card: Element, name: string, exclude: readonly (string | null)[] = []): CardLines {
  const out: CardLines = { title: null, email: null, phone: null };
  const lines = deepText(card, 5000)
    .split("\n")
    .map((l) => cleanText(l, 300))
    .filter((l): l is string => l !== null);
  const at = lines.indexOf(name);
  for (const [i, line] of lines.entries()) {
    const email = emailInText(line);
    if (email) {
      out.email ??= email;
      continue;
    }
    if (DATE.test(line)) continue;
    const phone = parsePhone(line);
    if (phone) {
      out.phone ??= phone;
      continue;
    }
    if (
      out.title === null &&
      i > at &&
      line !== name &&
      !line.includes(":") &&
      !NOT_A_TITLE.test(line) &&
      labelKind(line) === null &&
      !exclude.includes(line) &&
      Array.from(line).length <= LIMITS.title
    ) {
      out.title = line;
    }
  }
  return out;
}
