// @vitest-environment happy-dom
/**
 * Every saved account page (two or more variants per CRM) is read exactly; every saved non-account page gives null.
 * The same fixtures are read again with all class attributes removed, and with all class names changed, to prove
 * that nothing depends on CSS class names.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createCustomAdapter } from "../../../extension/crm/custom";
import { adapterForUrl, builtinAdapters, readAccountPage } from "../../../extension/crm/index";
import type { AccountPage, CrmAdapter } from "../../../extension/crm/types";
import { type ContactSummary, type LoadedPage, loadFixture, renameClasses, stripClasses, summarise } from "./fixture";

const twenty = createCustomAdapter({
  host: "crm.acme-internal.net",
  accountPathPattern: "/object/company/:id",
  contactLinkPattern: "/object/person/:id",
});
const espo = createCustomAdapter({
  host: "crm.example.org:8443",
  accountPathPattern: "/#Account/view/:id",
  contactLinkPattern: "/#Contact/view/:id",
});
const customAdapters = [twenty, espo];

interface AccountCase {
  fixture: string;
  url: string;
  crm: AccountPage["crm"];
  recordId: string;
  name: string | null;
  domain: string | null;
  contacts: ContactSummary[];
}

const c = (
  name: string,
  email: string | null,
  title: string | null,
  phone: string | null,
  crmContactId: string | null,
): ContactSummary => ({ name, email, title, phone, crmContactId });

const accountCases: AccountCase[] = [
  {
    fixture: "salesforce-account-shadow.html",
    url: "https://globex.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view",
    crm: "salesforce",
    recordId: "001Dn00000GlbxAIAR",
    name: "Globex Corporation",
    domain: "globex.com",
    contacts: [
      c("Jane Smith", "jane.smith@globex.com", "VP Engineering", "+14155550101", "003Dn00000JsmthIAB"),
      c("Hank Scorpio", "hank@globex.com", "CEO", null, "003Dn00000HsimpIAB"),
      c("Frank Grimes", null, null, "(415) 555-0199", "003Dn00000FrankIAB"),
    ],
  },
  {
    fixture: "salesforce-account-table.html",
    url: "https://initech--uat.sandbox.lightning.force.com/lightning/r/001Dn00000InitcIAB/view?ws=%2Flightning%2Fr%2FAccount%2F001Dn00000InitcIAB%2Fview",
    crm: "salesforce",
    recordId: "001Dn00000InitcIAB",
    name: "Initech",
    domain: "initech.com",
    contacts: [
      c("Peter Gibbons", "peter.gibbons@initech.com", "Software Engineer", "(512) 555-0147", "003Dn00000PgibbIAB"),
      c("Michael Bolton", "michael.bolton@initech.com", "Senior Software Engineer", null, "003Dn00000MboltIAB"),
      c("Bill Lumbergh", "bill.lumbergh@initech.com", "Division Vice President", "+1 512 555 0100", "003Dn00000LumbgIAB"),
    ],
  },
  {
    fixture: "hubspot-company-record.html",
    url: "https://app.hubspot.com/contacts/2468013/record/0-2/9081726354",
    crm: "hubspot",
    recordId: "9081726354",
    name: "Vandelay Industries",
    domain: "vandelay.com",
    contacts: [
      c("Art Vandelay", "art@vandelay.com", "Importer/Exporter", "(212) 555-0123", "51"),
      c("Kel Varnsen", "kel.varnsen@vandelay.com", "Latex salesman", null, "52"),
      c("H.E. Pennypacker", null, null, "+1 (212) 555-0177", "53"),
    ],
  },
  {
    fixture: "hubspot-company-legacy.html",
    url: "https://app-eu1.hubspot.com/contacts/2468013/company/4455667788/?interaction=note",
    crm: "hubspot",
    recordId: "4455667788",
    name: "Kramerica Industries",
    domain: "kramerica.com",
    contacts: [
      c("Cosmo Kramer", "cosmo@kramerica.com", "Founder & CEO", null, "201"),
      c("Bob Sacamano", null, null, null, "202"),
      c("Jackie Chiles", "jchiles@chiles-law.com", "Outside counsel", "+1-212-555-0144", "203"),
    ],
  },
  {
    fixture: "dynamics-account-grid.html",
    url: "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c&pagetype=entityrecord&etn=account&id=%7B3F2504E0-4F89-11D3-9A0C-0305E82C3301%7D",
    crm: "dynamics",
    recordId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    name: "Contoso Pharmaceuticals",
    domain: "contoso-pharma.com",
    contacts: [
      c(
        "Maria Campbell",
        "maria.campbell@contoso-pharma.com",
        "Purchasing Manager",
        "425-555-0102",
        "a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a01",
      ),
      c(
        "Nancy Anderson",
        "nancy.anderson@contoso-pharma.com",
        "Chief Executive Officer",
        null,
        "a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a02",
      ),
      c("Paul Cannon", null, null, "+1 425 555 0155", "a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a03"),
    ],
  },
  {
    fixture: "dynamics-account-pagedata.html",
    url: "https://fabrikam.crm.dynamics.com/main.aspx?appid=0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6&pagetype=entityrecord&etn=account",
    crm: "dynamics",
    recordId: "6f9619ff-8b86-d011-b42d-00c04fc964ff",
    name: "Fabrikam, Inc.",
    domain: "fabrikam.co.uk",
    contacts: [
      c(
        "Lars Nielsen",
        "lars.nielsen@fabrikam.co.uk",
        "Head of Procurement",
        "+44 20 7946 0123",
        "5c1d7e9f-2a3b-4c5d-9e8f-7a6b5c4d3e21",
      ),
      c("Priya Raman", null, "IT Director", null, "5c1d7e9f-2a3b-4c5d-9e8f-7a6b5c4d3e22"),
    ],
  },
  {
    fixture: "pipedrive-organization.html",
    url: "https://dundermifflin.pipedrive.com/organization/731",
    crm: "pipedrive",
    recordId: "731",
    name: "Dunder Mifflin Paper Company",
    domain: "dundermifflin.com",
    contacts: [
      c("Michael Scott", "michael.scott@dundermifflin.com", "Regional Manager", "+15705550101", "1201"),
      c("Dwight K. Schrute", "dwight.schrute@dundermifflin.com", "Assistant to the Regional Manager", null, "1202"),
      c("Pam Beesly", null, null, "+1 (570) 555-0107", "1203"),
    ],
  },
  {
    fixture: "pipedrive-organization-classless.html",
    url: "https://dundermifflin.pipedrive.com/organization/732?tab=people",
    crm: "pipedrive",
    recordId: "732",
    name: "Vance Refrigeration",
    domain: "vancerefrigeration.com",
    contacts: [
      c("Bob Vance", "bob@vancerefrigeration.com", "Owner", "+1 570 555 0151", "1301"),
      c("Phyllis Vance", null, null, "570 555 0152", "1302"),
    ],
  },
  {
    fixture: "zoho-account-canvas.html",
    url: "https://crm.zoho.com/crm/org778812345/tab/Accounts/5725767000000412001",
    crm: "zoho",
    recordId: "5725767000000412001",
    name: "Zylker Inc",
    domain: "zylker.com",
    contacts: [
      c("Ted Watson", "ted.watson@zylker.com", "Purchasing Director", "+1 555 010 2201", "5725767000000412101"),
      c("Linda Crane", "linda.crane@zylker.com", "CFO", null, "5725767000000412102"),
      c("Kris Marrier", null, null, null, "5725767000000412103"),
    ],
  },
  {
    fixture: "zoho-account-legacy-eu.html",
    url: "https://crm.zoho.eu/crm/org20071234567/tab/Accounts/4876876000000403012?sub_module=",
    crm: "zoho",
    recordId: "4876876000000403012",
    name: "Chemel GmbH",
    domain: "chemel.de",
    contacts: [
      c("Johanna Krause", "j.krause@chemel.de", "Einkaufsleiterin", "+49 89 1234567", "4876876000000403101"),
      c("Lukas Weber", "l.weber@chemel.de", "Geschäftsführer", null, "4876876000000403102"),
    ],
  },
  {
    fixture: "custom-twenty-company.html",
    url: "https://crm.acme-internal.net/object/company/7f9d2c4e-1b3a-4c5d-8e6f-0a1b2c3d4e5f",
    crm: "custom:crm.acme-internal.net",
    recordId: "7f9d2c4e-1b3a-4c5d-8e6f-0a1b2c3d4e5f",
    name: "Acme Robotics",
    domain: "acmerobotics.io",
    contacts: [
      c("Ada Byron", "ada@acmerobotics.io", "CTO", "+442079460000", "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e01"),
      c("Charles Babbage", "charles@acmerobotics.io", "Founder", null, "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e02"),
    ],
  },
  {
    fixture: "custom-espo-account.html",
    url: "https://crm.example.org:8443/#Account/view/64f1c2e8a1b2c3d45",
    crm: "custom:crm.example.org:8443",
    recordId: "64f1c2e8a1b2c3d45",
    name: "Wayne Enterprises",
    domain: "wayne-enterprises.com",
    contacts: [
      c("Bruce Wayne", "bruce@wayne-enterprises.com", "Chairman", "+15555550111", "64f1c2e8a1b2c3d46"),
      c("Lucius Fox", "lucius.fox@wayne-enterprises.com", "CEO", null, "64f1c2e8a1b2c3d47"),
    ],
  },
];

const nonAccountCases: Array<{ fixture: string; url: string; crm: string }> = [
  {
    fixture: "salesforce-contact.html",
    url: "https://globex.lightning.force.com/lightning/r/Contact/003Dn00000JsmthIAB/view",
    crm: "salesforce",
  },
  {
    fixture: "salesforce-opportunity.html",
    url: "https://globex.lightning.force.com/lightning/r/Opportunity/006Dn00000OppA1IAJ/view",
    crm: "salesforce",
  },
  {
    fixture: "salesforce-accounts-list.html",
    url: "https://globex.lightning.force.com/lightning/o/Account/list?filterName=Recent",
    crm: "salesforce",
  },
  { fixture: "hubspot-contact-record.html", url: "https://app.hubspot.com/contacts/2468013/record/0-1/51", crm: "hubspot" },
  { fixture: "hubspot-deal-record.html", url: "https://app.hubspot.com/contacts/2468013/record/0-3/7788", crm: "hubspot" },
  {
    fixture: "hubspot-companies-list.html",
    url: "https://app.hubspot.com/contacts/2468013/objects/0-2/views/all/list",
    crm: "hubspot",
  },
  {
    fixture: "dynamics-contact.html",
    url: "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c&pagetype=entityrecord&etn=contact&id=a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a01",
    crm: "dynamics",
  },
  {
    fixture: "dynamics-accounts-view.html",
    url: "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c&pagetype=entitylist&etn=account&viewid=00000000-0000-0000-00aa-000010001002&viewType=1039",
    crm: "dynamics",
  },
  {
    fixture: "dynamics-new-account.html",
    url: "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c&pagetype=entityrecord&etn=account",
    crm: "dynamics",
  },
  { fixture: "pipedrive-person.html", url: "https://dundermifflin.pipedrive.com/person/1201", crm: "pipedrive" },
  { fixture: "pipedrive-deal.html", url: "https://dundermifflin.pipedrive.com/deal/88", crm: "pipedrive" },
  { fixture: "zoho-contact.html", url: "https://crm.zoho.com/crm/org778812345/tab/Contacts/5725767000000412101", crm: "zoho" },
  { fixture: "zoho-deal.html", url: "https://crm.zoho.com/crm/org778812345/tab/Potentials/5725767000000413001", crm: "zoho" },
  {
    fixture: "custom-twenty-person.html",
    url: "https://crm.acme-internal.net/object/person/2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e01",
    crm: "custom:crm.acme-internal.net",
  },
  {
    fixture: "custom-espo-contact.html",
    url: "https://crm.example.org:8443/#Contact/view/64f1c2e8a1b2c3d46",
    crm: "custom:crm.example.org:8443",
  },
];

let page: LoadedPage | null = null;
afterEach(async () => {
  await page?.close();
  page = null;
});

function adapterOf(crm: string): CrmAdapter {
  const adapter = [...customAdapters, ...builtinAdapters].find((a) => a.id === crm);
  if (!adapter) throw new Error(`no adapter ${crm}`);
  return adapter;
}

describe("account pages", () => {
  it.each(accountCases)("$fixture", (tc) => {
    page = loadFixture(tc.fixture, tc.url);
    const adapter = adapterForUrl(page.url, customAdapters);
    expect(adapter?.id).toBe(tc.crm);
    expect(adapter!.detectRecord(page.url, page.document)).toBe(tc.recordId);
    const result = adapter!.read(page.url, page.document);
    expect(result).not.toBeNull();
    expect({ ...result!, contacts: summarise(result!.contacts) }).toEqual({
      crm: tc.crm,
      recordId: tc.recordId,
      name: tc.name,
      domain: tc.domain,
      contacts: tc.contacts,
    });
  });

  it.each(accountCases)("$fixture: each anchor is a visible link showing the contact's name", (tc) => {
    page = loadFixture(tc.fixture, tc.url);
    const result = readAccountPage(page.url, page.document, customAdapters)!;
    for (const contact of result.contacts) {
      expect(contact.anchor.localName).toBe("a");
      expect(contact.anchor.textContent?.replace(/\s+/g, " ").trim()).toBe(contact.name);
      expect(contact.anchor.isConnected).toBe(true);
    }
  });

  it.each(accountCases)("$fixture: same result with every class attribute removed", (tc) => {
    page = loadFixture(tc.fixture, tc.url);
    const before = readAccountPage(page.url, page.document, customAdapters)!;
    expect(stripClasses(page.document) > 0).toBe(!tc.fixture.includes("classless"));
    const after = readAccountPage(page.url, page.document, customAdapters)!;
    expect({ ...after, contacts: summarise(after.contacts) }).toEqual({ ...before, contacts: summarise(before.contacts) });
  });

  it.each(accountCases)("$fixture: same result with every class name changed", (tc) => {
    page = loadFixture(tc.fixture, tc.url);
    const before = readAccountPage(page.url, page.document, customAdapters)!;
    renameClasses(page.document);
    const after = readAccountPage(page.url, page.document, customAdapters)!;
    expect({ ...after, contacts: summarise(after.contacts) }).toEqual({ ...before, contacts: summarise(before.contacts) });
  });
});

describe("non-account pages", () => {
  it.each(nonAccountCases)("$fixture → null", (tc) => {
    page = loadFixture(tc.fixture, tc.url);
    const adapter = adapterForUrl(page.url, customAdapters);
    expect(adapter?.id).toBe(tc.crm);
    expect(adapter!.detectRecord(page.url, page.document)).toBeNull();
    expect(adapter!.read(page.url, page.document)).toBeNull();
    expect(adapterOf(tc.crm).read(page.url, page.document)).toBeNull();
  });

  it.each(accountCases)("$fixture under another CRM's URL → not read by that CRM", (tc) => {
    page = loadFixture(tc.fixture, tc.url);
    for (const adapter of [...builtinAdapters, ...customAdapters]) {
      if (adapter.id === tc.crm) continue;
      expect(adapter.read(page.url, page.document)).toBeNull();
    }
  });
});
