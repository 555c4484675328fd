import { useEffect, useState } from "preact/hooks";
import type { StageModel } from "../../../../shared/api/stages";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import type { ScreenProps } from "../../AdminApp";
import { errorMessage, expectOk } from "../../api";
import { useT } from "../../i18n";
import { navigate, routeHref } from "../../router";
import { useSession } from "../../session";
import { countKey } from "../templates/messages";
import { type StageKey, stageMessages } from "./messages";
import { StageEditor } from "./StageEditor";
import "../templates/templates.css";
import "./stages.css";

/** Stage models: `#/stages` lists them, `#/stages/<id>` (or `new`) edits one. */
export function StagesScreen({ route }: ScreenProps) {
  if (route.id) return <StageEditor routeId={route.id} />;
  return <StageModelList />;
}

function StageModelList() {
  const t = useT(stageMessages);
  const { api } = useSession();
  const lang = language.value;
  const [items, setItems] = useState<StageModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    expectOk<{ items: StageModel[] }>(api["stage-models"].$get())
      .then((r) => setItems(r.items))
      .catch((e) => setError(errorMessage(e)));
  }, []);

  return (
    <div class="stg-list">
      <h1>{t("title")}</h1>
      <div class="admin-toolbar">
        <button type="button" class="primary" onClick={() => navigate(routeHref("stages", "new"))}>
          {t("newModel")}
        </button>
      </div>
      <p class="muted" aria-live="polite">
        {items ? t(countKey(lang, "count", items.length), { count: items.length }) : t("loading")}
      </p>
      {error && (
        <p role="alert" class="state state-error">
          {error}
        </p>
      )}
      {items && items.length === 0 && <p>{t("none")}</p>}
      {items && items.length > 0 && (
        <div class="tpl-table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">{t("colName")}</th>
                <th scope="col">{t("colStatus")}</th>
                <th scope="col">{t("colStages")}</th>
                <th scope="col">{t("colTransitions")}</th>
                <th scope="col">{t("colUpdated")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <td>
                    <a href={routeHref("stages", m.id)}>{m.name}</a>
                  </td>
                  <td>
                    <span class={`tpl-status tpl-status-${m.status}`}>{t(`status_${m.status}` as StageKey)}</span>
                  </td>
                  <td>
                    {[...m.stages]
                      .sort((a, b) => a.position - b.position)
                      .map((s) => `${s.name} (${t(`kind_${s.kind}` as StageKey)})`)
                      .join(" · ")}
                  </td>
                  <td>{m.transitions.length}</td>
                  <td>{formatDateTime(lang, m.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
