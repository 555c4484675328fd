/**
 * WebExtension match patterns (`<scheme>://<host>/<path>`, e.g. `https://*.lightning.force.com/*`), evaluated against
 * a URL the way browsers do: scheme `*` means http or https, host `*.example.com` also matches `example.com`, `*` in the
 * path matches anything and the path is compared with the URL's path plus query.
 */

const PATTERN = /^(\*|https?|wss?|ftp|file):\/\/(\*|\*\.[^/*:]+|[^/*:]+)?(\/.*)$/;

/** Is `pattern` a well-formed match pattern (or `<all_urls>`)? */
export function isMatchPattern(pattern: string): boolean {
  return pattern === "<all_urls>" || PATTERN.test(pattern);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Does `url` match the WebExtension match pattern? Malformed patterns match nothing. */
export function matchesPattern(pattern: string, url: URL): boolean {
  const scheme = url.protocol.slice(0, -1);
  if (pattern === "<all_urls>") return ["http", "https", "ws", "wss", "ftp", "file"].includes(scheme);
  const m = PATTERN.exec(pattern);
  if (!m) return false;
  const [, patternScheme = "", host = "", path = "/*"] = m;
  if (patternScheme === "*" ? scheme !== "http" && scheme !== "https" : scheme !== patternScheme) return false;
  const hostname = url.hostname.toLowerCase();
  const wantedHost = host.toLowerCase();
  if (wantedHost !== "*" && wantedHost !== "") {
    if (wantedHost.startsWith("*.")) {
      const base = wantedHost.slice(2);
      if (hostname !== base && !hostname.endsWith(`.${base}`)) return false;
    } else if (hostname !== wantedHost) {
      return false;
    }
  }
  const pathRe = new RegExp(`^${path.split("*").map(escapeRegExp).join(".*")}$`);
  return pathRe.test(url.pathname + url.search);
}

/** Does `url` match any of the patterns? */
export function matchesAny(patterns: readonly string[], url: URL): boolean {
  return patterns.some((p) => matchesPattern(p, url));
}
