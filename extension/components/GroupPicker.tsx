import { t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";

/** With several groups on the account: open ones first, each with its stage and completeness. */
export function GroupPicker({ model }: { model: PanelModel }) {
  const groups = model.groups.value;
  if (groups.length < 2) return null;
  return (
    <label class="field">
      <span>{t("groupPicker")}</span>
      <select
        data-testid="group-picker"
        value={model.groupId.value ?? ""}
        onChange={(e) => void model.selectGroup(e.currentTarget.value)}
      >
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.stage
              ? t("groupOption", { name: g.solutionInterestName, stage: g.stage.name, completeness: g.completeness })
              : t("groupOptionNoStage", { name: g.solutionInterestName, completeness: g.completeness })}
          </option>
        ))}
      </select>
    </label>
  );
}
