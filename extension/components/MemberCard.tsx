import { useState } from "preact/hooks";
import type { MemberCard as Card, MemberDetails } from "../../shared/api/groups";
import { language, t } from "../models/locale";
import type { Send } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import { formatDate, formatDateTime, formatNumber } from "../utils/i18n";

interface Props {
  card: Card;
  groupId: string;
  send: Send;
}

/** Name, title, role and lead engagement score; "View details" loads the rest on demand. */
export function MemberCard({ card, groupId, send }: Props) {
  const [details, setDetails] = useState<MemberDetails | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `member-details-${card.personId}`;

  async function toggle() {
    if (open) return setOpen(false);
    setOpen(true);
    if (details) return;
    const res = await send({ type: "group/member", groupId, personId: card.personId });
    if (res.ok) setDetails(res.data);
    else setError(errorText(language.value, res.error));
  }

  return (
    <article class="card" data-testid="member-card">
      <div class="card-head">
        <strong>{card.name}</strong>
        <span class="score" title={t("scoreOf", { score: formatNumber(language.value, card.score, 0) })}>
          {formatNumber(language.value, card.score, 0)}
        </span>
      </div>
      {card.jobTitle && <div class="muted">{card.jobTitle}</div>}
      <div class="role-badge">{card.roleName}</div>
      <button
        type="button"
        class="link"
        aria-expanded={open}
        aria-controls={id}
        aria-label={open ? t("hideDetails", { name: card.name }) : t("viewDetails", { name: card.name })}
        onClick={toggle}
      >
        {open ? t("hideDetailsLink") : t("detailsLink")}
      </button>
      {open && (
        <div id={id} class="details">
          {error && <p role="alert">{error}</p>}
          {!details && !error && <p>{t("loading")}</p>}
          {details && (
            <dl>
              <dd class="summary">{details.summary}</dd>
              <dt>{t("lastInterestingMoment")}</dt>
              <dd>
                {details.lastInterestingMoment
                  ? `${details.lastInterestingMoment.typeName} · ${formatDateTime(language.value, details.lastInterestingMoment.occurredAt)}`
                  : "—"}
              </dd>
              <dt>{t("recentActivities")}</dt>
              <dd>
                <ul>
                  {details.recentActivities.slice(0, 2).map((a) => (
                    <li key={a.externalId}>
                      {a.typeName} · {formatDateTime(language.value, a.occurredAt)}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{t("otherGroups")}</dt>
              <dd>
                <ul>
                  {details.otherGroups.slice(0, 3).map((g) => (
                    <li key={g.id}>
                      {g.name} · {formatDate(language.value, g.addedAt)}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{t("email")}</dt>
              <dd>{details.email ? <a href={`mailto:${details.email}`}>{details.email}</a> : "—"}</dd>
              <dt>{t("phone")}</dt>
              <dd>{details.phone ?? "—"}</dd>
            </dl>
          )}
        </div>
      )}
    </article>
  );
}
