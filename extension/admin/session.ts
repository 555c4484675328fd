/** What every admin screen gets: the typed API client and the signed-in user. Tests provide it with a real server. */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Me } from "../utils/messages";
import type { AdminApi } from "./api";

export interface AdminSession {
  api: AdminApi;
  me: Me;
  /** The server's base URL (for links such as the CSV export). */
  serverUrl: string;
  /** The token, for downloads that cannot go through the typed client (CSV export with an Authorization header). */
  token: string;
}

export const SessionContext = createContext<AdminSession | null>(null);

export function useSession(): AdminSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside <SessionContext.Provider>");
  return s;
}

/** Roles that may use the console; the users screen is for admins only. */
export const CONSOLE_ROLES = ["admin", "marketer"] as const;
export const canUseConsole = (role: string): boolean => (CONSOLE_ROLES as readonly string[]).includes(role);
