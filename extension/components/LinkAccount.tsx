import { useEffect, useState } from "preact/hooks";
import type { Account } from "../../shared/api/accounts";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import type { ReportedPage } from "../utils/messages";

/** Search Quorum accounts and link this CRM record to one (when it is not matched automatically). */
export function LinkAccount({ model, page }: { model: PanelModel; page: ReportedPage }) {
  const [q, setQ] = useState(page.name ?? "");
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (q.trim().length < 2) return setAccounts([]);
    const timer = setTimeout(() => {
      void model
        .send({ type: "account/search", q: q.trim() })
        .then((r) => (r.ok ? setAccounts(r.data) : setError(errorText(language.value, r.error))));
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);
  return (
    <div class="link-account">
      <p>{t("searchAccounts")}</p>
      <label class="field">
        <span>{t("searchAccountsLabel")}</span>
        <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </label>
      <ul class="plain">
        {accounts.map((a) => (
          <li key={a.id}>
            {a.name} {a.domain && <span class="muted">({a.domain})</span>}{" "}
            <button
              type="button"
              onClick={async () => {
                const e = await model.linkAccount(a.id, page);
                setError(e ? errorText(language.value, e) : null);
              }}
            >
              {t("linkAccountNamed", { name: a.name })}
            </button>
          </li>
        ))}
      </ul>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
