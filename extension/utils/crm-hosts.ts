import { builtinAdapters } from "../crm";

/** Match patterns of every SaaS CRM a built-in adapter serves: the static host permissions (build time only). */
export const SAAS_CRM_MATCHES: readonly string[] = [...new Set(builtinAdapters.flatMap((a) => a.matches))];

/** The companion server's default address (`npm start` listens on loopback): any port. */
export const LOCAL_SERVER_MATCHES: readonly string[] = ["http://127.0.0.1/*", "http://localhost/*"];
