import { useEffect, useState } from "preact/hooks";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { formatDateTime, formatNumber } from "../utils/i18n";
import { MemberCard } from "./MemberCard";
import { MemberFlags } from "./MemberFlags";
import { MissingRoles } from "./MissingRoles";
import { RecentJourneys } from "./RecentJourneys";
import { ScoreTile } from "./ScoreTile";

export const SUMMARY_MARK = "quorum:summary-painted";

const INTENT_ROWS = [
  ["keyword", "intentKeyword"],
  ["product", "intentProduct"],
  ["solution", "intentSolution"],
] as const;
const LEVEL_KEYS = { high: "intentHigh", medium: "intentMedium", low: "intentLow" } as const;

export function OverviewTab({ model }: { model: PanelModel }) {
  const d = model.details.value;
  const [recomputing, setRecomputing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // For the bench: time from opening the panel to the first painted summary (once per page load).
    if (d && performance.getEntriesByName(SUMMARY_MARK).length === 0) requestAnimationFrame(() => performance.mark(SUMMARY_MARK));
  }, [d]);
  if (!d) return null;
  const g = d.group;
  const lang = language.value;
  const others = d.topEngaged;
  return (
    <div class="overview">
      <section aria-labelledby="group-summary" data-testid="group-summary">
        <h2 id="group-summary">{g.name}</h2>
        <div class="muted">
          {g.accountName} · {t("members")}: {formatNumber(lang, g.memberCount)}
        </div>
        <div class="tiles">
          <ScoreTile kind="engagement" value={g.engagement} scores={model.scores.value} />
          <ScoreTile kind="completeness" value={g.completeness} scores={model.scores.value} />
        </div>
        <dl class="facts">
          <dt>{t("stage")}</dt>
          <dd>{g.stage?.name ?? "—"}</dd>
          <dt>{t("template")}</dt>
          <dd>
            {g.roleTemplate.name} v{g.roleTemplate.version}
          </dd>
          <dt>{t("lastModified")}</dt>
          <dd>{formatDateTime(lang, g.updatedAt)}</dd>
        </dl>
        <p class="summary">{g.summary}</p>
        <div class="computed">
          <span data-testid="scores-computed">{t("scoresComputedAt", { when: formatDateTime(lang, g.scoresComputedAt) })}</span>
          <button
            type="button"
            disabled={recomputing}
            onClick={async () => {
              setRecomputing(true);
              const err = await model.recompute();
              setError(err?.message ?? null);
              setRecomputing(false);
            }}
          >
            {t("recompute")}
          </button>
          {error && <span role="alert">{t("actionFailed", { message: error })}</span>}
        </div>
      </section>
      <section aria-labelledby="account-overview">
        <h3 id="account-overview">{t("accountOverview")}</h3>
        <dl class="facts">
          <dt>{t("people")}</dt>
          <dd>{formatNumber(lang, d.account.peopleCount)}</dd>
          <dt>{t("industry")}</dt>
          <dd>{d.account.industry ?? "—"}</dd>
          <dt>{t("segment")}</dt>
          <dd>{d.account.marketSegment ?? "—"}</dd>
          <dt>{t("openOpportunities")}</dt>
          <dd>
            {formatNumber(lang, d.account.openOpportunities.count)} ·{" "}
            {new Intl.NumberFormat(lang, { notation: "compact" }).format(d.account.openOpportunities.amount)}
          </dd>
          <dt>{t("lastJourneys")}</dt>
          <dd>
            <RecentJourneys journeys={d.account.journeys} lang={lang} empty={t("noJourneys")} />
          </dd>
        </dl>
        <p class="summary">{d.account.summary}</p>
      </section>
      {d.intent && (
        <section aria-labelledby="intent" data-testid="intent">
          <h3 id="intent">{t("intent")}</h3>
          <dl class="facts">
            {INTENT_ROWS.map(([type, label]) => {
              const level = d.intent.levels[type];
              return [
                <dt key={`${type}-t`}>{t(label)}</dt>,
                <dd key={`${type}-d`}>{level ? t(LEVEL_KEYS[level]) : t("intentNone")}</dd>,
              ];
            })}
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
      )}
      <section aria-labelledby="dm-row">
        <h3 id="dm-row">{t("decisionMakers")}</h3>
        <div class="cards" data-testid="decision-makers">
          {d.decisionMakers.length === 0 && <p class="muted">{t("noMembers")}</p>}
          {d.decisionMakers.map((c) => (
            <MemberCard key={c.personId} card={c} groupId={g.id} send={model.send} />
          ))}
        </div>
      </section>
      <section aria-labelledby="top-row">
        <h3 id="top-row">{t("topEngaged")}</h3>
        <div class="cards" data-testid="top-engaged">
          {others.length === 0 && <p class="muted">{t("noMembers")}</p>}
          {others.map((c) => (
            <MemberCard key={c.personId} card={c} groupId={g.id} send={model.send} />
          ))}
        </div>
      </section>
      <MissingRoles details={d} send={model.send} />
      <MemberFlags model={model} />
    </div>
  );
}
