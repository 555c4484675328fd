import type { Person } from "../../shared/api/people";
import type { TemplateRole } from "../../shared/api/templates";
import { chooseRole, ruleSubject } from "../../shared/domain/role-rules";

/** The role the template's rules choose for a person, or null when none matches. */
export function ruleRoleFor(
  person: Pick<Person, "jobTitle" | "email" | "score"> & Partial<Person>,
  roles: readonly TemplateRole[],
) {
  return chooseRole(ruleSubject(person), roles)?.role.key ?? null;
}

/** role key → non-members the rules put in that role, highest person score first. */
export function suggestForRoles(
  roles: readonly TemplateRole[],
  people: readonly Person[],
  memberIds: ReadonlySet<string>,
): Map<string, Person[]> {
  const out = new Map<string, Person[]>();
  for (const p of people) {
    if (memberIds.has(p.id) || p.status !== "active") continue;
    const key = ruleRoleFor(p, roles);
    if (!key) continue;
    out.set(key, [...(out.get(key) ?? []), p]);
  }
  for (const list of out.values()) list.sort((a, b) => b.score - a.score);
  return out;
}
