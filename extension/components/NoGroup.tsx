import { useEffect, useState } from "preact/hooks";
import type { SolutionInterest } from "../../shared/api/solution-interests";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import { StateView } from "./StateView";

/** The account has no buying group: create one from a solution interest. */
export function NoGroup({ model }: { model: PanelModel }) {
  const [interests, setInterests] = useState<SolutionInterest[]>([]);
  const [choice, setChoice] = useState("");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void model.send({ type: "solution-interests/list" }).then((r) => {
      if (r.ok) {
        setInterests(r.data);
        setChoice(r.data[0]?.id ?? "");
      } else setError(errorText(language.value, r.error));
    });
  }, []);
  return (
    <StateView title={t("noGroupTitle")} body={t("noGroupBody")}>
      <label class="field">
        <span>{t("solutionInterest")}</span>
        <select value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
          {interests.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        class="primary"
        disabled={!choice}
        onClick={async () => {
          const e = await model.createGroup(choice);
          setError(e ? errorText(language.value, e) : null);
        }}
      >
        {t("createGroup")}
      </button>
      {error && <p role="alert">{error}</p>}
    </StateView>
  );
}
