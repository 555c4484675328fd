import { defineMessages } from "../admin/i18n";

/** Single sign-on and organisation-managed settings: the panel's sign-in, the options page's account section. */
export const ssoMessages = defineMessages({
  en: {
    signInTitle: "Sign in to Quorum",
    signInBody: "Your organisation set Quorum up for you. Sign in with your work account to see buying groups.",
    signIn: "Sign in with your organisation",
    signingIn: "Signing in…",
    signedInAs: "Signed in as {name} ({role}).",
    signOut: "Sign out",
    account: "Account",
    orApiToken: "Or use an API token below (for automation and servers without single sign-on).",
    managed: "Set by your organisation",
    managedNotice: "Your organisation manages some of these settings; they are locked.",
  },
  nl: {
    signInTitle: "Aanmelden bij Quorum",
    signInBody: "Je organisatie heeft Quorum voor je ingesteld. Meld je aan met je werkaccount om de inkoopgroepen te zien.",
    signIn: "Aanmelden via je organisatie",
    signingIn: "Bezig met aanmelden…",
    signedInAs: "Aangemeld als {name} ({role}).",
    signOut: "Afmelden",
    account: "Account",
    orApiToken: "Of gebruik hieronder een API-token (voor automatisering en servers zonder single sign-on).",
    managed: "Ingesteld door je organisatie",
    managedNotice: "Je organisatie beheert een deel van deze instellingen; die zijn vergrendeld.",
  },
  sv: {
    signInTitle: "Logga in i Quorum",
    signInBody: "Din organisation har konfigurerat Quorum åt dig. Logga in med ditt jobbkonto för att se inköpsgrupperna.",
    signIn: "Logga in via din organisation",
    signingIn: "Loggar in…",
    signedInAs: "Inloggad som {name} ({role}).",
    signOut: "Logga ut",
    account: "Konto",
    orApiToken: "Eller använd en API-token nedan (för automatisering och servrar utan single sign-on).",
    managed: "Angivet av din organisation",
    managedNotice: "Din organisation hanterar några av inställningarna; de är låsta.",
  },
  fr: {
    signInTitle: "Se connecter à Quorum",
    signInBody:
      "Votre organisation a configuré Quorum pour vous. Connectez-vous avec votre compte professionnel pour voir les groupes d’achat.",
    signIn: "Se connecter via votre organisation",
    signingIn: "Connexion…",
    signedInAs: "Connecté en tant que {name} ({role}).",
    signOut: "Se déconnecter",
    account: "Compte",
    orApiToken: "Ou utilisez un jeton d’API ci-dessous (pour l’automatisation et les serveurs sans authentification unique).",
    managed: "Défini par votre organisation",
    managedNotice: "Votre organisation gère certains de ces paramètres ; ils sont verrouillés.",
  },
});
