import { useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { OpenConsoleButton } from "../admin/OpenConsoleButton";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import { formatDateTime } from "../utils/i18n";
import { GroupPicker } from "./GroupPicker";
import { LinkAccount } from "./LinkAccount";
import { lazyComponent } from "./lazy";
import { MembersTab } from "./MembersTab";
import { NextAction } from "./NextAction";
import { NoGroup } from "./NoGroup";
import { OverviewTab } from "./OverviewTab";
import { StateView } from "./StateView";
import { TimelineTab } from "./TimelineTab";

function openOptions() {
  void browser.runtime.openOptionsPage();
}

type Tab = "overview" | "members" | "timeline";
const TABS: Tab[] = ["overview", "members", "timeline"];

/** The side panel: one state view per situation, else the group, its next step and the Overview / Members / Timeline tabs. */
export function PanelApp({ model }: { model: PanelModel }) {
  const [tab, setTab] = useState<Tab>("overview");
  const [error, setError] = useState<string | null>(null);
  const lang = language.value;
  const s = model.status.value;
  const retry = (
    <button type="button" onClick={() => void model.load()}>
      {t("retry")}
    </button>
  );
  const settings = (
    <button type="button" class="primary" onClick={openOptions}>
      {t("openOptions")}
    </button>
  );
  const act = async (p: Promise<{ kind: string; message: string } | null>) => {
    const e = await p;
    setError(e ? errorText(lang, e as never) : null);
  };

  switch (s.kind) {
    case "loading":
      return <StateView title={t("loading")} busy />;
    case "unconfigured":
      // SSO (extension/sso): a server address but no credentials yet: offer the organisation's sign-in.
      if (model.serverUrl.value) {
        return <LazyPanelSignIn serverUrl={model.serverUrl.value} onSignedIn={() => void model.load()} children={settings} />;
      }
      return (
        <StateView title={t("unconfiguredTitle")} body={t("unconfiguredBody")}>
          {settings}
        </StateView>
      );
    case "unreachable":
      return (
        <StateView tone="error" title={t("unreachableTitle")} body={t("unreachableBody", { url: s.serverUrl })}>
          {retry}
          {settings}
        </StateView>
      );
    case "unauthorized":
      return (
        <StateView tone="error" title={t("unauthorizedTitle")} body={t("unauthorizedBody")}>
          {settings}
          {retry}
        </StateView>
      );
    case "incompatible":
      return (
        <StateView tone="error" title={t("incompatibleTitle")} body={s.message}>
          {retry}
        </StateView>
      );
    case "not-account":
      return (
        <StateView title={t("notAccountTitle")} body={t("notAccountBody")}>
          <OpenConsoleButton send={model.send} />
        </StateView>
      );
    case "unknown-account":
      return (
        <StateView
          title={t("unknownAccountTitle")}
          body={t("unknownAccountBody", { name: s.page.name ?? s.page.domain ?? "?", crm: crmName(s.page.crm) })}
        >
          <button type="button" class="primary" onClick={() => act(model.createAccount(s.page))}>
            {t("createAccount")}
          </button>
          {error && <p role="alert">{error}</p>}
          <LinkAccount model={model} page={s.page} />
        </StateView>
      );
    case "ambiguous":
      return (
        <StateView title={t("ambiguousTitle")} body={t("ambiguousBody", { name: s.page.name ?? "?" })}>
          <ul class="plain">
            {s.accounts.map((a) => (
              <li key={a.id}>
                {a.name} {a.domain && <span class="muted">({a.domain})</span>}{" "}
                <button type="button" onClick={() => act(model.linkAccount(a.id, s.page))}>
                  {t("linkAccountNamed", { name: a.name })}
                </button>
              </li>
            ))}
          </ul>
          {error && <p role="alert">{error}</p>}
        </StateView>
      );
    case "no-group":
      return <NoGroup model={model} />;
    case "error":
      return (
        <StateView tone="error" title={t("errorTitle")} body={errorText(lang, s.error)}>
          {retry}
        </StateView>
      );
    case "ready":
      break;
  }

  const d = model.details.value;
  if (!d) return <StateView title={t("loading")} busy />;
  const conn = model.connection.value;
  const role = model.me.value?.role;
  const switchTab = (next: Tab, focus = false) => {
    setTab(next);
    if (focus) requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
  };
  return (
    <div class="ready">
      <header class="panel-head">
        <h1 id="group-title">{d.group.name}</h1>
        <p class="muted">{t("accountLine", { account: d.account.name, count: d.group.memberCount })}</p>
      </header>
      {conn.state === "reconnecting" && (
        <p class="banner" role="status" data-testid="reconnecting">
          {conn.loadedAt ? t("reconnecting", { time: formatDateTime(lang, conn.loadedAt) }) : t("reconnectingNoTime")}
        </p>
      )}
      <GroupPicker model={model} />
      <NextAction model={model} onPickSomeone={() => switchTab("members")} />
      <div role="tablist" class="tabs" aria-label={t("tabs")}>
        {TABS.map((id, i) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => switchTab(id)}
            onKeyDown={(e) => {
              const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
              if (step) switchTab(TABS[(i + step + TABS.length) % TABS.length]!, true);
            }}
          >
            {id === "overview"
              ? t("tabOverview")
              : id === "members"
                ? t("tabMembers", { count: d.members.length })
                : t("tabTimeline")}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "overview" && <OverviewTab model={model} />}
        {tab === "members" && <MembersTab model={model} onViewTimeline={() => switchTab("timeline", true)} />}
        {tab === "timeline" && <TimelineTab model={model} />}
      </div>
      {role !== "sales" && (
        <p class="actions">
          <OpenConsoleButton send={model.send} />
        </p>
      )}
    </div>
  );
}

const CRM_NAMES: Record<string, string> = {
  salesforce: "Salesforce",
  hubspot: "HubSpot",
  dynamics: "Dynamics 365",
  pipedrive: "Pipedrive",
  zoho: "Zoho CRM",
};
/** The CRM's product name ("custom" CRMs: their host is shown by the page itself). */
const crmName = (crm: string) => CRM_NAMES[crm] ?? crm;

/** The organisation's sign-in (extension/sso), loaded on demand: most panels open signed in. */
const LazyPanelSignIn = lazyComponent(() => import("../sso/SignInButton").then((m) => m.PanelSignIn));
