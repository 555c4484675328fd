import { useEffect, useState } from "preact/hooks";
import type { GroupDetails } from "../../shared/api/groups";
import type { Person } from "../../shared/api/people";
import type { TemplateRole } from "../../shared/api/templates";
import { t } from "../models/locale";
import type { Send } from "../models/panel-model";
import { suggestForRoles } from "../utils/suggest-contacts";

interface Props {
  details: GroupDetails;
  send: Send;
}

/** Roles with fewer members than required, each with account contacts the rules would put in it. */
export function MissingRoles({ details, send }: Props) {
  const [roles, setRoles] = useState<TemplateRole[] | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const missing = details.roles.filter((r) => r.assigned < r.membersRequired);
  useEffect(() => {
    let live = true;
    if (missing.length === 0) return;
    void Promise.all([
      send({ type: "group/template-roles", templateId: details.group.roleTemplate.id }),
      send({ type: "account/people", accountId: details.account.id, q: "" }),
    ]).then(([r, p]) => {
      if (!live) return;
      if (r.ok) setRoles(r.data);
      if (p.ok) setPeople(p.data);
    });
    return () => {
      live = false;
    };
  }, [details.group.id, details.group.updatedAt]);
  const memberIds = new Set(details.members.map((m) => m.personId));
  const suggestions = roles ? suggestForRoles(roles, people, memberIds) : new Map<string, Person[]>();
  return (
    <section aria-labelledby="missing-roles" data-testid="missing-roles">
      <h3 id="missing-roles">{t("missingRoles")}</h3>
      {missing.length === 0 && <p class="muted">{t("noMissingRoles")}</p>}
      <ul class="plain">
        {missing.map((r) => {
          const names = (suggestions.get(r.key) ?? []).slice(0, 3).map((p) => p.name);
          return (
            <li key={r.key}>
              <strong>{t("missingRole", { role: r.name, assigned: r.assigned, required: r.membersRequired })}</strong>
              {names.length > 0 && <div class="muted">{t("suggestedContacts", { names: names.join(", ") })}</div>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
