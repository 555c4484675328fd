import { beforeAll, describe, expect, it } from "vitest";
import { actionLine, rights, unavailableLine } from "../../../extension/utils/background/page-target";
import { loadLanguage } from "../../../extension/utils/i18n";

describe("why the buttons on a CRM page cannot work, in one line", () => {
  // the background loads the rep's catalogue before it builds a line (languages other than English load on demand)
  beforeAll(async () => {
    for (const lang of ["nl", "sv", "fr"] as const) await loadLanguage(lang);
  });

  it.each([
    ["en", "unreachable", "The Quorum server cannot be reached. The buttons come back when it answers."],
    ["nl", "unauthorized", "Je API-token is geweigerd. Vraag je Quorum-beheerder om een nieuw token."],
    ["sv", "forbidden", "Din roll i Quorum kan inte lägga till personer i inköpsgrupper. Fråga din Quorum-administratör."],
    ["fr", "incompatible", "Quorum ne peut pas ajouter de contacts pour le moment. Réessayez dans un instant."],
  ] as const)("%s, %s", (lang, why, line) => {
    expect(unavailableLine(lang, why, true)).toBe(line);
  });

  it("shows nothing where the rep can do nothing: not configured, or no account/group and no right to create one", () => {
    expect(unavailableLine("en", "unconfigured", true)).toBeNull();
    expect(unavailableLine("en", "no-group", false)).toBeNull();
    expect(unavailableLine("en", "no-account", false)).toBeNull();
    expect(unavailableLine("en", "no-group", true)).toBe(
      "No buying group for this account. Create one in the Quorum side panel.",
    );
  });

  it("rights come from the user's role; an unknown role may do nothing", () => {
    expect(rights("sales")).toEqual({ add: true, create: true });
    expect(rights("viewer")).toEqual({ add: false, create: false });
    expect(rights(null)).toEqual({ add: false, create: false });
  });

  it("an action's error keeps the server's own explanation, and replaces transport errors", () => {
    expect(actionLine("en", "rejected", "This contact is no longer on the page.")).toBe("This contact is no longer on the page.");
    expect(actionLine("en", "unreachable", "Failed to fetch")).not.toContain("Failed to fetch");
    expect(actionLine("en", "server", "HTTP 500")).toBe("Quorum cannot add contacts right now. Try again in a moment.");
  });
});
