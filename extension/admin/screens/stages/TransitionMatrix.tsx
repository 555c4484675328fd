import type { JSX } from "preact";
import { useT } from "../../i18n";
import { describedBy } from "../templates/FieldErrors";
import { stageMessages } from "./messages";
import { hasTransition, type StageModelDraft } from "./stage-form";

interface Props {
  draft: StageModelDraft;
  readOnly: boolean;
  onToggle: (from: string, to: string) => void;
  /** Problems per allowed transition, by its index in draft.transitions. */
  errorsAt: (index: number) => string[] | undefined;
  idFor: (path: string) => string;
}

/**
 * Allowed transitions as a from × to grid of checkboxes (rows: from, columns: to). Every checkbox is a real input with
 * a label naming both stages; the arrow keys move between cells, Space toggles.
 */
export function TransitionMatrix({ draft, readOnly, onToggle, errorsAt, idFor }: Props) {
  const t = useT(stageMessages);
  const n = draft.stages.length;
  const cellId = (r: number, c: number) => `stg-cell-${r}-${c}`;

  const onKeyDown = (r: number, c: number) => (e: JSX.TargetedKeyboardEvent<HTMLInputElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    let [nr, nc] = [r + m[0], c + m[1]];
    // skip the diagonal (a stage never moves to itself)
    if (nr === nc) [nr, nc] = [nr + m[0], nc + m[1]];
    if (nr < 0 || nc < 0 || nr >= n || nc >= n) return;
    document.getElementById(cellId(nr, nc))?.focus();
  };

  return (
    <div class="stg-matrix-wrap">
      <table class="stg-matrix">
        <caption class="sr-only">{t("matrixCaption")}</caption>
        <thead>
          <tr>
            <th scope="col" class="stg-corner">
              {t("fromTo")}
            </th>
            {draft.stages.map((s, c) => (
              <th key={s.uid} scope="col">
                <span class="stg-col-name">{s.name || t("unnamedStage", { n: c + 1 })}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {draft.stages.map((from, r) => (
            <tr key={from.uid}>
              <th scope="row">{from.name || t("unnamedStage", { n: r + 1 })}</th>
              {draft.stages.map((to, c) => {
                if (r === c)
                  return (
                    <td key={to.uid} class="stg-self" aria-label={t("selfTransition")}>
                      —
                    </td>
                  );
                const index = draft.transitions.findIndex((x) => x.from === from.uid && x.to === to.uid);
                const errors = index >= 0 ? errorsAt(index) : undefined;
                const label = t("allow", {
                  from: from.name || t("unnamedStage", { n: r + 1 }),
                  to: to.name || t("unnamedStage", { n: c + 1 }),
                });
                const base = describedBy(index >= 0 ? idFor(`transitions.${index}`) : cellId(r, c), errors);
                return (
                  <td key={to.uid} class={errors ? "stg-cell-bad" : undefined}>
                    <input
                      type="checkbox"
                      {...base}
                      id={cellId(r, c)}
                      aria-label={label}
                      title={label}
                      checked={hasTransition(draft, from.uid, to.uid)}
                      disabled={readOnly}
                      onChange={() => onToggle(from.uid, to.uid)}
                      onKeyDown={onKeyDown(r, c)}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
