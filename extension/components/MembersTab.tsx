import { useEffect, useMemo, useState } from "preact/hooks";
import { language, t } from "../models/locale";
import { type ActionOutcome, createMembersModel } from "../models/members-model";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import { formatNumber, type Language, peopleText } from "../utils/i18n";
import { MAX_BULK_MEMBERS } from "../utils/limits";
import { flagsByPerson, type PersonFlags, stalePersonIds } from "../utils/member-flags";
import type { MemberFlags as Flags } from "../utils/messages";
import { AssignMembers } from "./AssignMembers";
import { lazyComponent } from "./lazy";
import { staleReasonsText } from "./MemberFlags";
import { useDialog } from "./use-dialog";

/** The email compose opens on a click: its code loads then. */
const SendEmail = lazyComponent(() => import("./SendEmail").then((m) => m.SendEmail));

const SOURCE_KEY = { manual: "sourceManual", journey: "sourceJourney", system: "sourceSystem" } as const;
const SHORT_SOURCE = { manual: "sourceManualShort", journey: "sourceJourneyShort", system: "sourceSystemShort" } as const;

/** Every member with score and source; remove (confirmed, undoable), change role (undoable), assign, send email. */
export function MembersTab({ model, onViewTimeline }: { model: PanelModel; onViewTimeline(): void }) {
  const members = useMemo(() => createMembersModel(model), [model]);
  const [confirming, setConfirming] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const [role, setRole] = useState("");
  const [emailing, setEmailing] = useState(false);
  // The Emails action appears only when the server offers approved emails (/api/workspaces).
  const [emailsAvailable, setEmailsAvailable] = useState(false);
  useEffect(() => {
    void model.send({ type: "emails/workspaces" }).then((r) => {
      setEmailsAvailable(r.ok);
      // The compose's code loads now, so "Send email" opens at once.
      if (r.ok) SendEmail.preload();
    });
  }, [model]);
  const d = model.details.value;
  if (!d) return null;
  const lang = language.value;
  const ids = d.members.map((m) => m.personId);
  const outcome = members.lastOutcome.value;
  const count = members.count.value;
  const flags = model.flags.value?.groupId === d.group.id ? model.flags.value : null;
  const flagged = flagsByPerson(flags);
  const stale = stalePersonIds(flags).filter((id) => ids.includes(id));
  const selectedNames = d.members.filter((m) => members.selected.value.has(m.personId)).map((m) => m.name);

  return (
    <div class="members">
      <h2 class="sr-only">{t("tabMembers", { count: d.members.length })}</h2>
      {assigning ? (
        <AssignMembers model={model} onDone={() => setAssigning(false)} />
      ) : (
        <button type="button" class="primary" onClick={() => setAssigning(true)}>
          {t("addMembers")}
        </button>
      )}
      <div class="bulk" role="toolbar" aria-label={t("selectionTools")}>
        <label>
          <input
            type="checkbox"
            checked={count > 0 && count === ids.length}
            onChange={(e) => members.setAll(ids, e.currentTarget.checked)}
          />{" "}
          {t("selectAll")}
        </label>
        <span data-testid="selected-count" aria-live="polite">
          {t("selectedCount", { count })}
        </span>
        <button
          type="button"
          id="remove-selected"
          disabled={count === 0 || members.busy.value}
          onClick={() => setConfirming(true)}
        >
          {t("remove")}
        </button>
        <select aria-label={t("changeRoleTo")} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          <option value="">{t("changeRoleTo")}</option>
          {d.roles.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </select>
        <button type="button" disabled={count === 0 || !role || members.busy.value} onClick={() => members.changeRole(role)}>
          {t("applyRole")}
        </button>
        {emailsAvailable && (
          <button type="button" id="send-email-open" disabled={count === 0 || emailing} onClick={() => setEmailing(true)}>
            {t("sendEmail")}
          </button>
        )}
      </div>
      {stale.length > 0 && (
        <button type="button" onClick={() => members.setAll(stale, true)}>
          {t("selectStale")}
        </button>
      )}
      {members.tooMany.value && <p role="alert">{t("tooMany", { max: MAX_BULK_MEMBERS })}</p>}
      {confirming && (
        <ConfirmRemove
          names={selectedNames}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            setConfirming(false);
            await members.remove();
          }}
        />
      )}
      {emailing && (
        <SendEmail
          model={model}
          recipients={d.members.filter((m) => members.selected.value.has(m.personId))}
          onClose={() => setEmailing(false)}
          onViewTimeline={onViewTimeline}
        />
      )}
      {outcome && <Outcome lang={lang} outcome={outcome} busy={members.busy.value} />}
      <ul class="plain member-list" data-testid="member-list">
        {d.members.map((m) => (
          <li key={m.personId} class="member-row" data-person-id={m.personId}>
            <div class="member-top">
              <label class="member-name">
                <input
                  type="checkbox"
                  checked={members.selected.value.has(m.personId)}
                  onChange={(e) => members.toggle(m.personId, e.currentTarget.checked)}
                  aria-label={t("selectMember", { name: m.name })}
                />{" "}
                <strong>{m.name}</strong>
              </label>
              <span class="score" data-testid="member-score">
                <span class="sr-only">{t("scoreOf", { score: formatNumber(lang, m.score, 0) })}</span>
                <span aria-hidden="true">{formatNumber(lang, m.score, 0)}</span>
              </span>
            </div>
            <span class="role-badge">{m.roleName}</span> <span class="muted">{t(SOURCE_KEY[m.source])}</span>
            <MemberRowFlags
              flags={flags}
              person={flagged.get(m.personId)}
              nameOf={(id) => d.members.find((x) => x.personId === id)?.name ?? ""}
            />
            <div class="muted contact">{[m.jobTitle, m.email, m.phone].filter(Boolean).join(" · ")}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Remove Anna Berg and 2 others from the buying group?": focus moves in, Escape cancels, focus returns. */
function ConfirmRemove(props: { names: string[]; onCancel(): void; onConfirm(): void }) {
  const ref = useDialog<HTMLDivElement>(props.onCancel, "button.danger");
  return (
    <div
      ref={ref}
      class="confirm"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="confirm-remove"
      data-testid="confirm-remove"
    >
      <p id="confirm-remove">{t("removeConfirm", { names: peopleText(language.value, props.names) })}</p>
      <button type="button" class="danger" onClick={props.onConfirm}>
        {t("confirmRemove")}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t("cancel")}
      </button>
    </div>
  );
}

/** What the last action did, with names, what was skipped and why, and Undo. */
function Outcome({ lang, outcome, busy }: { lang: Language; outcome: ActionOutcome; busy: boolean }) {
  if (!outcome.ok)
    return (
      <p role="alert" class="err" data-testid="action-outcome">
        {errorText(lang, outcome.error)}
      </p>
    );
  const names = peopleText(lang, outcome.names.filter(Boolean));
  const text =
    outcome.kind === "undone"
      ? t("undone")
      : outcome.kind === "removed"
        ? t("removed", { names })
        : outcome.kind === "assigned"
          ? t("assigned", { names })
          : t("roleChanged", { names, role: outcome.roleName ?? "", count: outcome.names.length });
  return (
    <div role="status" class="outcome" data-testid="action-outcome">
      {outcome.names.length > 0 && <span>{text}</span>}{" "}
      {outcome.skipped.map((s) => (
        <span key={s.name} class="err">
          {t("notChanged", {
            names: s.name,
            source: t(SHORT_SOURCE[(s.heldBy ?? "manual") as keyof typeof SHORT_SOURCE] ?? "sourceManualShort"),
          })}{" "}
        </span>
      ))}
      {outcome.undo && (
        <button type="button" disabled={busy} onClick={() => void outcome.undo?.()}>
          {t("undo")}
        </button>
      )}
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
