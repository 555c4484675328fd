import { builtinAdapters } from "../crm";

/** Match patterns of every SaaS CRM a built-in adapter serves: the static host permissions (build time only). */
export const SAAS_CRM_MATCHES: readonly string[] = [...new Set(builtinAdapters.flatMap((a) => a.matches))];

/** The companion server's default address (`npm start` listens on loopback): any port. */
export const LOCAL_SERVER_MATCHES: readonly string[] = ["http://127.0.0.1/*", "http://localhost/*"];

/** Each built-in CRM's content script (entrypoints/<crm>-crm.ts) and the pages it runs on: the manifest's content_scripts. */
export const BUILTIN_CONTENT_SCRIPTS: ReadonlyArray<{ js: string; matches: readonly string[] }> = builtinAdapters.map((a) => ({
  js: `${a.id}-crm.js`,
  matches: a.matches,
}));
