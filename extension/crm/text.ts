/**
 * Sanitising of text read from CRM pages. Everything on the page is untrusted: these helpers collapse whitespace,
 * drop control and bidi-override characters, cap lengths and validate shapes (emails, phones, domains).
 */

/** Length caps, in characters (code points), for values read from a page. */
export const LIMITS = {
  name: 200,
  title: 200,
  email: 254,
  phone: 40,
  domain: 253,
  recordId: 100,
} as const;

// C0/C1 controls, zero-width characters, bidi embeddings/overrides/isolates, BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const WHITESPACE = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/** Trim, collapse whitespace, strip invisible characters and cap to `max` code points; null when nothing is left. */
export function cleanText(input: string | null | undefined, max: number = LIMITS.name): string | null {
  if (input == null) return null;
  const s = input.replace(INVISIBLE, "").replace(WHITESPACE, " ").trim();
  if (s === "") return null;
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max).join("").trimEnd();
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** A plausible e-mail address, lower-cased; null otherwise. */
export function parseEmail(input: string | null | undefined): string | null {
  const s = cleanText(input, 1000)?.toLowerCase();
  if (!s || s.length > LIMITS.email) return null;
  return EMAIL.test(s) ? s : null;
}

/** `mailto:Jane%40acme.com?subject=Hi` → `jane@acme.com`; the first address when there are several. */
export function emailFromMailto(href: string): string | null {
  const m = /^\s*mailto:([^?#]*)/i.exec(href);
  if (!m?.[1]) return null;
  const first = safeDecode(m[1]).split(/[,;]/)[0] ?? "";
  return parseEmail(first);
}

const PHONE_CHARS = /^[+]?[0-9()\-.\s/]*[0-9][0-9()\-.\s/]*(?:\s*(?:x|ext\.?|extension|#|;ext=)\s*[0-9]{1,6})?$/i;

/** A plausible phone number as displayed (at least 3 digits, phone characters only); null otherwise. */
export function parsePhone(input: string | null | undefined): string | null {
  const s = cleanText(input, 200);
  if (!s || Array.from(s).length > LIMITS.phone) return null;
  if (!PHONE_CHARS.test(s)) return null;
  return (s.match(/[0-9]/g)?.length ?? 0) >= 3 ? s : null;
}

/** `tel:+1%20415-555-0100` (or `callto:`) → `+1 415-555-0100`; null when it is not a phone link. */
export function phoneFromTelHref(href: string): string | null {
  const m = /^\s*(?:tel|callto):(?:\/\/)?([^?#]*)/i.exec(href);
  if (!m?.[1]) return null;
  return parsePhone(safeDecode(m[1]));
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Normalise a website link or text to a bare domain: `https://www.Acme.com/about` → `acme.com`,
 * `www.acme.co.uk` → `acme.co.uk`. Null for anything that is not a public-looking domain (IP addresses, `localhost`,
 * `mailto:` and other schemes).
 */
export function normaliseDomain(input: string | null | undefined): string | null {
  const s = cleanText(input, 2048);
  if (!s || /\s/.test(s)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s);
  let candidate: string;
  if (scheme && s.slice(scheme[0].length).startsWith("//")) {
    const protocol = (scheme[1] ?? "").toLowerCase();
    if (protocol !== "http" && protocol !== "https") return null;
    candidate = s;
  } else if (scheme && !/^[a-z0-9.-]+:\d+(?:[/?#]|$)/i.test(s)) {
    return null; // mailto:, javascript:, tel: …
  } else {
    candidate = `http://${s.replace(/^\/\//, "")}`;
  }
  let host: string;
  try {
    host = new URL(candidate).hostname;
  } catch {
    return null;
  }
  host = host
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^www\./, "");
  if (host.length === 0 || host.length > LIMITS.domain) return null;
  const labels = host.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  const tld = labels[labels.length - 1] ?? "";
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/.test(tld)) return null; // excludes IPv4 addresses
  return host;
}
