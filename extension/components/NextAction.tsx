import { useMemo } from "preact/hooks";
import { language, t } from "../models/locale";
import { createMembersModel } from "../models/members-model";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import { formatNumber } from "../utils/i18n";

/** How many one-click candidates to offer for the top role. */
const CANDIDATES = 3;

/**
 * "What do I do next on this account?": the role whose filling adds the most completeness, with one-click
 * "Add <name> as <role>" buttons for the account's people the role's rules pick (from the server), and an undo.
 */
export function NextAction({ model, onPickSomeone }: { model: PanelModel; onPickSomeone(): void }) {
  const members = useMemo(() => createMembersModel(model), [model]);
  const lang = language.value;
  const d = model.details.value;
  const next = model.nextRole.value;
  const outcome = members.lastOutcome.value;
  if (!d || !next || next.groupId !== d.group.id) return <section class="next" aria-hidden="true" />;
  const canAdd = model.me.value?.role !== undefined;
  const [top, ...later] = next.roles;
  const pct = (n: number) => formatNumber(lang, n, 0);
  return (
    <section class="next" aria-labelledby="next-step" data-testid="next-step">
      <h2 id="next-step">{t("nextStep")}</h2>
      {!top && <p>{t("allRolesFilled")}</p>}
      {top && (
        <>
          <p class="next-role">{t("nextRole", { role: top.roleName, gain: pct(top.completenessGain) })}</p>
          {top.contacts.filter((c) => c.matchesRule).length === 0 ? (
            <p>
              {t("nextRoleNobody", { role: top.roleName })}{" "}
              <button type="button" class="link" onClick={onPickSomeone}>
                {t("tabMembers", { count: d.members.length })}
              </button>
            </p>
          ) : (
            <ul class="plain next-candidates">
              {top.contacts
                .filter((c) => c.matchesRule)
                .slice(0, CANDIDATES)
                .map((c) => (
                  <li key={c.personId}>
                    <button
                      type="button"
                      class="primary add-as"
                      disabled={!canAdd || members.busy.value}
                      onClick={() => void members.addOne({ personId: c.personId, name: c.name }, top.roleKey)}
                    >
                      <span>{t("addAs", { name: c.name, role: top.roleName })}</span>{" "}
                      <span class="gain">{t("addAsGain", { gain: pct(top.completenessGain) })}</span>
                    </button>
                    {c.jobTitle && <span class="muted"> {c.jobTitle}</span>}
                  </li>
                ))}
            </ul>
          )}
          {later.length > 0 && (
            <p class="muted">
              {t("thenRoles", {
                roles: new Intl.ListFormat(lang, { type: "conjunction" }).format(
                  later.map((r) => `${r.roleName} (+${pct(r.completenessGain)} %)`),
                ),
              })}
            </p>
          )}
        </>
      )}
      {outcome && (
        <p role="status" class={outcome.ok ? "ok" : "err"} data-testid="next-outcome">
          {outcome.ok
            ? outcome.kind === "undone"
              ? t("undone")
              : t("added", { name: outcome.names[0] ?? "", role: outcome.roleName ?? "" })
            : errorText(lang, outcome.error)}{" "}
          {outcome.ok && outcome.undo && (
            <button type="button" onClick={() => void outcome.undo?.()} disabled={members.busy.value}>
              {t("undo")}
            </button>
          )}
        </p>
      )}
    </section>
  );
}
