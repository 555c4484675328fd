import { useEffect, useState } from "preact/hooks";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import { formatDateTime, type MessageKey } from "../utils/i18n";
import type { Timeline } from "../utils/messages";

type Item = Timeline["items"][number];
const SOURCE_KEYS: Record<string, MessageKey> = {
  manual: "sourceManualShort",
  journey: "sourceJourneyShort",
  system: "sourceSystemShort",
};

/** The group's audit timeline: who changed what, when, from which source; newest first, older pages on request. */
export function TimelineTab({ model }: { model: PanelModel }) {
  const d = model.details.value!;
  const [items, setItems] = useState<Item[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lang = language.value;

  async function load(before?: string) {
    const r = await model.send({ type: "group/timeline", groupId: d.group.id, ...(before ? { before } : {}) });
    if (!r.ok) return setError(errorText(lang, r.error));
    setError(null);
    setItems((old) => (before && old ? [...old, ...r.data.items] : r.data.items));
    setNext(r.data.next);
  }
  useEffect(() => {
    void load();
  }, [d.group.id, d.group.updatedAt]);

  const roleName = (key: unknown) => d.roles.find((r) => r.key === key)?.name ?? String(key ?? "");
  return (
    <section aria-labelledby="timeline-title" data-testid="timeline">
      <h2 id="timeline-title" class="sr-only">
        {t("tabTimeline")}
      </h2>
      {error && <p role="alert">{error}</p>}
      {!items && !error && <p>{t("loading")}</p>}
      {items?.length === 0 && <p class="muted">{t("timelineEmpty")}</p>}
      <ol class="plain timeline">
        {items?.map((it) => (
          <li key={it.id}>
            <span class="what">{describe(it, roleName)}</span>
            <span class="muted when">
              <time dateTime={it.at}>{formatDateTime(lang, it.at)}</time> ·{" "}
              {it.actor
                ? t("byWhom", { who: it.actor.name, source: t(SOURCE_KEYS[it.source] ?? "sourceManualShort") })
                : t("bySystem", { source: t(SOURCE_KEYS[it.source] ?? "sourceSystemShort") })}
            </span>
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t("timelineMore")}
        </button>
      )}
    </section>
  );
}

/** One entry as a whole translated sentence. */
function describe(it: Item, roleName: (key: unknown) => string): string {
  const name = it.entityName ?? "";
  const x = it.details;
  switch (it.action) {
    case "member.added":
      return t("timelineAdded", { name, role: roleName(x.roleKey) });
    case "member.readded":
      return t("timelineReadded", { name, role: roleName(x.roleKey) });
    case "member.removed":
      return t("timelineRemoved", { name });
    case "member.role_changed":
      return t("timelineRoleChanged", { name, from: roleName(x.previousRoleKey), role: roleName(x.roleKey) });
    case "member.change_skipped":
      return t("timelineSkipped", { name });
    case "group.stage_changed":
      return t("timelineStage", { stage: String(x.toStageName ?? "") });
    case "group.created":
      return t("timelineCreated");
    case "email.queued":
      return t("timelineEmailQueued", { email: String(x.emailName ?? ""), name });
    case "email.skipped":
      return t("timelineEmailSkipped", { email: String(x.emailName ?? ""), name });
    default:
      return t("timelineOther", { action: it.action });
  }
}
