import { useEffect, useMemo, useState } from "preact/hooks";
import { language, t } from "../models/locale";
import { createMembersModel } from "../models/members-model";
import type { PanelModel } from "../models/panel-model";
import { MAX_BULK_MEMBERS } from "../utils/limits";
import { flagsByPerson, type PersonFlags, stalePersonIds } from "../utils/member-flags";
import type { MemberFlags as Flags } from "../utils/messages";
import { AssignMembers } from "./AssignMembers";
import { staleReasonsText } from "./MemberFlags";
import { SendEmail } from "./SendEmail";

const SOURCE_KEY = { manual: "sourceManual", journey: "sourceJourney", system: "sourceSystem" } as const;

/** Every member, with remove (confirmed) and change role for the selection, and assign new members. */
export function MembersTab({ model }: { model: PanelModel }) {
  const members = useMemo(() => createMembersModel(model), [model]);
  const [confirming, setConfirming] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const [role, setRole] = useState("");
  const [emailing, setEmailing] = useState(false);
  // The Emails action appears only when the server offers approved emails (/api/workspaces).
  const [emailsAvailable, setEmailsAvailable] = useState(false);
  useEffect(() => {
    void model.send({ type: "emails/workspaces" }).then((r) => setEmailsAvailable(r.ok));
  }, [model]);
  const d = model.details.value;
  if (!d) return null;
  const ids = d.members.map((m) => m.personId);
  const outcome = members.lastOutcome.value;
  const count = members.count.value;
  const flags = model.flags.value?.groupId === d.group.id ? model.flags.value : null;
  const flagged = flagsByPerson(flags);
  const stale = stalePersonIds(flags).filter((id) => ids.includes(id));

  return (
    <div class="members">
      {assigning ? (
        <AssignMembers model={model} onDone={() => setAssigning(false)} />
      ) : (
        <button type="button" class="primary" onClick={() => setAssigning(true)}>
          {t("addMembers")}
        </button>
      )}
      <div class="bulk" role="toolbar" aria-label={t("selectedCount", { count })}>
        <label>
          <input
            type="checkbox"
            checked={count > 0 && count === ids.length}
            onChange={(e) => members.setAll(ids, e.currentTarget.checked)}
          />{" "}
          {t("selectAll")}
        </label>
        <span data-testid="selected-count">{t("selectedCount", { count })}</span>
        <button type="button" disabled={count === 0 || members.busy.value} onClick={() => setConfirming(true)}>
          {t("remove")}
        </button>
        <label class="inline">
          <span class="sr-only">{t("changeRoleTo")}</span>
          <select aria-label={t("changeRoleTo")} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            <option value="">{t("changeRoleTo")}</option>
            {d.roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={count === 0 || !role || members.busy.value} onClick={() => members.changeRole(role)}>
          {t("applyRole")}
        </button>
      </div>
      {stale.length > 0 && (
        <button type="button" onClick={() => members.setAll(stale, true)}>
          {t("selectStale")}
        </button>
      )}
      {emailsAvailable && !emailing && (
        <button type="button" disabled={count === 0} onClick={() => setEmailing(true)}>
          {t("sendEmail")}
        </button>
      )}
      {emailing && (
        <SendEmail
          model={model}
          recipients={d.members.filter((m) => members.selected.value.has(m.personId))}
          onClose={() => setEmailing(false)}
        />
      )}
      {members.tooMany.value && <p role="alert">{t("tooMany", { max: MAX_BULK_MEMBERS })}</p>}
      {confirming && (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-remove">
          <p id="confirm-remove">{t("removeConfirm", { count })}</p>
          <button
            type="button"
            class="danger"
            onClick={async () => {
              setConfirming(false);
              await members.remove();
            }}
          >
            {t("confirmRemove")}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t("cancel")}
          </button>
        </div>
      )}
      {outcome && (
        <p role="status" data-testid="action-outcome">
          {outcome.ok
            ? t("actionDone", { applied: outcome.result.applied.length, skipped: outcome.result.skipped.length })
            : t("actionFailed", { message: outcome.error.message })}
        </p>
      )}
      <ul class="plain member-list" data-testid="member-list">
        {d.members.map((m) => (
          <li key={m.personId} class="member-row" data-person-id={m.personId}>
            <label class="member-name">
              <input
                type="checkbox"
                checked={members.selected.value.has(m.personId)}
                onChange={(e) => members.toggle(m.personId, e.currentTarget.checked)}
                aria-label={t("selectMember", { name: m.name })}
              />{" "}
              <strong>{m.name}</strong>
            </label>
            <span class="role-badge">{m.roleName}</span>
            <MemberRowFlags
              flags={flags}
              person={flagged.get(m.personId)}
              nameOf={(id) => d.members.find((x) => x.personId === id)?.name ?? id}
            />
            <div class="muted">
              {[m.jobTitle, m.email, m.phone].filter(Boolean).join(" · ")} · {t("source")}: {t(SOURCE_KEY[m.source])}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A member row's stale / likely-duplicate flags (text, not only colour). */
function MemberRowFlags(props: { flags: Flags | null; person: PersonFlags | undefined; nameOf(id: string): string }) {
  const { flags, person, nameOf } = props;
  if (!flags || !person) return null;
  return (
    <>
      {person.stale.length > 0 && (
        <div class="flag" data-testid="flag-stale">
          {t("flagStale", { reasons: staleReasonsText(language.value, flags, person.stale) })}
        </div>
      )}
      {person.duplicateOf.length > 0 && (
        <div class="flag" data-testid="flag-duplicate">
          {t("flagDuplicate", { names: person.duplicateOf.map(nameOf).join(", ") })}
        </div>
      )}
    </>
  );
}
