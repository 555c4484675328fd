// @vitest-environment happy-dom
/**
 * The shared page readers every adapter uses: the label dictionary (five UI languages), labelled values (colons,
 * no-break spaces, siblings, attributes), the header→column map, the card-line classifier, the contact-list scope and
 * error headings. Table-driven on small pages; the whole saved pages are measured in crm-pages.test.ts.
 */
import { describe, expect, it } from "vitest";
import { classifyCardLines, emailInText } from "../../../extension/crm/card-lines";
import { cellUnder } from "../../../extension/crm/columns";
import { deepText } from "../../../extension/crm/dom";
import { labelledValues } from "../../../extension/crm/fields";
import { isContactListLabel, isErrorHeading, isObjectLabel, labelKind, nameFromTitle } from "../../../extension/crm/labels";
import { contactRegions, isErrorPage, outOfScope } from "../../../extension/crm/scope";
import "./fixture"; // installs the dictionary

const NBSP = "\u00a0";

function html(markup: string): HTMLElement {
  const root = document.createElement("div");
  root.innerHTML = markup;
  document.body.replaceChildren(root);
  return root;
}

describe("label dictionary", () => {
  it.each([
    ["Title", "title"],
    ["Job Title", "title"],
    ["Befattning", "title"],
    ["Functie", "title"],
    [`Titre${NBSP}:`, "title"],
    ["Intitulé du poste :", "title"],
    ["Position", "title"],
    ["Jobtitel", "title"],
    ["E-post", "email"],
    ["Courriel", "email"],
    ["E-Mail-Adresse", "email"],
    ["Telefoon", "phone"],
    ["Webbplats", "website"],
    ["Site Web", "website"],
    ["Webseite", "website"],
    ["Internetadres", "website"],
    ["Website-URL", "website"],
    ["Industry", null],
    ["Titles of nobility and other honours", null],
  ])("%j → %s", (label, kind) => {
    expect(labelKind(label)).toBe(kind);
  });

  it.each([
    ["Contacts (3)", true],
    ["Kontakter", true],
    ["Contactpersonen", true],
    ["Personnes", true],
    ["Kontakte\n", true],
    ["Personen 3", true],
    ["People (12)", true],
    ["Opportunities (1)", false],
    ["Contact roles", false],
  ])("contact list heading %j → %s", (text, yes) => {
    expect(isContactListLabel(text)).toBe(yes);
  });

  it.each([
    ["Insufficient Privileges", true],
    ["Otillräcklig behörighet", true],
    ["Privilèges insuffisants", true],
    ["Unzureichende Berechtigungen", true],
    ["Record Is Unavailable", true],
    ["You don't have access to this company", true],
    ["You don’t have access to this company", true],
    ["Access Denied", true],
    ["Access Denied Ltd", false], // a company's name
    ["Insufficient privileges are a common problem in our industry and we help", false],
  ])("error heading %j → %s", (text, yes) => {
    expect(isErrorHeading(text)).toBe(yes);
  });

  it.each([
    ["Zylker Inc – Accounts – Zoho CRM", "Zylker Inc"],
    ["Accounts - Zylker - Zoho CRM", "Zylker"],
    ["Boulangeries Moreau – Comptes – Zoho CRM", "Boulangeries Moreau"],
    ["Globex | Account | Salesforce", "Globex"],
    ["Vandelay Industries | Company", "Vandelay Industries"],
    ["Müller Maschinenbau GmbH | Unternehmen", "Müller Maschinenbau GmbH"],
    ["Home | Salesforce", null],
    ["Dynamics 365", null],
  ])("name from title %j → %j", (title, name) => {
    expect(nameFromTitle(title)).toBe(name);
  });

  it("object names are not record names", () => {
    expect(["Account", "Företag", "Compte", "Bedrijf", "Unternehmen"].every(isObjectLabel)).toBe(true);
    expect(isObjectLabel("Acme")).toBe(false);
  });
});

describe("labelled values", () => {
  it.each([
    ["<dl><dt>Title</dt><dd>VP Sales</dd></dl>", "VP Sales"],
    [`<dl><dt>Titre${NBSP}:</dt><dd>Directeur général</dd></dl>`, "Directeur général"],
    [`<p>Titre${NBSP}: Responsable des achats</p>`, "Responsable des achats"],
    ["<p>Job title: Data Analyst</p>", "Data Analyst"],
    ["<p><b>Title:</b> Head of IT</p>", "Head of IT"],
    ["<div><span>Befattning</span><span>Inköpschef</span></div>", "Inköpschef"],
    ["<div><div>Functie</div></div><div>Hoofd inkoop</div>", "Hoofd inkoop"],
    ['<label for="t">Title</label><input id="t" value="CFO">', "CFO"],
    ['<table><tr><td data-label="Befattning">IT-chef</td></tr></table>', "IT-chef"],
    ['<div field-label="Title"><span>Title</span><span>CTO</span></div>', "CTO"],
    ["<p>Industry: Retail</p>", null],
  ])("%s → %j", (markup, value) => {
    const found = labelledValues(html(markup), "title")[0];
    expect(found ? deepText(document.createTextNode(found.text)).trim() : null).toBe(value);
  });
});

