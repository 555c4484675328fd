import { useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { OpenConsoleButton } from "../admin/OpenConsoleButton";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { PanelSignIn } from "../sso/SignInButton";
import { LinkAccount } from "./LinkAccount";
import { MembersTab } from "./MembersTab";
import { NoGroup } from "./NoGroup";
import { OverviewTab } from "./OverviewTab";
import { StateView } from "./StateView";

function openOptions() {
  void browser.runtime.openOptionsPage();
}

/** The side panel: one state view per situation, else the group picker and the Overview / Members tabs. */
export function PanelApp({ model }: { model: PanelModel }) {
  const [tab, setTab] = useState<"overview" | "members">("overview");
  const [error, setError] = useState<string | null>(null);
  void language.value;
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

  switch (s.kind) {
    case "loading":
      return <StateView title={t("loading")} />;
    case "unconfigured":
      // SSO (extension/sso): a server address but no credentials yet: offer the organisation's sign-in.
      if (model.serverUrl.value) {
        return <PanelSignIn serverUrl={model.serverUrl.value} onSignedIn={() => void model.load()} children={settings} />;
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
          body={t("unknownAccountBody", { name: s.page.name ?? s.page.domain ?? "?", crm: s.page.crm, id: s.page.recordId })}
        >
          <button
            type="button"
            class="primary"
            onClick={async () => setError((await model.createAccount(s.page))?.message ?? null)}
          >
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
                <button type="button" onClick={async () => setError((await model.linkAccount(a.id, s.page))?.message ?? null)}>
                  {t("linkAccount")}
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
        <StateView tone="error" title={t("errorTitle")} body={s.message}>
          {retry}
        </StateView>
      );
    case "ready":
      break;
  }

  const groups = model.groups.value;
  return (
    <div class="ready">
      {groups.length > 1 && (
        <label class="field">
          <span>{t("groupPicker")}</span>
          <select
            data-testid="group-picker"
            value={model.groupId.value ?? ""}
            onChange={(e) => void model.selectGroup(e.currentTarget.value)}
          >
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <div role="tablist" class="tabs" aria-label={t("groupPicker")}>
        {(["overview", "members"] as const).map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
            onKeyDown={(e) => {
              if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                const next = id === "overview" ? "members" : "overview";
                setTab(next);
                (e.currentTarget.parentElement?.querySelector(`#tab-${next}`) as HTMLElement | null)?.focus();
              }
            }}
          >
            {id === "overview" ? t("tabOverview") : t("tabMembers")}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "overview" ? <OverviewTab model={model} /> : <MembersTab model={model} />}
      </div>
      <p class="actions">
        <OpenConsoleButton send={model.send} />
      </p>
    </div>
  );
}
