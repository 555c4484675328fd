import { useEffect, useRef, useState } from "preact/hooks";
import type { RoleTemplate } from "../../../../shared/api/templates";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import type { ScreenProps } from "../../AdminApp";
import { errorMessage, expectOk } from "../../api";
import { useT } from "../../i18n";
import { navigate, routeHref } from "../../router";
import { useSession } from "../../session";
import { countKey, type TemplateKey, templateMessages } from "./messages";
import { TemplateEditor } from "./TemplateEditor";
import "./templates.css";

/** Role templates: `#/templates` lists and searches them, `#/templates/<id>` (or `new`) edits one. */
export function TemplatesScreen({ route }: ScreenProps) {
  if (route.id) return <TemplateEditor routeId={route.id} />;
  return <TemplateList initialQuery={route.query.get("q") ?? ""} />;
}

function TemplateList({ initialQuery }: { initialQuery: string }) {
  const t = useT(templateMessages);
  const { api } = useSession();
  const lang = language.value;
  const [q, setQ] = useState(initialQuery);
  const [items, setItems] = useState<RoleTemplate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(
      async () => {
        try {
          const res = await expectOk<{ items: RoleTemplate[] }>(
            api["role-templates"].$get({ query: q.trim() ? { q: q.trim() } : {} }),
          );
          if (mine !== seq.current) return;
          setItems(res.items);
          setError(null);
        } catch (e) {
          if (mine === seq.current) setError(errorMessage(e));
        }
      },
      items === null ? 0 : 200,
    );
    return () => clearTimeout(timer);
  }, [q]);

  return (
    <div class="tpl-list">
      <h1>{t("title")}</h1>
      <div class="admin-toolbar">
        <label class="field">
          <span>{t("search")}</span>
          <input
            type="search"
            value={q}
            onInput={(e) => {
              const next = e.currentTarget.value;
              setQ(next);
              navigate(routeHref("templates", null, next.trim() ? { q: next.trim() } : {}), { replace: true });
            }}
          />
        </label>
        <button type="button" class="primary" onClick={() => navigate(routeHref("templates", "new"))}>
          {t("newTemplate")}
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
                <th scope="col">{t("colVersion")}</th>
                <th scope="col">{t("colRoles")}</th>
                <th scope="col">{t("colUpdated")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((tpl) => (
                <tr key={tpl.id}>
                  <td>
                    <a href={routeHref("templates", tpl.id)}>{tpl.name}</a>
                  </td>
                  <td>
                    <span class={`tpl-status tpl-status-${tpl.status}`}>{t(`status_${tpl.status}` as TemplateKey)}</span>
                  </td>
                  <td>{tpl.version}</td>
                  <td>
                    {[...tpl.roles]
                      .sort((a, b) => a.priority - b.priority)
                      .map((r) => r.name)
                      .join(", ")}
                  </td>
                  <td>{formatDateTime(lang, tpl.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
