import { useState } from "preact/hooks";
import type { GroupScores } from "../../shared/api/groups";
import { language, t } from "../models/locale";
import { formatNumber } from "../utils/i18n";

interface Props {
  kind: "completeness" | "engagement";
  value: number;
  scores: GroupScores | null;
}

/** A score with its breakdown one click away. */
export function ScoreTile({ kind, value, scores }: Props) {
  const [open, setOpen] = useState(false);
  const label = t(kind);
  const id = `breakdown-${kind}`;
  const shown = kind === "completeness" ? `${formatNumber(language.value, value, 0)} %` : formatNumber(language.value, value, 0);
  return (
    <div class="tile" data-testid={`score-${kind}`}>
      <div class="tile-label">{label}</div>
      <div class="tile-value">{shown}</div>
      <button type="button" class="link" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {open ? t("hideBreakdown") : t("showBreakdown", { score: shown })}
      </button>
      {open && (
        <div id={id} class="breakdown">
          {!scores && <p>{t("loading")}</p>}
          {scores && kind === "completeness" && (
            <ul>
              {scores.completeness.roles.map((r) => (
                <li key={r.key}>{t("missingRole", { role: r.name, assigned: r.assigned, required: r.membersRequired })}</li>
              ))}
            </ul>
          )}
          {scores && kind === "engagement" && (
            <ul>
              {scores.engagement.roles.map((r) => (
                <li key={r.key}>
                  {r.name}: {formatNumber(language.value, r.total)} × {formatNumber(language.value, r.share * 100, 0)} % ={" "}
                  {formatNumber(language.value, r.contribution)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
