import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { formatDate, type Language } from "../utils/i18n";
import type { MemberFlags as Flags, StaleReason } from "../utils/messages";

/** "left the company, no activity from 1 Nov 2026 to 30 Nov 2026" */
export function staleReasonsText(lang: Language, flags: Flags, reasons: readonly StaleReason[]): string {
  return reasons
    .map((r) =>
      r === "left_company"
        ? t("staleLeftCompany")
        : r === "bounced"
          ? t("staleBounced")
          : t("staleNoActivity", {
              from: formatDate(lang, flags.stale.window.from),
              to: formatDate(lang, flags.stale.window.to),
            }),
    )
    .join(", ");
}

/**
 * Quick checks on the group's members (Overview tab): stale members (left the company, email bounced, no activity in
 * the engagement window) and likely duplicates (same email, same name). Loaded after the summary; hidden until then.
 */
export function MemberFlags({ model }: { model: PanelModel }) {
  const d = model.details.value;
  const f = model.flags.value;
  // Nothing to look at: no section (an empty "0 stale members" list is noise).
  if (!d || !f || f.groupId !== d.group.id || (f.stale.items.length === 0 && f.duplicates.items.length === 0)) return null;
  const lang = language.value;
  const names = new Map(d.members.map((m) => [m.personId, m.name]));
  return (
    <section aria-labelledby="member-flags" data-testid="member-flags">
      <h2 id="member-flags">{t("memberChecks")}</h2>
      {f.stale.items.length > 0 && <h3>{t("staleMembers", { count: f.stale.items.length })}</h3>}
      {f.stale.items.length > 0 && (
        <ul class="plain flags" data-testid="stale-members">
          {f.stale.items.map((s) => (
            <li key={s.personId} data-person-id={s.personId}>
              <strong>{names.get(s.personId) ?? s.name}</strong>: {staleReasonsText(lang, f, s.reasons)}
            </li>
          ))}
        </ul>
      )}
      {f.duplicates.items.length > 0 && <h3>{t("duplicateMembers", { count: f.duplicates.items.length })}</h3>}
      {f.duplicates.items.length > 0 && (
        <ul class="plain flags" data-testid="duplicate-members">
          {f.duplicates.items.map((set) => {
            const who = set.personIds.map((id) => names.get(id) ?? id).join(", ");
            return (
              <li key={`${set.reason}:${set.key}`}>
                {set.reason === "same_email"
                  ? t("duplicateSameEmail", { key: set.key, names: who })
                  : t("duplicateSameName", { names: who })}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
