import { useState } from "preact/hooks";
import type { GroupDetails, GroupScores } from "../../shared/api/groups";
import { language, t } from "../models/locale";
import { formatNumber } from "../utils/i18n";

type Kind = "engagement" | "completeness";

/** Engagement with its 7-day trend and completeness with roles filled; each breakdown opens below both, in sentences. */
export function ScoreTiles({ details, scores }: { details: GroupDetails; scores: GroupScores | null }) {
  const [open, setOpen] = useState<Kind | null>(null);
  const lang = language.value;
  const g = details.group;
  const n = (v: number) => formatNumber(lang, v, 0);
  const counted = details.roles.filter((r) => r.countsTowardCompleteness);
  const filled = counted.filter((r) => r.assigned >= r.membersRequired).length;
  const tiles: Array<{ kind: Kind; value: string; sub: string }> = [
    { kind: "engagement", value: n(g.engagement), sub: trend(g.engagement, g.weekAgo?.engagement ?? null) },
    { kind: "completeness", value: `${n(g.completeness)} %`, sub: t("rolesFilled", { filled, count: counted.length }) },
  ];
  return (
    <div class="scores">
      <div class="tiles">
        {tiles.map(({ kind, value, sub }) => (
          <div key={kind} class="tile" data-testid={`score-${kind}`}>
            <div class="tile-label">{t(kind)}</div>
            <div class="tile-value">{value}</div>
            <div class="tile-sub" data-testid={`${kind}-sub`}>
              {sub}
            </div>
            <button
              type="button"
              class="link"
              aria-expanded={open === kind}
              aria-controls="score-breakdown"
              onClick={() => setOpen(open === kind ? null : kind)}
            >
              {open === kind ? t("hideBreakdown") : t("showBreakdown", { score: value })}
            </button>
          </div>
        ))}
      </div>
      {open && (
        <section id="score-breakdown" class="breakdown" aria-labelledby="breakdown-title">
          <h3 id="breakdown-title">
            {t(open === "engagement" ? "breakdownEngagement" : "breakdownCompleteness", {
              score: tiles.find((x) => x.kind === open)!.value,
            })}
          </h3>
          {!scores && <p>{t("loading")}</p>}
          {scores && open === "completeness" && (
            <ul>
              {scores.completeness.roles.map((r) => (
                <li key={r.key}>
                  {r.assigned >= r.membersRequired
                    ? t("roleFilledLine", { role: r.name, assigned: r.assigned, required: r.membersRequired, count: r.assigned })
                    : t("roleMissingLine", { role: r.name, count: r.membersRequired - r.assigned })}
                </li>
              ))}
            </ul>
          )}
          {scores && open === "engagement" && (
            <ul>
              {scores.engagement.roles.map((r) => (
                <li key={r.key}>
                  {r.total === 0
                    ? t("roleNoEngagement", { role: r.name })
                    : t("roleContribution", {
                        role: r.name,
                        contribution: formatNumber(lang, r.contribution),
                        total: r.total,
                        share: formatNumber(lang, r.share * 100, 0),
                      })}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

/** "+12 this week", "−3 this week", "unchanged this week"; "new this week" for a group younger than a week. */
function trend(now: number, weekAgo: number | null): string {
  if (weekAgo === null) return t("trendNew");
  const delta = now - weekAgo;
  if (delta === 0) return t("trendFlat");
  return t(delta > 0 ? "trendUp" : "trendDown", { delta: Math.abs(delta) });
}
