import { useEffect, useMemo, useState } from "preact/hooks";
import type { Connection, ConnectorCrm } from "../../../../shared/api/connections";
import type { ScreenProps } from "../../AdminApp";
import { ApiFieldError, errorMessage } from "../../api";
import { useT } from "../../i18n";
import { useSession } from "../../session";
import { ActivityMappingEditor } from "./ActivityMappingEditor";
import { ConnectionCard } from "./ConnectionCard";
import { AUTH_FIELDS, AUTH_KINDS, type ConnectionForm, createBody, emptyForm, type FieldName } from "./connection-form";
import { connectionsApi } from "./connections-api";
import { messages } from "./messages";
import "./connections.css";

const FIELD_LABEL: Record<
  FieldName,
  "clientId" | "clientSecret" | "username" | "passwordField" | "securityToken" | "privateKey" | "accessToken"
> = {
  clientId: "clientId",
  clientSecret: "clientSecret",
  username: "username",
  password: "passwordField",
  securityToken: "securityToken",
  privateKey: "privateKey",
  accessToken: "accessToken",
};

/** CRM connections (admins only): `#/connections`. */
export function ConnectionsScreen(_props: ScreenProps) {
  const { api } = useSession();
  const t = useT(messages);
  const client = useMemo(() => connectionsApi(api), [api]);
  const [items, setItems] = useState<Connection[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<ConnectionForm>(emptyForm());
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [issues, setIssues] = useState<Record<string, string>>({});

  async function load() {
    try {
      setItems(await client.list());
      setLoadError(null);
    } catch (e) {
      setLoadError(t("loadFailed", { message: errorMessage(e) }));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setSaving(true);
    setFormError(null);
    setIssues({});
    try {
      await client.create(createBody(form));
      setForm(emptyForm(form.crm));
      await load();
    } catch (err) {
      setFormError(t("createFailed", { message: errorMessage(err) }));
      if (err instanceof ApiFieldError) setIssues(Object.fromEntries(err.issues.map((i) => [i.field, i.message])));
    } finally {
      setSaving(false);
    }
  }

  const set = (patch: Partial<ConnectionForm>) => setForm({ ...form, ...patch });
  const fieldError = (path: string) =>
    issues[path] && (
      <span class="field-error" id={`err-${path}`}>
        {issues[path]}
      </span>
    );
  const crms = [...new Set((items ?? []).map((c) => c.crm))];
  return (
    <section class="connections-screen">
      <h1>{t("title")}</h1>
      <p class="muted">{t("intro")}</p>
      {loadError && <p role="alert">{loadError}</p>}
      {!items && !loadError && <p role="status">{t("loading")}</p>}
      {items && items.length === 0 && <p>{t("none")}</p>}
      {items?.map((c) => (
        <ConnectionCard key={c.id} conn={c} client={client} onChanged={() => void load()} />
      ))}
      <form class="new-connection" onSubmit={submit} aria-labelledby="new-connection">
        <h2 id="new-connection">{t("newConnection")}</h2>
        <label>
          {t("crm")}
          <select name="crm" value={form.crm} onChange={(e) => setForm(emptyForm(e.currentTarget.value as ConnectorCrm))}>
            <option value="salesforce">{t("salesforce")}</option>
            <option value="hubspot">{t("hubspot")}</option>
          </select>
        </label>
        <label>
          {t("name")}
          <input name="name" value={form.name} required onInput={(e) => set({ name: e.currentTarget.value })} />
        </label>
        <label>
          {t("method")}
          <select
            name="authKind"
            value={form.authKind}
            onChange={(e) => set({ authKind: e.currentTarget.value as ConnectionForm["authKind"], fields: {} })}
          >
            {AUTH_KINDS[form.crm].map((k) => (
              <option key={k} value={k}>
                {t(k)}
              </option>
            ))}
          </select>
        </label>
        {AUTH_FIELDS[form.authKind].map((f) => (
          // biome-ignore lint/a11y/noLabelWithoutControl: the control is the input or textarea below (one of the two).
          <label key={f}>
            {t(FIELD_LABEL[f])}
            {f === "privateKey" ? (
              <textarea
                name={f}
                rows={4}
                value={form.fields[f] ?? ""}
                onInput={(e) => set({ fields: { ...form.fields, [f]: e.currentTarget.value } })}
              />
            ) : (
              <input
                name={f}
                type={
                  f === "password" || f === "clientSecret" || f === "accessToken" || f === "securityToken" ? "password" : "text"
                }
                autocomplete="off"
                value={form.fields[f] ?? ""}
                aria-invalid={issues[`auth.${f}`] ? true : undefined}
                aria-describedby={issues[`auth.${f}`] ? `err-auth.${f}` : undefined}
                onInput={(e) => set({ fields: { ...form.fields, [f]: e.currentTarget.value } })}
              />
            )}
            {fieldError(`auth.${f}`)}
          </label>
        ))}
        <label>
          {t("baseUrl")}
          <input name="baseUrl" value={form.baseUrl} onInput={(e) => set({ baseUrl: e.currentTarget.value })} />
          {fieldError("baseUrl")}
        </label>
        <label>
          {t("loginUrl")}
          <input name="loginUrl" value={form.loginUrl} onInput={(e) => set({ loginUrl: e.currentTarget.value })} />
          {fieldError("loginUrl")}
        </label>
        {formError && <p role="alert">{formError}</p>}
        <button type="submit" class="primary" disabled={saving}>
          {saving ? t("connecting") : t("connect")}
        </button>
      </form>
      {crms.map((crm) => (
        <ActivityMappingEditor key={crm} crm={crm} client={client} />
      ))}
    </section>
  );
}
