import { useEffect, useRef, useState } from "preact/hooks";
import type { Account } from "../../../../shared/api/accounts";
import type { ConditionLeafT } from "../../../../shared/api/templates";
import { language } from "../../../models/locale";
import { errorMessage, expectOk } from "../../api";
import { useT } from "../../i18n";
import { useSession } from "../../session";
import { countKey, type TemplateKey, templateMessages } from "./messages";

const PERSON_STATUSES: readonly string[] = ["active", "left_company", "bounced"];

/** POST /api/role-templates/:id/preview. */
export interface TemplatePreviewResult {
  templateId: string;
  templateStatus: string;
  account: { id: string; name: string };
  completeness: number;
  roles: Array<{ key: string; name: string; membersRequired: number; matches: number; filled: boolean }>;
  people: Array<{
    personId: string;
    name: string;
    jobTitle: string | null;
    status: string;
    score: number;
    roleKey: string | null;
    roleName: string | null;
    matchedConditions: ConditionLeafT[];
    wouldAssign: boolean;
  }>;
}

/** Picks an account (search by name or domain) and shows who would fill which role, and by which conditions. */
export function TemplatePreview({ templateId, dirty }: { templateId: string | null; dirty: boolean }) {
  const t = useT(templateMessages);
  const { api } = useSession();
  const [q, setQ] = useState("");
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Account | null>(null);
  const [result, setResult] = useState<TemplatePreviewResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(async () => {
      try {
        const page = await expectOk<{ items: Account[] }>(
          api.accounts.$get({ query: { q: q.trim() || undefined, limit: "8" } as { q?: string; limit: string } }),
        );
        if (mine === seq.current) {
          setAccounts(page.items);
          setSearchError(null);
        }
      } catch (e) {
        if (mine === seq.current) setSearchError(errorMessage(e));
      }
    }, 200);
    return () => clearTimeout(timer);
  }, [q]);

  async function run(account: Account) {
    if (!templateId) return;
    setChosen(account);
    setBusy(true);
    setError(null);
    try {
      setResult(
        await expectOk<TemplatePreviewResult>(
          api["role-templates"][":id"].preview.$post({ param: { id: templateId }, json: { accountId: account.id } }),
        ),
      );
    } catch (e) {
      setResult(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  // The same template saved again (or a new draft id): refresh the preview for the chosen account.
  useEffect(() => {
    if (chosen && templateId && !dirty) void run(chosen);
  }, [templateId, dirty]);

  const reason = (c: ConditionLeafT) => {
    const field = c.field.startsWith("attributes.") ? c.field.slice("attributes.".length) : t(`f_${c.field}` as TemplateKey);
    const value = Array.isArray(c.value) ? c.value.join(", ") : String(c.value);
    return t("reason", { field, op: t(`op_${c.op}` as TemplateKey), value });
  };

  return (
    <section class="tpl-preview" aria-labelledby="tpl-preview-h">
      <h2 id="tpl-preview-h">{t("previewHeading")}</h2>
      <p class="muted">{t("previewHelp")}</p>
      {!templateId ? (
        <p class="muted">{t("previewSaveFirst")}</p>
      ) : (
        <>
          {dirty && <p class="tpl-note">{t("previewSavedOnly")}</p>}
          <div class="tpl-account-search">
            <label class="field">
              <span>{t("accountSearch")}</span>
              <input
                type="search"
                value={q}
                placeholder={t("accountSearchPlaceholder")}
                onInput={(e) => setQ(e.currentTarget.value)}
                aria-describedby="tpl-accounts-status"
              />
            </label>
            <p id="tpl-accounts-status" class="sr-only" aria-live="polite">
              {accounts ? t(countKey(language.value, "accountsFound", accounts.length), { count: accounts.length }) : ""}
            </p>
            {searchError && <p class="field-error">{searchError}</p>}
            {accounts && accounts.length === 0 && <p class="muted">{t("noAccounts")}</p>}
            {accounts && accounts.length > 0 && (
              <ul class="plain tpl-accounts">
                {accounts.map((a) => (
                  <li key={a.id}>
                    <button
                      type="button"
                      class={chosen?.id === a.id ? "primary" : undefined}
                      aria-pressed={chosen?.id === a.id}
                      onClick={() => void run(a)}
                    >
                      {a.name}
                    </button>{" "}
                    <span class="muted">
                      {[a.domain, t(countKey(language.value, "peopleCount", a.peopleCount), { count: a.peopleCount })]
                        .filter(Boolean)
                        .join(" · ")}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div aria-live="polite" aria-busy={busy}>
            {busy && <p role="status">{t("previewLoading")}</p>}
            {error && (
              <p role="alert" class="field-error">
                {error}
              </p>
            )}
            {result && !busy && <PreviewResult result={result} reason={reason} />}
          </div>
        </>
      )}
    </section>
  );
}

function PreviewResult({ result, reason }: { result: TemplatePreviewResult; reason: (c: ConditionLeafT) => string }) {
  const t = useT(templateMessages);
  const unmatched = result.people.filter((p) => p.roleKey === null);
  return (
    <div class="tpl-preview-result">
      <h3>{t("previewFor", { account: result.account.name, score: Math.round(result.completeness) })}</h3>
      <table class="admin-table tpl-preview-roles">
        <thead>
          <tr>
            <th scope="col">{t("colRole")}</th>
            <th scope="col">{t("colRequired")}</th>
            <th scope="col">{t("colMatches")}</th>
            <th scope="col">{t("colFilled")}</th>
          </tr>
        </thead>
        <tbody>
          {result.roles.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td>{r.membersRequired}</td>
              <td>{r.matches}</td>
              <td class={r.filled ? "tpl-ok" : "tpl-missing"}>{r.filled ? t("filledYes") : t("filledNo")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="tpl-preview-people">
        {result.roles.map((r) => {
          const people = result.people.filter((p) => p.roleKey === r.key);
          return (
            <section key={r.key} class="card tpl-preview-role" aria-label={r.name}>
              <h4>{r.name}</h4>
              {people.length === 0 ? (
                <p class="muted">{t("nobodyForRole")}</p>
              ) : (
                <ul class="plain">
                  {people.map((p) => (
                    <li key={p.personId} class={p.wouldAssign ? undefined : "tpl-not-assigned"}>
                      <strong>{p.name}</strong>
                      {p.jobTitle && <span class="muted"> · {p.jobTitle}</span>}
                      <br />
                      <small>{t("because", { reasons: p.matchedConditions.map(reason).join(t("and")) })}</small>
                      {!p.wouldAssign && (
                        <>
                          <br />
                          <small class="field-error">
                            {t("notAssigned", {
                              status: PERSON_STATUSES.includes(p.status) ? t(`ps_${p.status}` as TemplateKey) : p.status,
                            })}
                          </small>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      {unmatched.length > 0 && (
        <details class="tpl-unmatched">
          <summary>{t("unmatched", { count: unmatched.length })}</summary>
          <ul>
            {unmatched.map((p) => (
              <li key={p.personId}>
                {p.name}
                {p.jobTitle && <span class="muted"> · {p.jobTitle}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
