import { useEffect, useState } from "preact/hooks";
import type { ActivityType } from "../../../../shared/api/activities";
import { errorMessage } from "../../api";
import { useT } from "../../i18n";
import type { EventSourcesClient, MappingsView } from "./event-sources-api";
import { messages } from "./messages";

/**
 * Track event names → activity types: the mapping in force (defaults and the admin's choices) and the unmapped
 * names with how many arrived and how many wait. Changed rows are saved together; held events of newly mapped
 * names are stored by the server and the answer says how many.
 */
export function EventMappingEditor({ client }: { client: EventSourcesClient }) {
  const t = useT(messages);
  const [view, setView] = useState<MappingsView | null>(null);
  const [types, setTypes] = useState<ActivityType[]>([]);
  const [changes, setChanges] = useState<Map<string, string | null>>(new Map());
  const [notice, setNotice] = useState<{ kind: "status" | "alert"; text: string } | null>(null);

  const load = async () => {
    try {
      const [v, ty] = await Promise.all([client.mappings(), client.activityTypes()]);
      setView(v);
      setTypes(ty);
    } catch (e) {
      setNotice({ kind: "alert", text: errorMessage(e) });
    }
  };
  useEffect(() => {
    void load();
  }, []);
  if (!view) return notice ? <p role="alert">{notice.text}</p> : null;

  // An unmapped name's empty choice ("—") is no change; a mapped name's is "Not imported".
  const change = (eventName: string, value: string, allowNone: boolean) => {
    const next = new Map(changes);
    if (value === "" && !allowNone) next.delete(eventName);
    else next.set(eventName, value === "" ? null : value);
    setChanges(next);
  };
  const save = async () => {
    try {
      const saved = await client.saveMappings([...changes].map(([eventName, typeId]) => ({ eventName, typeId })));
      setView(saved);
      setChanges(new Map());
      setNotice({ kind: "status", text: saved.released ? t("savedReleased", { count: saved.released }) : t("saved") });
    } catch (e) {
      setNotice({ kind: "alert", text: t("actionFailed", { message: errorMessage(e) }) });
    }
  };
  const typeSelect = (eventName: string, current: string | null, label: string, allowNone: boolean) => (
    <select
      aria-label={`${label}: ${eventName}`}
      value={changes.has(eventName) ? (changes.get(eventName) ?? "") : (current ?? "")}
      onChange={(e) => change(eventName, e.currentTarget.value, allowNone)}
    >
      <option value="">{allowNone ? t("notImported") : "—"}</option>
      {types.map((ty) => (
        <option key={ty.id} value={ty.id}>
          {ty.name}
        </option>
      ))}
    </select>
  );
  return (
    <section class="event-mapping" aria-labelledby="event-mapping-title">
      <h2 id="event-mapping-title">{t("mappingTitle")}</h2>
      <p class="muted">{t("mappingIntro")}</p>
      <h3>{t("unmappedTitle")}</h3>
      {view.unmapped.length === 0 ? (
        <p>{t("unmappedNone")}</p>
      ) : (
        <table class="unmapped">
          <thead>
            <tr>
              <th scope="col">{t("eventName")}</th>
              <th scope="col">{t("received")}</th>
              <th scope="col">{t("waiting")}</th>
              <th scope="col">{t("lastSeen")}</th>
              <th scope="col">{t("mapTo")}</th>
            </tr>
          </thead>
          <tbody>
            {view.unmapped.map((u) => (
              <tr key={u.eventName}>
                <td>{u.eventName}</td>
                <td>{u.count}</td>
                <td>{u.waiting}</td>
                <td>{new Date(u.lastSeenAt).toLocaleString()}</td>
                <td>{typeSelect(u.eventName, null, t("mapTo"), false)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table class="mappings">
        <thead>
          <tr>
            <th scope="col">{t("eventName")}</th>
            <th scope="col">{t("activityType")}</th>
            <th scope="col">{t("origin")}</th>
          </tr>
        </thead>
        <tbody>
          {view.items.map((m) => (
            <tr key={m.eventName}>
              <td>{m.eventName}</td>
              <td>{typeSelect(m.eventName, m.typeId, t("activityType"), true)}</td>
              <td>{t(m.origin)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={changes.size === 0} onClick={() => void save()}>
        {t("saveMapping")}
      </button>
      {notice && <p role={notice.kind}>{notice.text}</p>}
    </section>
  );
}
