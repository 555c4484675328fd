import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatMoney,
  formatNumber,
  loadLanguage,
  type Message,
  peopleText,
  pickLanguage,
  translate,
} from "../../../extension/utils/i18n";
import { en } from "../../../extension/utils/i18n-en";
import { fr } from "../../../extension/utils/i18n-fr";
import { nl } from "../../../extension/utils/i18n-nl";
import { sv } from "../../../extension/utils/i18n-sv";

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
const forms = (m: Message) => (typeof m === "string" ? [m] : [m.one, m.other]);

describe("UI catalogue", () => {
  it.each([
    ["nl", nl],
    ["sv", sv],
    ["fr", fr],
  ] as const)("%s has every English key, non-empty, with the same placeholders and plural shape", (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en) as Array<[keyof typeof en, Message]>) {
      const theirs = cat[key] as Message;
      expect(typeof theirs, key).toBe(typeof text);
      for (const f of forms(theirs)) {
        expect(f.trim(), key).not.toBe("");
        expect(placeholders(f), key).toEqual(placeholders(forms(text)[0]!));
      }
    }
  });

  it("manifest _locales have the same keys in every language", () => {
    const keys = (l: string) =>
      Object.keys(
        JSON.parse(readFileSync(join(__dirname, `../../../extension/public/_locales/${l}/messages.json`), "utf8")),
      ).sort();
    for (const l of ["nl", "sv", "fr"]) expect(keys(l)).toEqual(keys("en"));
  });

  it("picks the browser's language, loads it on demand and formats numbers for it", async () => {
    expect(pickLanguage("nl-BE")).toBe("nl");
    expect(pickLanguage("de-DE")).toBe("en");
    await loadLanguage("fr");
    expect(translate("fr", "staleMembers", { count: 1234 })).toBe(`${formatNumber("fr", 1234)} membres inactifs`);
    expect(formatNumber("sv", 1234.5)).toMatch(/1\s234,5/);
  });

  it.each([
    ["en", 0, "Send to 0 members"],
    ["en", 1, "Send to 1 member"],
    ["fr", 0, "Envoyer à 0 membre"],
    ["fr", 1, "Envoyer à 1 membre"],
    ["fr", 2, "Envoyer à 2 membres"],
    ["nl", 1, "Versturen naar 1 lid"],
    ["nl", 3, "Versturen naar 3 leden"],
    ["sv", 1, "Skicka till 1 medlem"],
    ["sv", 5, "Skicka till 5 medlemmar"],
  ] as const)("plurals by Intl.PluralRules: %s %d", async (lang, count, expected) => {
    await loadLanguage(lang);
    expect(translate(lang, "sendTo", { count })).toBe(expected);
  });

  it("names people as one phrase, and money in the account's currency", async () => {
    await loadLanguage("nl");
    await loadLanguage("sv");
    expect(peopleText("en", ["Anna Berg"])).toBe("Anna Berg");
    expect(peopleText("en", ["Anna Berg", "Bo Ek"])).toBe("Anna Berg and Bo Ek");
    expect(peopleText("en", ["Anna Berg", "Bo Ek", "Cid Ho"])).toBe("Anna Berg and 2 others");
    expect(peopleText("nl", ["Anna Berg", "Bo Ek", "Cid Ho", "Dee"])).toBe("Anna Berg en 3 anderen");
    expect(peopleText("sv", ["Anna Berg", "Bo Ek"])).toBe("Anna Berg och Bo Ek");
    expect(translate("en", "removeConfirm", { names: peopleText("en", ["Anna Berg", "Bo Ek", "Cid Ho"]) })).toBe(
      "Remove Anna Berg and 2 others from the buying group?",
    );
    expect(formatMoney("en", 1_696_500, "EUR")).toBe("€1.7M");
    expect(formatMoney("nl", 1_696_500, "EUR")).toMatch(/^€\s1,7\smln\.?$/);
    expect(formatMoney("en", 1_696_500, null)).toBe("1.7M");
  });
});
