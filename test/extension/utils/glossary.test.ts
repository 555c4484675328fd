import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleButtonMessages } from "../../../extension/admin/OpenConsoleButton";
import { messages as browse } from "../../../extension/admin/screens/browse/messages";
import { messages as connections } from "../../../extension/admin/screens/connections/messages";
import { messages as dashboard } from "../../../extension/admin/screens/dashboard/messages";
import { messages as emails } from "../../../extension/admin/screens/emails/messages";
import { messages as eventSources } from "../../../extension/admin/screens/event-sources/messages";
import { messages as group } from "../../../extension/admin/screens/group/messages";
import { messages as interests } from "../../../extension/admin/screens/interests/messages";
import { stageMessages } from "../../../extension/admin/screens/stages/messages";
import { templateMessages } from "../../../extension/admin/screens/templates/messages";
import { messages as users } from "../../../extension/admin/screens/users/messages";
import { shellMessages } from "../../../extension/admin/shell-messages";
import { ssoMessages } from "../../../extension/sso/messages";
import { CONTROL_TEXTS } from "../../../extension/utils/content/control-texts";
import { fr } from "../../../extension/utils/i18n-fr";
import { nl } from "../../../extension/utils/i18n-nl";
import { sv } from "../../../extension/utils/i18n-sv";
import { accountSummaryText, groupSummaryText, memberSummaryText } from "../../../server/groups/summaries";

type Lang = "nl" | "sv" | "fr";

/** The "never" column of docs/glossary.md: language → terms no catalogue of that language may use. */
function neverTerms(): Map<Lang, string[]> {
  const md = readFileSync(join(__dirname, "../../../docs/glossary.md"), "utf8");
  const section = md.slice(md.indexOf("## Never"), md.indexOf("## Sentences"));
  const out = new Map<Lang, string[]>();
  for (const m of section.matchAll(/^\|\s*(nl|sv|fr)\s*\|\s*(.+?)\s*\|$/gm)) {
    out.set(
      m[1] as Lang,
      m[2]!.split(";").map((x) => x.replace(/\(.*\)/, "").trim()),
    );
  }
  return out;
}

const flatten = (v: unknown): string[] =>
  typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(flatten) : [];

/** Every UI string of a language: panel, options, CRM control, admin console, generated sentences. */
function strings(lang: Lang): string[] {
  const panel = { nl, sv, fr }[lang];
  const admin = [
    browse,
    connections,
    dashboard,
    emails,
    eventSources,
    group,
    interests,
    stageMessages,
    templateMessages,
    users,
    shellMessages,
    consoleButtonMessages,
    ssoMessages,
    CONTROL_TEXTS,
  ];
  const card = { personId: "p", name: "Ann", jobTitle: null, roleKey: "r", roleName: "Role", decisionMaker: false, score: 3 };
  const generated = [
    groupSummaryText(
      {
        name: "G",
        memberCount: 2,
        completeness: 50,
        engagement: 3,
        missingRoles: ["R"],
        topMembers: [card],
        stageName: "S",
        engagementWeekAgo: 1,
        completenessWeekAgo: 0,
      },
      lang,
    ),
    accountSummaryText(
      {
        name: "A",
        peopleCount: 3,
        industry: "I",
        openOpportunities: { count: 2, amount: 5 },
        currency: "EUR",
        journeyNames: ["J"],
      },
      lang,
    ),
    memberSummaryText({ name: "Ann", roleName: "Role", score: 3, topTypes: [], lastActivityAt: null, otherGroups: 2 }, lang),
  ];
  return [...flatten(panel), ...admin.flatMap((m) => flatten((m as unknown as Record<Lang, unknown>)[lang])), ...generated];
}

describe("catalogues follow docs/glossary.md", () => {
  const never = neverTerms();
  it("the glossary lists terms to avoid for nl, sv and fr", () => {
    expect([...never.keys()].sort()).toEqual(["fr", "nl", "sv"]);
    expect(never.get("nl")).toContain("buying group");
  });

  it.each(["nl", "sv", "fr"] as const)("%s uses none of the terms the glossary rules out", (lang) => {
    const all = strings(lang);
    expect(all.length).toBeGreaterThan(500);
    const offending = never.get(lang)!.flatMap((term) => {
      // a whole word (or a word's start): "inkoopgroep" does not contain the word "koopgroep"
      const re = new RegExp(`(?<!\\p{L})${term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "iu");
      return all.filter((s) => re.test(s)).map((s) => `${term}: ${s}`);
    });
    expect(offending).toEqual([]);
  });
});
