/**
 * Hash routes of the admin console: `#/<screen>[/<id>][?query]`, e.g. `#/browse?stage=qualify`, `#/groups/grp_1`,
 * `#/templates/tpl_2`. Back/forward and reloads keep the place; screens keep their filters in the query.
 */
import { signal } from "@preact/signals";

export const SCREENS = [
  "browse",
  "groups",
  "interests",
  "templates",
  "stages",
  "dashboard",
  "emails",
  "users",
  "connections",
  "event-sources",
] as const;
export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  id: string | null;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = raw.split("?", 2);
  const [first = "", ...rest] = path.split("/").filter(Boolean);
  const screen = (SCREENS as readonly string[]).includes(first) ? (first as Screen) : "browse";
  const id = screen === first && rest.length > 0 ? decodeURIComponent(rest.join("/")) : null;
  return { screen, id, query: new URLSearchParams(search) };
}

export function routeHref(screen: Screen, id?: string | null, query?: URLSearchParams | Record<string, string>): string {
  const q = query instanceof URLSearchParams ? query : new URLSearchParams(query ?? {});
  const qs = q.toString();
  return `#/${screen}${id ? `/${encodeURIComponent(id)}` : ""}${qs ? `?${qs}` : ""}`;
}

export const route = signal<Route>(parseRoute(typeof location === "undefined" ? "" : location.hash));

/** Goes to a route (adds a history entry); `replace` updates the query in place (filters typing). */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  route.value = parseRoute(href);
}

export function listenToHash(): () => void {
  const update = () => {
    route.value = parseRoute(location.hash);
  };
  addEventListener("hashchange", update);
  addEventListener("popstate", update);
  return () => {
    removeEventListener("hashchange", update);
    removeEventListener("popstate", update);
  };
}
