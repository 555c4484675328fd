import { useEffect, useState } from "preact/hooks";
import type { GroupDetails } from "../../shared/api/groups";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import { formatDate, formatDateTime, formatMoney, formatNumber, type Language } from "../utils/i18n";
import { MemberCard } from "./MemberCard";
import { MemberFlags } from "./MemberFlags";
import { ScoreTiles } from "./ScoreTiles";
import { StageControl } from "./StageControl";

export const SUMMARY_MARK = "quorum:summary-painted";

const INTENT_ROWS = [
  ["keyword", "intentKeyword"],
  ["product", "intentProduct"],
  ["solution", "intentSolution"],
] as const;
const LEVEL_KEYS = { high: "intentHigh", medium: "intentMedium", low: "intentLow" } as const;
const JOURNEY_KEYS = {
  active: "journeyStatusActive",
  exited: "journeyStatusExited",
  completed: "journeyStatusCompleted",
} as const;

/** Scores with trend, stage, summary, decision makers and top engaged, member checks, account and intent. */
export function OverviewTab({ model }: { model: PanelModel }) {
  const d = model.details.value;
  useEffect(() => {
    // For the bench: time from opening the panel to the first painted summary (once per page load).
    if (d && performance.getEntriesByName(SUMMARY_MARK).length === 0) requestAnimationFrame(() => performance.mark(SUMMARY_MARK));
  }, [d]);
  if (!d) return null;
  const g = d.group;
  const lang = language.value;
  const isSales = model.me.value?.role === "sales";
  return (
    <div class="overview">
      <section aria-labelledby="group-summary-title" data-testid="group-summary">
        <h2 id="group-summary-title" class="sr-only">
          {g.name}
        </h2>
        <ScoreTiles details={d} scores={model.scores.value} />
        <StageControl model={model} />
        <p class="summary">{g.summary}</p>
      </section>
      <section aria-labelledby="dm-row">
        <h2 id="dm-row">{t("decisionMakers")}</h2>
        <div class="cards" data-testid="decision-makers">
          {d.decisionMakers.length === 0 && <p class="muted">{t("noMembers")}</p>}
          {d.decisionMakers.map((c) => (
            <MemberCard key={c.personId} card={c} groupId={g.id} send={model.send} />
          ))}
        </div>
      </section>
      <section aria-labelledby="top-row">
        <h2 id="top-row">{t("topEngaged")}</h2>
        <div class="cards" data-testid="top-engaged">
          {d.topEngaged.length === 0 && <p class="muted">{t("noMembers")}</p>}
          {d.topEngaged.map((c) => (
            <MemberCard key={c.personId} card={c} groupId={g.id} send={model.send} />
          ))}
        </div>
      </section>
      <MemberFlags model={model} />
      <AccountOverview details={d} lang={lang} />
      <Intent details={d} />
      {!isSales && <MoreDetails model={model} details={d} lang={lang} />}
    </div>
  );
}

/** Account facts that have a value (empty ones and "0 open opportunities" are left out). */
function AccountOverview({ details: d, lang }: { details: GroupDetails; lang: Language }) {
  const a = d.account;
  const opps = a.openOpportunities;
  const rows: Array<[string, preact.ComponentChildren]> = [[t("people"), formatNumber(lang, a.peopleCount)]];
  if (a.industry) rows.push([t("industry"), a.industry]);
  if (a.marketSegment) rows.push([t("segment"), a.marketSegment]);
  if (opps.count > 0)
    rows.push([
      t("openOpportunities"),
      opps.amount > 0
        ? t("opportunitiesWorth", { count: opps.count, amount: formatMoney(lang, opps.amount, a.currency) })
        : formatNumber(lang, opps.count),
    ]);
  if (a.journeys.length > 0)
    rows.push([
      t("lastJourneys"),
      <ul class="plain" key="j">
        {a.journeys.slice(0, 3).map((j) => (
          <li key={j.id}>
            {t(JOURNEY_KEYS[j.status as keyof typeof JOURNEY_KEYS] ?? "journeyStatusActive", {
              name: j.name,
              date: formatDate(lang, j.enteredAt),
            })}
          </li>
        ))}
      </ul>,
    ]);
  return (
    <section aria-labelledby="account-overview">
      <h2 id="account-overview">{t("accountOverview")}</h2>
      <dl class="facts">
        {rows.map(([label, value]) => [<dt key={`${label}-t`}>{label}</dt>, <dd key={`${label}-d`}>{value}</dd>])}
      </dl>
      <p class="summary">{a.summary}</p>
    </section>
  );
}

/** Intent levels that exist (rows without a signal are left out; no section at all without any). */
function Intent({ details: d }: { details: GroupDetails }) {
  const rows = INTENT_ROWS.filter(([type]) => d.intent?.levels[type]);
  if (!d.intent || rows.length === 0) return null;
  return (
    <section aria-labelledby="intent" data-testid="intent">
      <h2 id="intent">{t("intent")}</h2>
      <dl class="facts">
        {rows.map(([type, label]) => [
          <dt key={`${type}-t`}>{t(label)}</dt>,
          <dd key={`${type}-d`}>{t(LEVEL_KEYS[d.intent.levels[type]!])}</dd>,
        ])}
      </dl>
      {d.intent.topics.length > 0 && (
        <p class="muted">
          {d.intent.topics
            .slice(0, 5)
            .map((x) => `${x.topic} (${t(LEVEL_KEYS[x.level])})`)
            .join(" · ")}
        </p>
      )}
    </section>
  );
}

/** For admins and marketers, folded: template, last change, when the scores were computed, and Recompute. */
function MoreDetails({ model, details: d, lang }: { model: PanelModel; details: GroupDetails; lang: Language }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const g = d.group;
  return (
    <details class="more">
      <summary>{t("moreDetails")}</summary>
      <dl class="facts">
        <dt>{t("template")}</dt>
        <dd>
          {g.roleTemplate.name} v{g.roleTemplate.version}
        </dd>
        <dt>{t("lastModified")}</dt>
        <dd>{formatDateTime(lang, g.updatedAt)}</dd>
      </dl>
      <p class="computed">
        <span data-testid="scores-computed">{t("scoresComputedAt", { when: formatDateTime(lang, g.scoresComputedAt) })}</span>{" "}
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const err = await model.recompute();
            setError(err ? errorText(lang, err) : null);
            setBusy(false);
          }}
        >
          {t("recompute")}
        </button>
      </p>
      {error && <p role="alert">{error}</p>}
    </details>
  );
}
