import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { EventSource } from "../../../../shared/api/event-sources";
import type { ScreenProps } from "../../AdminApp";
import { ApiFieldError, errorMessage } from "../../api";
import { useT } from "../../i18n";
import { useSession } from "../../session";
import { EventMappingEditor } from "./EventMappingEditor";
import { type EventSourcesClient, eventSourcesApi } from "./event-sources-api";
import { messages } from "./messages";
import "./event-sources.css";

/** A secret just issued (create or rotate), shown this once with a copy button; takes the focus. */
function SecretReveal({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const t = useT(messages);
  const [copy, setCopy] = useState<"copied" | "failed" | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => heading.current?.focus(), [secret]);
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy("copied");
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopy("failed");
    }
  };
  return (
    <section class="secret-reveal" aria-labelledby="secret-reveal-title">
      <h3 id="secret-reveal-title" tabIndex={-1} ref={heading}>
        {t("revealTitle", { name })}
      </h3>
      <p>{t("revealOnce")}</p>
      <input
        ref={input}
        aria-label={t("revealTitle", { name })}
        data-testid="new-secret"
        readOnly
        value={secret}
        spellcheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />{" "}
      <button type="button" class="primary" onClick={() => void copySecret()}>
        {t("copy")}
      </button>{" "}
      <button type="button" onClick={onDone}>
        {t("done")}
      </button>
      <p role="status" class="muted">
        {copy === "copied" ? t("copied") : copy === "failed" ? t("copyFailed") : ""}
      </p>
    </section>
  );
}

function SourceCard({
  source,
  client,
  serverUrl,
  onChanged,
  onSecret,
}: {
  source: EventSource;
  client: EventSourcesClient;
  serverUrl: string;
  onChanged: () => void;
  onSecret: (name: string, secret: string) => void;
}) {
  const t = useT(messages);
  const [error, setError] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (e) {
      setError(t("actionFailed", { message: errorMessage(e) }));
    }
  };
  const url = `${serverUrl.replace(/\/+$/, "")}${source.ingestPath}`;
  return (
    <article class="event-source" aria-labelledby={`source-${source.id}`}>
      <h2 id={`source-${source.id}`}>
        {source.name} <span class={`status-${source.status}`}>{t(source.status)}</span>
      </h2>
      <p>
        {t("ingestUrl")}: <code class="ingest-url">{url}</code>
      </p>
      <p class="muted">
        {t("secretHint", { hint: source.secretHint })} · {t("events", { count: source.eventsReceived })} ·{" "}
        {source.lastEventAt ? t("lastEvent", { at: new Date(source.lastEventAt).toLocaleString() }) : t("noEvents")}
      </p>
      <p class="actions">
        <button
          type="button"
          onClick={() =>
            confirm(t("confirmRotate", { name: source.name })) &&
            void act(async () => onSecret(source.name, (await client.rotate(source.id)).secret))
          }
        >
          {t("rotate")}
        </button>{" "}
        <button
          type="button"
          onClick={() => void act(() => client.update(source.id, { status: source.status === "active" ? "paused" : "active" }))}
        >
          {source.status === "active" ? t("pause") : t("resume")}
        </button>{" "}
        <button
          type="button"
          class="danger"
          onClick={() => confirm(t("confirmRemove", { name: source.name })) && void act(() => client.remove(source.id))}
        >
          {t("remove")}
        </button>
      </p>
      {error && <p role="alert">{error}</p>}
    </article>
  );
}

/** Event sources (admins only): `#/event-sources`. */
export function EventSourcesScreen(_props: ScreenProps) {
  const { api, serverUrl } = useSession();
  const t = useT(messages);
  const client = useMemo(() => eventSourcesApi(api), [api]);
  const [items, setItems] = useState<EventSource[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [reveal, setReveal] = useState<{ name: string; secret: string } | null>(null);

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
    setFieldError(null);
    try {
      const created = await client.create(name);
      setReveal({ name: created.name, secret: created.secret });
      setName("");
      await load();
    } catch (err) {
      setFormError(t("createFailed", { message: errorMessage(err) }));
      if (err instanceof ApiFieldError) setFieldError(err.issues.find((i) => i.field === "name")?.message ?? null);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section class="event-sources-screen">
      <h1>{t("title")}</h1>
      <p class="muted">{t("intro")}</p>
      {reveal && <SecretReveal name={reveal.name} secret={reveal.secret} onDone={() => setReveal(null)} />}
      {loadError && <p role="alert">{loadError}</p>}
      {!items && !loadError && <p role="status">{t("loading")}</p>}
      {items && items.length === 0 && <p>{t("none")}</p>}
      {items?.map((s) => (
        <SourceCard
          key={s.id}
          source={s}
          client={client}
          serverUrl={serverUrl}
          onChanged={() => void load()}
          onSecret={(n, secret) => setReveal({ name: n, secret })}
        />
      ))}
      <form class="new-source" onSubmit={submit} aria-labelledby="new-source">
        <h2 id="new-source">{t("newSource")}</h2>
        <label>
          {t("name")}{" "}
          <input
            name="name"
            value={name}
            required
            maxLength={100}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? "err-name" : undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          {fieldError && (
            <span class="field-error" id="err-name">
              {fieldError}
            </span>
          )}
        </label>{" "}
        <button type="submit" class="primary" disabled={saving}>
          {saving ? t("creating") : t("create")}
        </button>
        {formError && <p role="alert">{formError}</p>}
      </form>
      <EventMappingEditor client={client} />
    </section>
  );
}
