import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { setLanguage } from "../models/locale";
import type { Me } from "../utils/messages";
import { isCompatible } from "../utils/server-api";
import { isConfigured, type Settings } from "../utils/settings";
import { type AdminApi, createAdminApi, errorMessage, expectOk } from "./api";
import { useT } from "./i18n";
import { type Route, route, routeHref, type Screen } from "./router";
import { BrowseScreen } from "./screens/browse/BrowseScreen";
import { ConnectionsScreen } from "./screens/connections/ConnectionsScreen";
import { DashboardScreen } from "./screens/dashboard/DashboardScreen";
import { EmailsScreen } from "./screens/emails/EmailsScreen";
import { EventSourcesScreen } from "./screens/event-sources/EventSourcesScreen";
import { GroupScreen } from "./screens/group/GroupScreen";
import { InterestsScreen } from "./screens/interests/InterestsScreen";
import { StagesScreen } from "./screens/stages/StagesScreen";
import { TemplatesScreen } from "./screens/templates/TemplatesScreen";
import { UsersScreen } from "./screens/users/UsersScreen";
import { type AdminSession, canUseConsole, SessionContext } from "./session";
import { shellMessages } from "./shell-messages";

/** Every screen gets the current route (id and query); it reads the session with useSession(). */
export type ScreenProps = { route: Route };

const SCREEN_COMPONENTS: Record<Screen, ComponentType<ScreenProps>> = {
  browse: BrowseScreen,
  groups: GroupScreen,
  interests: InterestsScreen,
  templates: TemplatesScreen,
  stages: StagesScreen,
  dashboard: DashboardScreen,
  emails: EmailsScreen,
  users: UsersScreen,
  connections: ConnectionsScreen,
  "event-sources": EventSourcesScreen,
};

/** Shown in the navigation, in this order ("groups" is reached from Browse). */
const NAV: Screen[] = [
  "browse",
  "dashboard",
  "interests",
  "templates",
  "stages",
  "emails",
  "users",
  "connections",
  "event-sources",
];
/** Admin-only screens: hidden from marketers. */
const ADMIN_ONLY: Screen[] = ["users", "connections", "event-sources"];

type State =
  | { kind: "loading" }
  | { kind: "unconfigured" }
  | { kind: "error"; text: string }
  | { kind: "forbidden"; role: string }
  | { kind: "ready"; session: AdminSession };

export interface AdminAppProps {
  loadSettings: () => Promise<Settings>;
  openSettings: () => void;
  /** Tests pass a fetch bound to an in-process server. */
  createApi?: (url: string, token: string) => AdminApi;
}

/** The full-page admin console: signs in with the extension's settings, then one screen per hash route. */
export function AdminApp({ loadSettings, openSettings, createApi = createAdminApi }: AdminAppProps) {
  const t = useT(shellMessages);
  const [state, setState] = useState<State>({ kind: "loading" });

  async function signIn() {
    setState({ kind: "loading" });
    const settings = await loadSettings();
    void setLanguage(settings.language);
    if (!isConfigured(settings)) return setState({ kind: "unconfigured" });
    const api = createApi(settings.serverUrl, settings.token);
    try {
      const me = await expectOk<Me>(api.me.$get());
      if (!isCompatible(me.apiVersion)) return setState({ kind: "error", text: `Incompatible server API ${me.apiVersion}` });
      if (!canUseConsole(me.role)) return setState({ kind: "forbidden", role: me.role });
      setState({ kind: "ready", session: { api, me, serverUrl: settings.serverUrl, token: settings.token } });
    } catch (e) {
      const kind = (e as { kind?: string }).kind;
      setState({
        kind: "error",
        text:
          kind === "unauthorized"
            ? t("unauthorized")
            : kind === "unreachable"
              ? t("unreachable", { url: settings.serverUrl, message: errorMessage(e) })
              : errorMessage(e),
      });
    }
  }

  useEffect(() => {
    void signIn();
  }, []);

  const current = route.value;
  useEffect(() => {
    document.title = `${t(current.screen)} · Quorum`;
  }, [current.screen]);

  if (state.kind !== "ready") {
    const message =
      state.kind === "loading"
        ? t("loading")
        : state.kind === "unconfigured"
          ? t("unconfigured")
          : state.kind === "forbidden"
            ? t("forbidden", { role: state.role })
            : state.text;
    return (
      <main class="admin-state" aria-busy={state.kind === "loading"}>
        <h1>{t("title")}</h1>
        <p role={state.kind === "loading" ? "status" : "alert"}>{message}</p>
        {state.kind !== "loading" && (
          <p class="actions">
            <button type="button" class="primary" onClick={openSettings}>
              {t("openSettings")}
            </button>{" "}
            <button type="button" onClick={() => void signIn()}>
              {t("retry")}
            </button>
          </p>
        )}
      </main>
    );
  }

  const { session } = state;
  const Screen = SCREEN_COMPONENTS[current.screen];
  const navScreen: Screen = current.screen === "groups" ? "browse" : current.screen;
  return (
    <SessionContext.Provider value={session}>
      <div class="admin">
        <header class="admin-header">
          <strong>{t("title")}</strong>
          <span class="muted">{t("signedInAs", { name: session.me.name, role: session.me.role })}</span>
        </header>
        <nav class="admin-nav" aria-label={t("nav")}>
          <ul>
            {NAV.filter((s) => !ADMIN_ONLY.includes(s) || session.me.role === "admin").map((s) => (
              <li key={s}>
                <a href={routeHref(s)} aria-current={s === navScreen ? "page" : undefined}>
                  {t(s)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main class="admin-main" id="admin-main">
          {ADMIN_ONLY.includes(current.screen) && session.me.role !== "admin" ? (
            <p role="alert">{t("adminOnly")}</p>
          ) : (
            <Screen key={`${current.screen}/${current.id ?? ""}`} route={current} />
          )}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
