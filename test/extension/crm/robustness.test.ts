// @vitest-environment happy-dom
/**
 * Untrusted page content (huge names, invisible characters, floods of links), the extension's own inline controls
 * on the page, and the source rules (no HTML reading/writing, no class-name or position selectors).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createCustomAdapter } from "../../../extension/crm/custom";
import { OWN_UI_ATTRIBUTE, readAccountPage } from "../../../extension/crm/index";
import { pipedriveAdapter } from "../../../extension/crm/pipedrive";
import { type LoadedPage, loadFixture, summarise } from "./fixture";

const PIPEDRIVE = "https://dundermifflin.pipedrive.com/organization/732";

let page: LoadedPage | null = null;
afterEach(async () => {
  await page?.close();
  page = null;
});

describe("untrusted page text", () => {
  it("caps names and titles at 200 characters and strips control/bidi characters", () => {
    page = loadFixture("pipedrive-organization-classless.html", PIPEDRIVE, {
      transform: (html) =>
        html
          .replace(">Bob Vance</a>", `>\u202eBob\u0007\n   ${"V".repeat(500)}</a>`)
          .replace('<td headers="people-col-title">Owner</td>', `<td headers="people-col-title">${"Owner ".repeat(100)}</td>`)
          .replace("<h1>Vance Refrigeration</h1>", `<h1>${"Vance ".repeat(100)}</h1>`),
    });
    const result = pipedriveAdapter.read(page.url, page.document)!;
    expect(result.name).toHaveLength(200);
    const bob = result.contacts[0]!;
    expect(bob.name).toHaveLength(200);
    expect(bob.name.startsWith(`Bob ${"V".repeat(10)}`)).toBe(true);
    expect(bob.title!.length).toBeLessThanOrEqual(200);
  });

  it("reports at most 200 contacts", () => {
    const rows = Array.from({ length: 300 }, (_, i) => `<tr><td><a href="/person/${i + 1}">Person ${i + 1}</a></td></tr>`).join(
      "",
    );
    page = loadFixture("pipedrive-organization-classless.html", PIPEDRIVE, {
      transform: (html) => html.replace("<tbody>", `<tbody>${rows}`),
    });
    const contacts = pipedriveAdapter.read(page.url, page.document)!.contacts;
    expect(contacts).toHaveLength(200);
    expect(contacts[0]?.name).toBe("Person 1");
  });

  it("ignores script and style text, and links with javascript: or other-origin targets", () => {
    page = loadFixture("pipedrive-organization-classless.html", PIPEDRIVE, {
      transform: (html) =>
        html
          .replace(">Bob Vance</a>", "><style>a{color:red}</style>Bob Vance<script>var x = 1</script></a>")
          .replace(
            "<tbody>",
            '<tbody><tr><td><a href="https://evil.example/person/9">Evil</a></td></tr><tr><td><a href="javascript:void(0)">JS</a></td></tr>',
          ),
    });
    const contacts = pipedriveAdapter.read(page.url, page.document)!.contacts;
    expect(contacts.map((c) => c.name)).toEqual(["Bob Vance", "Phyllis Vance"]);
  });
});

describe("the extension's own inline controls", () => {
  const fixtures: Array<[string, string]> = [
    ["salesforce-account-shadow.html", "https://globex.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view"],
    ["hubspot-company-record.html", "https://app.hubspot.com/contacts/2468013/record/0-2/9081726354"],
    [
      "dynamics-account-grid.html",
      "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c&pagetype=entityrecord&etn=account&id=%7B3F2504E0-4F89-11D3-9A0C-0305E82C3301%7D",
    ],
    ["zoho-account-canvas.html", "https://crm.zoho.com/crm/org778812345/tab/Accounts/5725767000000412001"],
    ["custom-twenty-company.html", "https://crm.acme-internal.net/object/company/7f9d2c4e-1b3a-4c5d-8e6f-0a1b2c3d4e5f"],
  ];
  const custom = [
    createCustomAdapter({
      host: "crm.acme-internal.net",
      accountPathPattern: "/object/company/:id",
      contactLinkPattern: "/object/person/:id",
    }),
  ];

  it.each(fixtures)("%s: inserting a control after each anchor does not change what is read", (fixture, url) => {
    page = loadFixture(fixture, url);
    const before = readAccountPage(page.url, page.document, custom)!;
    expect(before.contacts.length).toBeGreaterThan(0);
    for (const contact of before.contacts) {
      const control = page.document.createElement("quorum-add-contact");
      const shadow = control.attachShadow({ mode: "open" });
      const button = page.document.createElement("button");
      button.setAttribute("aria-label", `Add ${contact.name} to the buying group`);
      button.textContent = "Add to buying group";
      shadow.appendChild(button);
      contact.anchor.after(control);
    }
    const after = readAccountPage(page.url, page.document, custom)!;
    expect(summarise(after.contacts)).toEqual(summarise(before.contacts));
    expect(after.contacts.map((c) => c.anchor)).toEqual(before.contacts.map((c) => c.anchor));
    expect(after.name).toBe(before.name);
  });

  it("skips the extension's own UI marked with OWN_UI_ATTRIBUTE, even when it shows links, headings and phones", () => {
    page = loadFixture("hubspot-company-record.html", "https://app.hubspot.com/contacts/2468013/record/0-2/9081726354");
    const before = readAccountPage(page.url, page.document)!;
    const add = (marked: boolean) => {
      for (const contact of before.contacts) {
        const control = page!.document.createElement("quorum-add-contact");
        if (marked) control.setAttribute(OWN_UI_ATTRIBUTE, "");
        const phone = page!.document.createElement("a");
        phone.setAttribute("href", "tel:+10000000000");
        phone.textContent = "call";
        control.appendChild(phone);
        contact.anchor.after(control);
      }
    };
    add(true);
    expect(summarise(readAccountPage(page.url, page.document)!.contacts)).toEqual(summarise(before.contacts));
    add(false); // unmarked: the fake phone is read for Kel Varnsen, who has none
    expect(readAccountPage(page.url, page.document)!.contacts[1]?.phone).toBe("+10000000000");
  });
});

describe("source rules for extension/crm", () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "../../../extension/crm");
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => [f, readFileSync(join(dir, f), "utf8")] as const);

  it("has the adapter and helper files", () => {
    expect(sources.map(([f]) => f)).toEqual(
      expect.arrayContaining([
        "types.ts",
        "salesforce.ts",
        "hubspot.ts",
        "dynamics.ts",
        "pipedrive.ts",
        "zoho.ts",
        "custom.ts",
        "index.ts",
        "dom.ts",
      ]),
    );
  });

  it.each([
    ["innerHTML / outerHTML / insertAdjacentHTML", /\b(?:innerHTML|outerHTML|insertAdjacentHTML|DOMParser|document\.write)\b/],
    ["className / classList", /\b(?:className|classList)\b/],
    ["class attribute selectors", /\[class[~*^$|]?=|getAttribute\(\s*["']class["']\)/],
    [
      "positional selectors",
      /:(?:nth-(?:child|of-type|last-child|last-of-type)|first-child|last-child|first-of-type|last-of-type|only-child)\b/,
    ],
  ])("never uses %s", (_label, pattern) => {
    for (const [file, text] of sources) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""); // comments may mention what is forbidden
      expect(code.match(pattern)?.[0] ?? null, file).toBeNull();
    }
  });

  it("never uses class selectors (`.name`) in selector strings", () => {
    for (const [file, text] of sources) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").replace(/endsWith\(\s*"[^"]*"\s*\)/g, ""); // host-name suffixes such as ".lightning.force.com"
      const literals = code.match(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g) ?? [];
      const classSelectors = literals.filter((l) => /(?:^["']|[\s>+~,(])\.[a-z_][\w-]*/i.test(l));
      expect(classSelectors, file).toEqual([]);
    }
  });
});
