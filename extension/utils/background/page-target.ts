/**
 * What the inline controls on a CRM page can do, decided by the background: add to which group, with which role
 * pre-chosen for each contact, or, when they cannot work (no group and no right to create one, server down, token
 * refused), why, in one translated line, or nothing at all where there is nothing the rep can do about it.
 */
import type { TemplateRole } from "../../../shared/api/templates";
import { chooseRole, ruleSubject } from "../../../shared/domain/role-rules";
import { can, type UserRole } from "../../../shared/domain/roles";
import { CONTROL_TEXTS } from "../content/control-texts";
import { type Language, type MessageKey, translate } from "../i18n";
import type { ErrorKind, PageTarget, ReportedContact, RoleChoice } from "../messages";

/** Why the controls cannot work, beyond the API's error kinds. */
export type Unavailable = ErrorKind | "no-account" | "no-group" | "no-right";

/** Two whole sentences: the panel's title for the state, then what to do. */
function sentence(lang: Language, title: MessageKey, then: keyof (typeof CONTROL_TEXTS)["en"]): string {
  return `${translate(lang, title)}. ${CONTROL_TEXTS[lang][then]}`;
}

/**
 * The one line shown instead of the controls, or null to show nothing: not configured (the panel explains), or no
 * account/group that this user may create (nothing to do on the page).
 */
export function unavailableLine(lang: Language, why: Unavailable, mayCreate: boolean): string | null {
  switch (why) {
    case "unconfigured":
      return null;
    case "unreachable":
      return sentence(lang, "unreachableTitle", "backWhenReachable");
    case "unauthorized":
      return sentence(lang, "unauthorizedTitle", "askForToken");
    case "forbidden":
    case "no-right":
      return CONTROL_TEXTS[lang].noRightToAdd;
    case "no-account":
      return mayCreate ? sentence(lang, "unknownAccountTitle", "linkAccountInPanel") : null;
    case "no-group":
      return mayCreate ? sentence(lang, "noGroupTitle", "createGroupInPanel") : null;
    default:
      return CONTROL_TEXTS[lang].cannotAddNow;
  }
}

export function unavailableTarget(lang: Language, why: Unavailable, mayCreate = false): PageTarget {
  // A server that is down or failing may come back: the page asks again after a while.
  return {
    status: "unavailable",
    message: unavailableLine(lang, why, mayCreate),
    retry: why === "unreachable" || why === "server",
  };
}

/** May a user with this role add people from the page to groups, and create accounts and groups? */
export function rights(role: string | null): { add: boolean; create: boolean } {
  const r = role as UserRole;
  const known = role === "admin" || role === "marketer" || role === "sales";
  return {
    add: known && can(r, "people:write") && can(r, "members:write"),
    create: known && can(r, "groups:write"),
  };
}

/** The role the template's rules pre-choose for a contact from what the page shows (its title and e-mail). */
export function suggestedRole(
  contact: Pick<ReportedContact, "title" | "email">,
  roles: readonly TemplateRole[],
): RoleChoice | null {
  const match = chooseRole(ruleSubject({ jobTitle: contact.title, email: contact.email }), roles);
  return match ? { key: match.role.key, name: match.role.name } : null;
}

/** An error on a control's action as one line a rep can act on (never "Failed to fetch"). */
export function actionLine(lang: Language, kind: ErrorKind, serverMessage: string): string {
  if (kind === "rejected" || kind === "invalid" || kind === "not-found") return serverMessage;
  return unavailableLine(lang, kind, false) ?? CONTROL_TEXTS[lang].cannotAddNow;
}