describe("header → column", () => {
  it("HTML table, by position", () => {
    const root = html(
      "<table><thead><tr><th>Namn</th><th>E-post</th><th>Befattning</th></tr></thead><tbody><tr><td>A</td><td>a@x.se</td><td>VD</td></tr></tbody></table>",
    );
    const row = root.querySelector("tbody tr")!;
    expect(cellUnder(row, "title")?.textContent).toBe("VD");
    expect(cellUnder(row, "email")?.textContent).toBe("a@x.se");
    expect(cellUnder(row, "website")).toBeNull();
  });

  it("ARIA grid with the header split over two rows (pinned column), by aria-colindex", () => {
    const root = html(`<div role="grid">
      <div role="row"><div role="columnheader" aria-colindex="1">Volledige naam</div></div>
      <div role="row"><div role="columnheader" aria-colindex="2">E-mail</div><div role="columnheader" aria-colindex="3">Functie</div></div>
      <div role="row" id="r"><div role="gridcell" aria-colindex="2">j@x.nl</div><div role="gridcell" aria-colindex="3">Manager ICT</div></div>
    </div>`);
    expect(cellUnder(root.querySelector("#r")!, "title")?.textContent).toBe("Manager ICT");
  });

  it("custom-element table (Zoho's lyte-table)", () => {
    const root = html(
      "<lyte-table><lyte-thead><lyte-tr><lyte-th>Nom</lyte-th><lyte-th>Titre</lyte-th></lyte-tr></lyte-thead><lyte-tbody><lyte-tr id='r'><lyte-td>Julien</lyte-td><lyte-td>PDG</lyte-td></lyte-tr></lyte-tbody></lyte-table>",
    );
    expect(cellUnder(root.querySelector("#r")!, "title")?.textContent).toBe("PDG");
  });
});

describe("card lines", () => {
  it.each([
    [
      ["Jane Smith", "VP Engineering", "jane@globex.com", "+1 415 555 0101"],
      "VP Engineering",
      "jane@globex.com",
      "+1 415 555 0101",
    ],
    [["Primary", "Jane Smith", "Ekonomichef", "maria@x.se"], "Ekonomichef", "maria@x.se", null],
    [["Jane Smith", "jane@globex.com"], null, "jane@globex.com", null],
    [["Jane Smith", "12/03/2026", "Last activity: yesterday", "Title"], null, null, null],
  ])("%j", (lines, title, email, phone) => {
    const root = html(lines.map((l) => `<div>${l}</div>`).join(""));
    expect(classifyCardLines(root, "Jane Smith")).toEqual({ title, email, phone });
  });

  it("finds a plain-text e-mail inside a sentence", () => {
    expect(emailInText("Mail: Jane.Smith@Globex.com (work)")).toBe("jane.smith@globex.com");
    expect(emailInText("no address here")).toBeNull();
  });
});

describe("scope", () => {
  it("a heading naming the contacts scopes the links; timelines, tab strips and unselected tab panels do not count", () => {
    const root = html(`
      <ul role="tablist"><li><a role="tab" aria-selected="false" href="/c/9">Other</a></li></ul>
      <section><h2>Kontakter (2)</h2><ul><li><a id="a" href="/c/1">A</a></li><li><a id="b" href="/c/2">B</a></li></ul></section>
      <section><h2>Tidslinje</h2><p>Samtal med <a id="t" href="/c/3">C</a></p></section>
      <div role="tabpanel" aria-labelledby="x"><a id="h" href="/c/4">D</a></div><a id="x" role="tab" aria-selected="false">Tab</a>`);
    const links = Array.from(root.querySelectorAll("a[href]"));
    const regions = contactRegions(root, links, undefined);
    expect(regions).toHaveLength(1);
    const inList = links.filter((l) => regions.some((r) => r.contains(l))).map((l) => l.id);
    expect(inList).toEqual(["a", "b"]);
    expect(outOfScope(root.querySelector('[role="tab"]')!, undefined)).toBe(true);
    expect(outOfScope(root.querySelector("#h")!, undefined)).toBe(true);
    expect(outOfScope(root.querySelector("#t")!, undefined)).toBe(false); // not ARIA: left out by the region above
  });

  it("an error heading makes the page an error page", () => {
    html("<h3>Insufficient Privileges</h3><p>You don't have the level of access…</p>");
    expect(isErrorPage(document)).toBe(true);
    html("<h1>Access Denied Ltd</h1>");
    expect(isErrorPage(document)).toBe(false);
  });
});
