import { useEffect, useState } from "preact/hooks";
import type { ActivityType } from "../../../../shared/api/activities";
import type { ActivityMapping, ConnectorCrm } from "../../../../shared/api/connections";
import { errorMessage } from "../../api";
import { useT } from "../../i18n";
import type { ConnectionsClient } from "./connections-api";
import { messages } from "./messages";

/** The CRM's activity kinds → activity types; "Not imported" leaves a kind out. */
export function ActivityMappingEditor({ crm, client }: { crm: ConnectorCrm; client: ConnectionsClient }) {
  const t = useT(messages);
  const [rows, setRows] = useState<ActivityMapping[] | null>(null);
  const [types, setTypes] = useState<ActivityType[]>([]);
  const [notice, setNotice] = useState<{ kind: "status" | "alert"; text: string } | null>(null);
  useEffect(() => {
    void (async () => {
      try {
        const [m, ty] = await Promise.all([client.mappings(crm), client.activityTypes()]);
        setRows(m);
        setTypes(ty);
      } catch (e) {
        setNotice({ kind: "alert", text: errorMessage(e) });
      }
    })();
  }, [crm]);
  if (!rows) return notice ? <p role="alert">{notice.text}</p> : null;
  const save = async () => {
    try {
      setRows(
        await client.saveMappings(
          crm,
          rows.map((r) => ({ sourceKey: r.sourceKey, typeId: r.typeId })),
        ),
      );
      setNotice({ kind: "status", text: t("saved") });
    } catch (e) {
      setNotice({ kind: "alert", text: t("actionFailed", { message: errorMessage(e) }) });
    }
  };
  return (
    <section class="activity-mapping" aria-labelledby={`mapping-${crm}`}>
      <h2 id={`mapping-${crm}`}>{t("mappingTitle", { crm: t(crm) })}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("sourceKey")}</th>
            <th scope="col">{t("activityType")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.sourceKey}>
              <td>
                {r.label} <code class="muted">{r.sourceKey}</code>
              </td>
              <td>
                <select
                  aria-label={`${t("activityType")}: ${r.label}`}
                  value={r.typeId ?? ""}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setRows(rows.map((x, j) => (j === i ? { ...x, typeId: v === "" ? null : v } : x)));
                  }}
                >
                  <option value="">{t("notImported")}</option>
                  {types.map((ty) => (
                    <option key={ty.id} value={ty.id}>
                      {ty.name}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => void save()}>
        {t("saveMapping")}
      </button>
      {notice && <p role={notice.kind}>{notice.text}</p>}
    </section>
  );
}
