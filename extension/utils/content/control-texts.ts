/**
 * The inline control's own sentences on CRM pages, in the four UI languages (English, Dutch, Swedish, French), for
 * what the panel's catalogue does not already say: the pre-chosen role and group on the button, and the one line that
 * says why the buttons cannot work. The background translates; content scripts carry no catalogue.
 * Terms follow the panel's catalogues (extension/utils/i18n-*.ts; docs/glossary.md).
 */
import type { Language } from "../i18n";

export interface ControlCatalogue {
  /** the button when the template's rules pre-choose a role; "{role}" */
  addAs: string;
  /** the button on an account with several groups: "{group}" is the group's solution interest */
  addTo: string;
  /** "{group}", "{role}" */
  addToAs: string;
  /** after adding, on an account with several groups: "{group}", "{role}" */
  inNamedGroupAs: string;
  /** after the server-unreachable title */
  backWhenReachable: string;
  /** after the token-refused title */
  askForToken: string;
  /** after the no-group title */
  createGroupInPanel: string;
  /** after the account-not-in-Quorum title */
  linkAccountInPanel: string;
  /** the user's role may not add people to groups */
  noRightToAdd: string;
  /** any other reason the control cannot work */
  cannotAddNow: string;
}

export const CONTROL_TEXTS: Record<Language, ControlCatalogue> = {
  en: {
    addAs: "Add as {role}",
    addTo: "Add to {group}",
    addToAs: "Add to {group} as {role}",
    inNamedGroupAs: "In {group}: {role}",
    backWhenReachable: "The buttons come back when it answers.",
    askForToken: "Ask your Quorum admin for a new token.",
    createGroupInPanel: "Create one in the Quorum side panel.",
    linkAccountInPanel: "Link it in the Quorum side panel.",
    noRightToAdd: "Your Quorum role cannot add people to buying groups. Ask your Quorum admin.",
    cannotAddNow: "Quorum cannot add contacts right now. Try again in a moment.",
  },
  nl: {
    addAs: "Toevoegen als {role}",
    addTo: "Toevoegen aan {group}",
    addToAs: "Toevoegen aan {group} als {role}",
    inNamedGroupAs: "In {group}: {role}",
    backWhenReachable: "De knoppen komen terug zodra hij antwoordt.",
    askForToken: "Vraag je Quorum-beheerder om een nieuw token.",
    createGroupInPanel: "Maak er een aan in het zijpaneel van Quorum.",
    linkAccountInPanel: "Koppel het in het zijpaneel van Quorum.",
    noRightToAdd: "Met je Quorum-rol kun je geen mensen aan groepen toevoegen. Vraag het je Quorum-beheerder.",
    cannotAddNow: "Quorum kan nu geen contactpersonen toevoegen. Probeer het zo opnieuw.",
  },
  sv: {
    addAs: "Lägg till som {role}",
    addTo: "Lägg till i {group}",
    addToAs: "Lägg till i {group} som {role}",
    inNamedGroupAs: "I {group}: {role}",
    backWhenReachable: "Knapparna kommer tillbaka när den svarar.",
    askForToken: "Be din Quorum-administratör om en ny token.",
    createGroupInPanel: "Skapa en i Quorums sidopanel.",
    linkAccountInPanel: "Koppla det i Quorums sidopanel.",
    noRightToAdd: "Din roll i Quorum kan inte lägga till personer i inköpsgrupper. Fråga din Quorum-administratör.",
    cannotAddNow: "Quorum kan inte lägga till kontakter just nu. Försök igen om en stund.",
  },
  fr: {
    addAs: "Ajouter comme {role}",
    addTo: "Ajouter à {group}",
    addToAs: "Ajouter à {group} comme {role}",
    inNamedGroupAs: "Dans {group} : {role}",
    backWhenReachable: "Les boutons reviendront dès qu’il répondra.",
    askForToken: "Demandez un nouveau jeton à votre administrateur Quorum.",
    createGroupInPanel: "Créez-en un dans le panneau latéral de Quorum.",
    linkAccountInPanel: "Associez-le dans le panneau latéral de Quorum.",
    noRightToAdd:
      "Votre rôle Quorum ne permet pas d’ajouter des personnes aux groupes d’achat. Demandez à votre administrateur Quorum.",
    cannotAddNow: "Quorum ne peut pas ajouter de contacts pour le moment. Réessayez dans un instant.",
  },
};
