import { useEffect, useState } from "preact/hooks";
import type { Person } from "../../shared/api/people";
import type { TemplateRole } from "../../shared/api/templates";
import { t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { MAX_BULK_MEMBERS } from "../utils/limits";
import { ruleRoleFor } from "../utils/suggest-contacts";

/** Pick account contacts (with search), a role for each (prefilled by the rules), then assign them in one request. */
export function AssignMembers({ model, onDone }: { model: PanelModel; onDone(): void }) {
  const d = model.details.value!;
  const [q, setQ] = useState("");
  const [people, setPeople] = useState<Person[]>([]);
  const [roles, setRoles] = useState<TemplateRole[]>([]);
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const memberIds = new Set(d.members.map((m) => m.personId));

  useEffect(() => {
    void model.send({ type: "group/template-roles", templateId: d.group.roleTemplate.id }).then((r) => r.ok && setRoles(r.data));
  }, [d.group.roleTemplate.id]);
  useEffect(() => {
    const timer = setTimeout(() => {
      void model.send({ type: "account/people", accountId: d.account.id, q }).then((r) => {
        if (r.ok) setPeople(r.data);
        else setError(r.error.message);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [q, d.account.id]);

  function toggle(p: Person, on: boolean) {
    const next = new Map(picked);
    if (on) next.set(p.id, ruleRoleFor(p, roles) ?? "");
    else next.delete(p.id);
    setPicked(next);
  }

  async function assign() {
    const members = [...picked].map(([personId, roleKey]) => ({ personId, roleKey }));
    if (members.some((m) => !m.roleKey)) return setError(t("chooseRole"));
    if (members.length > MAX_BULK_MEMBERS) return setError(t("tooMany", { max: MAX_BULK_MEMBERS }));
    setBusy(true);
    const res = await model.send({ type: "members/assign", groupId: d.group.id, members });
    setBusy(false);
    if (!res.ok) return setError(res.error.message); // the picks stay for a retry
    setPicked(new Map());
    setError(null);
    await model.refreshGroup();
    onDone();
  }

  return (
    <section class="assign" aria-labelledby="assign-title" data-testid="assign-members">
      <h3 id="assign-title">{t("addMembers")}</h3>
      <label class="field">
        <span>{t("searchContacts")}</span>
        <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </label>
      {people.length === 0 && <p class="muted">{t("noContacts")}</p>}
      <ul class="plain">
        {people.map((p) => {
          const isMember = memberIds.has(p.id);
          const role = picked.get(p.id);
          return (
            <li key={p.id} class="row">
              <label>
                <input
                  type="checkbox"
                  disabled={isMember}
                  checked={role !== undefined}
                  onChange={(e) => toggle(p, e.currentTarget.checked)}
                />{" "}
                {p.name}
                {p.jobTitle && <span class="muted"> · {p.jobTitle}</span>}
                {isMember && <span class="muted"> · {t("alreadyMember")}</span>}
              </label>
              {role !== undefined && (
                <select
                  aria-label={t("roleFor", { name: p.name })}
                  value={role}
                  onChange={(e) => setPicked(new Map(picked).set(p.id, e.currentTarget.value))}
                >
                  <option value="">{t("chooseRole")}</option>
                  {roles.map((r) => (
                    <option key={r.key} value={r.key}>
                      {r.name}
                    </option>
                  ))}
                </select>
              )}
            </li>
          );
        })}
      </ul>
      {error && <p role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="primary" disabled={busy || picked.size === 0} onClick={assign}>
          {t("assignSelected", { count: picked.size })}
        </button>
        <button type="button" onClick={onDone}>
          {t("cancel")}
        </button>
      </div>
    </section>
  );
}
