import { useEffect, useState } from "preact/hooks";
import { can, type UserRole } from "../../shared/domain/roles";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import type { GroupStage } from "../utils/messages";

/** The group's stage; users who may change groups move it to one of the stages the model allows from here. */
export function StageControl({ model }: { model: PanelModel }) {
  const d = model.details.value!;
  const role = model.me.value?.role as UserRole | undefined;
  const mayMove = role !== undefined && can(role, "groups:write");
  const [stage, setStage] = useState<GroupStage | null>(null);
  const [target, setTarget] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!mayMove) return;
    let live = true;
    void model.send({ type: "group/stage", groupId: d.group.id }).then((r) => {
      if (!live || !r.ok) return;
      setStage(r.data);
      setTarget(r.data.allowedTargets[0]?.id ?? "");
    });
    return () => {
      live = false;
    };
  }, [d.group.id, d.group.stage?.id, mayMove]);

  async function move() {
    setBusy(true);
    const r = await model.send({ type: "group/change-stage", groupId: d.group.id, stageId: target });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: errorText(language.value, r.error) });
    setMessage({ ok: true, text: t("stageMoved", { stage: r.data.stage?.name ?? "" }) });
    await model.refreshGroup();
  }

  const targets = stage?.allowedTargets ?? [];
  return (
    <div class="stage" data-testid="stage">
      <span class="muted">{t("stage")}:</span> <strong>{d.group.stage?.name ?? t("noStage")}</strong>
      {mayMove && targets.length > 0 && (
        <span class="stage-move">
          <label>
            <span class="sr-only">{t("changeStage")}</span>
            <select aria-label={t("changeStage")} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              {targets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="button" disabled={busy || !target} onClick={move}>
            {t("moveStage")}
          </button>
        </span>
      )}
      {message && (
        <p role={message.ok ? "status" : "alert"} class={message.ok ? "ok" : "err"}>
          {message.text}
        </p>
      )}
    </div>
  );
}
