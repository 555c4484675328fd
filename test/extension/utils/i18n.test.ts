import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatNumber, pickLanguage, translate } from "../../../extension/utils/i18n";
import { en } from "../../../extension/utils/i18n-en";
import { fr } from "../../../extension/utils/i18n-fr";
import { nl } from "../../../extension/utils/i18n-nl";
import { sv } from "../../../extension/utils/i18n-sv";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("UI catalogue", () => {
  it.each([
    ["nl", nl],
    ["sv", sv],
    ["fr", fr],
  ] as const)("%s has every English key, non-empty, with the same placeholders", (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect(cat[key as keyof typeof en].trim(), key).not.toBe("");
      expect(placeholders(cat[key as keyof typeof en]), key).toEqual(placeholders(text));
    }
  });

  it("manifest _locales have the same keys in every language", () => {
    const keys = (l: string) =>
      Object.keys(
        JSON.parse(readFileSync(join(__dirname, `../../../extension/public/_locales/${l}/messages.json`), "utf8")),
      ).sort();
    for (const l of ["nl", "sv", "fr"]) expect(keys(l)).toEqual(keys("en"));
  });

  it("picks the browser's language and formats numbers for it", () => {
    expect(pickLanguage("nl-BE")).toBe("nl");
    expect(pickLanguage("de-DE")).toBe("en");
    expect(translate("fr", "selectedCount", { count: 1234 })).toBe(`${formatNumber("fr", 1234)} sélectionné(s)`);
    expect(formatNumber("sv", 1234.5)).toMatch(/1\s234,5/);
  });
});
