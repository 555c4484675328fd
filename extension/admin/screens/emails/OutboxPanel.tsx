import { useState } from "preact/hooks";
import { errorMessage, expectOk } from "../../api";
import { useT } from "../../i18n";
import { useSession } from "../../session";
import { messages } from "./messages";

interface OutboxList {
  transport: "file" | "smtp";
  dir: string | null;
  total: number;
  items: Array<{ file: string; date: string; to: string; subject: string; size: number }>;
}

/**
 * Admins only: the file transport's messages (GET /api/outbox with the admin token; the server no
 * longer serves them on an open page). One message's source opens below the list.
 */
export function OutboxPanel() {
  const t = useT(messages);
  const { api } = useSession();
  const [list, setList] = useState<OutboxList | null>(null);
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<{ file: string; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    if (open) return setOpen(false);
    setOpen(true);
    setError(null);
    try {
      setList(await expectOk<OutboxList>(api.outbox.$get({ query: {} })));
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  async function show(file: string) {
    setError(null);
    try {
      const res = await api.outbox[":file"].$get({ param: { file } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      setMessage({ file, text: await res.text() });
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <section class="card outbox" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title">{t("outbox")}</h2>
      <button type="button" aria-expanded={open} onClick={() => void toggle()}>
        {open ? t("outboxHide") : t("outboxShow")}
      </button>
      <div role="alert">{error && <p class="state state-error">{t("loadFailed", { message: error })}</p>}</div>
      {open && list && (
        <>
          <p class="muted">{list.transport === "smtp" ? t("outboxSmtp") : t("outboxIntro", { dir: list.dir ?? "" })}</p>
          {list.transport === "file" && list.items.length === 0 && <p class="muted">{t("outboxEmpty")}</p>}
          {list.items.length > 0 && (
            <div class="table-scroll">
              <table class="admin-table">
                <thead>
                  <tr>
                    <th scope="col">{t("outboxDate")}</th>
                    <th scope="col">{t("outboxTo")}</th>
                    <th scope="col">{t("outboxSubject")}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((m) => (
                    <tr key={m.file}>
                      <td>{m.date}</td>
                      <td>{m.to}</td>
                      <td>
                        <button type="button" class="link" onClick={() => void show(m.file)}>
                          {m.subject || m.file}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {message && (
            <figure class="outbox-message">
              <figcaption>{t("outboxMessage", { file: message.file })}</figcaption>
              <pre data-testid="outbox-source">{message.text}</pre>
            </figure>
          )}
        </>
      )}
    </section>
  );
}
