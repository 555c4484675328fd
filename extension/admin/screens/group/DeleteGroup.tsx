import { useState } from "preact/hooks";
import { type AdminApi, errorMessage, expectOk } from "../../api";
import type { Translate } from "../../i18n";
import { navigate, routeHref } from "../../router";
import type { messages } from "./messages";

type T = Translate<keyof (typeof messages)["en"] & string>;

/**
 * Admins only: deletes the buying group after the user types its name. The server keeps its history
 * (an audit snapshot of members and stages, member-removed and group-deleted events).
 */
export function DeleteGroup(props: { t: T; api: AdminApi; groupId: string; name: string; memberCount: number }) {
  const { t, api, groupId, name } = props;
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function remove(e: Event) {
    e.preventDefault();
    if (typed.trim() !== name) return;
    setBusy(true);
    setError(null);
    try {
      await expectOk(api.groups[":id"].$delete({ param: { id: groupId } }));
      navigate(routeHref("browse"));
    } catch (err) {
      setError(t("actionFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="g-delete" class="panel-box danger-zone">
      <h2 id="g-delete">{t("deleteGroupTitle")}</h2>
      <p class="muted">{t("deleteGroupHint", { count: props.memberCount })}</p>
      {!open ? (
        <button type="button" class="danger" onClick={() => setOpen(true)}>
          {t("deleteGroup")}
        </button>
      ) : (
        <form onSubmit={remove}>
          <div class="field">
            <label for="g-delete-name">{t("deleteGroupTypeName", { name })}</label>
            <input
              id="g-delete-name"
              value={typed}
              autoComplete="off"
              onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <p class="actions">
            <button type="submit" class="danger" disabled={busy || typed.trim() !== name}>
              {t("deleteGroupYes")}
            </button>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                setTyped("");
              }}
            >
              {t("deleteGroupKeep")}
            </button>
          </p>
        </form>
      )}
      <div role="alert">{error && <p class="field-error">{error}</p>}</div>
    </section>
  );
}
