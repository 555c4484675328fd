import { networkInterfaces, hostname as osHostname } from "node:os";
import { createMiddleware } from "hono/factory";
import { QuorumError } from "../../shared/errors";
import type { Config } from "../config";
import { requestHeader } from "../http/headers";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const WILDCARD = new Set(["0.0.0.0", "::", "[::]", ""]);

export const isLoopback = (host: string) =>
  LOOPBACK_NAMES.includes(host.toLowerCase()) || host === "::1" || host.startsWith("127.");

/** `::1` → `[::1]`, lower case, no trailing dot: how a hostname appears in a URL's host. */
const urlHostname = (h: string) => {
  const lower = h.toLowerCase().replace(/\.$/, "");
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
};

/**
 * The Host names this server answers to:
 * - the address it listens on (QUORUM_HOST); on loopback also `localhost`, `127.0.0.1` and `[::1]`;
 * - on a wildcard address (0.0.0.0, ::) also the machine's name and every address of its interfaces;
 * - the host of QUORUM_PUBLIC_URL (unsubscribe links point there);
 * - QUORUM_ALLOWED_HOSTS (reverse proxies): `name`, `name:port` (that port only) or `*.domain` (its subdomains).
 */
export function allowedHosts(config: Config): { names: Set<string>; withPort: Set<string>; suffixes: string[] } {
  const names = new Set<string>();
  const bind = config.host.toLowerCase();
  if (WILDCARD.has(bind) || isLoopback(bind)) for (const n of LOOPBACK_NAMES) names.add(n);
  if (WILDCARD.has(bind)) {
    names.add(urlHostname(osHostname()));
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(urlHostname(a.address.replace(/%.*$/, "")));
  } else names.add(urlHostname(bind));
  names.add(urlHostname(new URL(config.email.publicUrl).hostname));
  const withPort = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of config.allowedHosts) {
    if (entry.startsWith("*.")) suffixes.push(entry.slice(1));
    else if (/:\d+$/.test(entry) && !entry.endsWith("]")) withPort.add(entry);
    else names.add(urlHostname(entry));
  }
  return { names, withPort, suffixes };
}

/**
 * Refuses (400, naming the Host header) every request whose Host is not one of this server's names:
 * a page on another site whose name an attacker points at 127.0.0.1 (DNS rebinding) cannot read the
 * API, the unsubscribe pages or anything else. Runs before every route, /health included. Requests
 * made in process (`app.request('/x')`) carry the host of their URL (`localhost`).
 */
export function hostCheck(config: Config) {
  const { names, withPort, suffixes } = allowedHosts(config);
  const known = new Map<string, boolean>();
  const allowed = (host: string): boolean => {
    let ok = known.get(host);
    if (ok !== undefined) return ok;
    let parsed: URL | null = null;
    try {
      parsed = new URL(`http://${host}`);
    } catch {}
    const name = parsed && parsed.username === "" && parsed.pathname === "/" ? urlHostname(parsed.hostname) : null;
    ok = name !== null && (names.has(name) || withPort.has(`${name}:${parsed?.port}`) || suffixes.some((s) => name.endsWith(s)));
    if (known.size < 1000) known.set(host, ok);
    return ok;
  };
  return createMiddleware(async (c, next) => {
    const host = requestHeader(c, "host") ?? new URL(c.req.url).host;
    if (!allowed(host)) {
      throw new QuorumError(
        400,
        "validation_failed",
        `Invalid request headers: Host '${host.slice(0, 200)}' is not a name of this server. Use the server's own address, or add the name to QUORUM_ALLOWED_HOSTS (for a reverse proxy).`,
        { issues: [{ field: "Host", message: "is not a name of this server (see QUORUM_ALLOWED_HOSTS)" }] },
      );
    }
    await next();
  });
}
