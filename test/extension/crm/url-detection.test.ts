// @vitest-environment happy-dom
/**
 * Record detection from URLs alone (an empty document), for every built-in adapter, plus adapter selection and
 * WebExtension match patterns.
 */
import { Window } from "happy-dom";
import { afterAll, describe, expect, it } from "vitest";
import { createCustomAdapter } from "../../../extension/crm/custom";
import { dynamicsAdapter } from "../../../extension/crm/dynamics";
import { hubspotAdapter } from "../../../extension/crm/hubspot";
import { adapterForUrl, builtinAdapters, readAccountPage } from "../../../extension/crm/index";
import { isMatchPattern, matchesPattern } from "../../../extension/crm/match-pattern";
import { pipedriveAdapter } from "../../../extension/crm/pipedrive";
import { salesforceAdapter } from "../../../extension/crm/salesforce";
import type { CrmAdapter } from "../../../extension/crm/types";
import { zohoAdapter } from "../../../extension/crm/zoho";

const window = new Window({ url: "https://example.com/" });
const emptyDoc = window.document as unknown as Document;
afterAll(() => window.happyDOM.close());

const SF = "https://globex.lightning.force.com";
const HS = "https://app.hubspot.com";
const D365 = "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c";
const GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const GUID_UPPER = GUID.toUpperCase();

const cases: Array<[string, CrmAdapter, string, string | null]> = [
  // Salesforce
  ["account", salesforceAdapter, `${SF}/lightning/r/Account/001Dn00000GlbxAIAR/view`, "001Dn00000GlbxAIAR"],
  ["object-less account URL", salesforceAdapter, `${SF}/lightning/r/001Dn00000GlbxAIAR/view`, "001Dn00000GlbxAIAR"],
  [
    "trailing slash + query",
    salesforceAdapter,
    `${SF}/lightning/r/Account/001Dn00000GlbxAIAR/view/?0.source=alohaHeader`,
    "001Dn00000GlbxAIAR",
  ],
  [
    "15-character id → 18-character id",
    salesforceAdapter,
    `${SF}/lightning/r/Account/001Dn00000GlbxA/view`,
    "001Dn00000GlbxAIAR",
  ],
  [
    "sandbox host",
    salesforceAdapter,
    "https://acme--uat.sandbox.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view",
    "001Dn00000GlbxAIAR",
  ],
  ["contact", salesforceAdapter, `${SF}/lightning/r/Contact/003Dn00000JsmthIAB/view`, null],
  ["object-less contact", salesforceAdapter, `${SF}/lightning/r/003Dn00000JsmthIAB/view`, null],
  ["lead", salesforceAdapter, `${SF}/lightning/r/Lead/00QDn00000LeadAMAR/view`, null],
  ["opportunity", salesforceAdapter, `${SF}/lightning/r/Opportunity/006Dn00000OppA1IAJ/view`, null],
  ["Account URL with a non-account id", salesforceAdapter, `${SF}/lightning/r/Account/003Dn00000JsmthIAB/view`, null],
  ["account related list page", salesforceAdapter, `${SF}/lightning/r/Account/001Dn00000GlbxAIAR/related/Contacts/view`, null],
  ["account edit page", salesforceAdapter, `${SF}/lightning/r/Account/001Dn00000GlbxAIAR/edit`, null],
  ["accounts list", salesforceAdapter, `${SF}/lightning/o/Account/list?filterName=Recent`, null],
  ["home", salesforceAdapter, `${SF}/lightning/page/home`, null],
  ["setup", salesforceAdapter, `${SF}/lightning/setup/SetupOneHome/home`, null],
  ["Classic UI", salesforceAdapter, "https://globex.my.salesforce.com/001Dn00000GlbxAIAR", null],
  ["legacy one.app hash route", salesforceAdapter, `${SF}/one/one.app#/sObject/001Dn00000GlbxAIAR/view`, "001Dn00000GlbxAIAR"],
  [
    "legacy hash route, 15-character id",
    salesforceAdapter,
    `${SF}/one/one.app#/sObject/001Dn00000GlbxA/view`,
    "001Dn00000GlbxAIAR",
  ],
  [
    "legacy hash route, URL-encoded, with state",
    salesforceAdapter,
    `${SF}/one/one.app#%2FsObject%2F001Dn00000GlbxAIAR%2Fview%3Fa%3At%3D1700000000000`,
    "001Dn00000GlbxAIAR",
  ],
  ["legacy hash route naming a contact", salesforceAdapter, `${SF}/one/one.app#/sObject/003Dn00000JsmthIAB/view`, null],
  ["legacy hash route naming an opportunity", salesforceAdapter, `${SF}/one/one.app#/sObject/006Dn00000OppA1IAJ/view`, null],
  [
    "legacy hash route, related list",
    salesforceAdapter,
    `${SF}/one/one.app#/sObject/001Dn00000GlbxAIAR/rlName/Contacts/view`,
    null,
  ],
  ["one.app without a route", salesforceAdapter, `${SF}/one/one.app`, null],
  [
    "base64 route to an account",
    salesforceAdapter,
    `${SF}/one/one.app#eyJjb21wb25lbnREZWYiOiJvbmU6cmVjb3JkSG9tZSIsImF0dHJpYnV0ZXMiOnsicmVjb3JkSWQiOiIwMDFEbjAwMDAwR2xieEFJQVIiLCJhY3Rpb25OYW1lIjoidmlldyJ9LCJzdGF0ZSI6e319`,
    "001Dn00000GlbxAIAR",
  ],
  [
    "base64 route to a contact",
    salesforceAdapter,
    `${SF}/one/one.app#eyJjb21wb25lbnREZWYiOiJvbmU6cmVjb3JkSG9tZSIsImF0dHJpYnV0ZXMiOnsicmVjb3JkSWQiOiIwMDNEbjAwMDAwSnNtdGhJQUIiLCJhY3Rpb25OYW1lIjoidmlldyJ9LCJzdGF0ZSI6e319`,
    null,
  ],
  [
    "console: the hash names the account",
    salesforceAdapter,
    `${SF}/lightning/page/home#/sObject/001Dn00000GlbxAIAR/view`,
    "001Dn00000GlbxAIAR",
  ],
  [
    "console: account path, hash names another object (the shown record)",
    salesforceAdapter,
    `${SF}/lightning/r/Account/001Dn00000GlbxAIAR/view#/sObject/003Dn00000JsmthIAB/view`,
    null,
  ],
  [
    "console: contact subtab of an account workspace",
    salesforceAdapter,
    `${SF}/lightning/r/Contact/003Dn00000JsmthIAB/view?ws=%2Flightning%2Fr%2FAccount%2F001Dn00000GlbxAIAR%2Fview`,
    null,
  ],
  ["garbage hash", salesforceAdapter, `${SF}/one/one.app#%E0%A4%A`, null],
  ["plain http", salesforceAdapter, "http://globex.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view", null],
  [
    "look-alike host",
    salesforceAdapter,
    "https://lightning.force.com.evil.example/lightning/r/Account/001Dn00000GlbxAIAR/view",
    null,
  ],
  // HubSpot
  ["company (record/0-2)", hubspotAdapter, `${HS}/contacts/2468013/record/0-2/9081726354`, "9081726354"],
  ["company (classic)", hubspotAdapter, `${HS}/contacts/2468013/company/9081726354`, "9081726354"],
  [
    "company, EU data centre, tab",
    hubspotAdapter,
    "https://app-eu1.hubspot.com/contacts/2468013/record/0-2/9081726354/view/1",
    "9081726354",
  ],
  ["contact (record/0-1)", hubspotAdapter, `${HS}/contacts/2468013/record/0-1/51`, null],
  ["contact (classic)", hubspotAdapter, `${HS}/contacts/2468013/contact/51`, null],
  ["deal", hubspotAdapter, `${HS}/contacts/2468013/record/0-3/7788`, null],
  ["companies list", hubspotAdapter, `${HS}/contacts/2468013/objects/0-2/views/all/list`, null],
  ["settings", hubspotAdapter, "https://app.hubspot.com/settings/2468013/properties", null],
  ["marketing site", hubspotAdapter, "https://www.hubspot.com/contacts/2468013/company/9081726354", null],
  // Dynamics
  ["account, {GUID} URL-encoded", dynamicsAdapter, `${D365}&pagetype=entityrecord&etn=account&id=%7B${GUID_UPPER}%7D`, GUID],
  ["account, raw braces", dynamicsAdapter, `${D365}&pagetype=entityrecord&etn=account&id={${GUID_UPPER}}`, GUID],
  [
    "account, bare GUID, other region",
    dynamicsAdapter,
    `https://contoso.crm11.dynamics.com/main.aspx?etn=account&pagetype=entityrecord&id=${GUID}`,
    GUID,
  ],
  ["account, id only in the hash", dynamicsAdapter, `${D365}#pagetype=entityrecord&etn=account&id=%7B${GUID_UPPER}%7D`, GUID],
  [
    "account, all parameters in the hash",
    dynamicsAdapter,
    `https://contoso.crm.dynamics.com/main.aspx#etn=account&pagetype=entityrecord&id=${GUID}`,
    GUID,
  ],
  [
    "legacy entity type code etc=1",
    dynamicsAdapter,
    `https://contoso.crm.dynamics.com/main.aspx?etc=1&id=%7b${GUID}%7d&pagetype=entityrecord`,
    GUID,
  ],
  ["parameter names in other case", dynamicsAdapter, `${D365}&PageType=EntityRecord&ETN=Account&ID=${GUID}`, GUID],
  ["contact", dynamicsAdapter, `${D365}&pagetype=entityrecord&etn=contact&id=${GUID}`, null],
  ["etc=2 (contact)", dynamicsAdapter, `https://contoso.crm.dynamics.com/main.aspx?etc=2&id=${GUID}&pagetype=entityrecord`, null],
  ["opportunity", dynamicsAdapter, `${D365}&pagetype=entityrecord&etn=opportunity&id=${GUID}`, null],
  ["lead", dynamicsAdapter, `${D365}&pagetype=entityrecord&etn=lead&id=${GUID}`, null],
  ["account list", dynamicsAdapter, `${D365}&pagetype=entitylist&etn=account`, null],
  ["dashboard", dynamicsAdapter, `${D365}&pagetype=dashboard&id=${GUID}`, null],
  ["not a GUID", dynamicsAdapter, `${D365}&pagetype=entityrecord&etn=account&id=42`, null],
  ["new account, no page data", dynamicsAdapter, `${D365}&pagetype=entityrecord&etn=account`, null],
  ["not a CRM host", dynamicsAdapter, `https://dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=${GUID}`, null],
  [
    "Business Central host",
    dynamicsAdapter,
    `https://businesscentral.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=${GUID}`,
    null,
  ],
  // Pipedrive
  ["organization", pipedriveAdapter, "https://dundermifflin.pipedrive.com/organization/731", "731"],
  ["organization tab", pipedriveAdapter, "https://dundermifflin.pipedrive.com/organization/731/?tab=people", "731"],
  ["person", pipedriveAdapter, "https://dundermifflin.pipedrive.com/person/1201", null],
  ["deal", pipedriveAdapter, "https://dundermifflin.pipedrive.com/deal/88", null],
  ["lead", pipedriveAdapter, "https://dundermifflin.pipedrive.com/leads/inbox/6a0b6c10-1d2e-11ef-9f3a-4b9c1e7d2a11", null],
  ["organizations list", pipedriveAdapter, "https://dundermifflin.pipedrive.com/organizations/list", null],
  ["pipeline", pipedriveAdapter, "https://dundermifflin.pipedrive.com/pipeline", null],
  ["marketing site", pipedriveAdapter, "https://www.pipedrive.com.evil.example/organization/731", null],
  // Zoho
  [
    "account (.com)",
    zohoAdapter,
    "https://crm.zoho.com/crm/org778812345/tab/Accounts/5725767000000412001",
    "5725767000000412001",
  ],
  [
    "account (.eu)",
    zohoAdapter,
    "https://crm.zoho.eu/crm/org20071234567/tab/Accounts/4876876000000403012?sub_module=",
    "4876876000000403012",
  ],
  [
    "account (.in)",
    zohoAdapter,
    "https://crm.zoho.in/crm/org60012345678/tab/Accounts/2345678000000123456",
    "2345678000000123456",
  ],
  [
    "account (.com.au)",
    zohoAdapter,
    "https://crm.zoho.com.au/crm/org7001234567/tab/Accounts/7012345000000123456",
    "7012345000000123456",
  ],
  ["account, URL without org", zohoAdapter, "https://crm.zoho.com/crm/tab/Accounts/5725767000000412001", "5725767000000412001"],
  ["contact", zohoAdapter, "https://crm.zoho.com/crm/org778812345/tab/Contacts/5725767000000412101", null],
  ["lead", zohoAdapter, "https://crm.zoho.com/crm/org778812345/tab/Leads/5725767000000414001", null],
  ["deal", zohoAdapter, "https://crm.zoho.com/crm/org778812345/tab/Potentials/5725767000000413001", null],
  [
    "accounts list view",
    zohoAdapter,
    "https://crm.zoho.com/crm/org778812345/tab/Accounts/custom-view/5725767000000087501/list",
    null,
  ],
  ["home", zohoAdapter, "https://crm.zoho.com/crm/org778812345/tab/Home/begin", null],
  ["short id", zohoAdapter, "https://crm.zoho.com/crm/org778812345/tab/Accounts/12345", null],
  ["unknown Zoho domain", zohoAdapter, "https://crm.zoho.example/crm/org1/tab/Accounts/5725767000000412001", null],
];

describe("detectRecord from the URL", () => {
  it.each(cases)("%s (%#)", (_label, adapter, url, expected) => {
    expect(adapter.detectRecord(new URL(url), emptyDoc)).toBe(expected);
    if (expected === null) expect(adapter.read(new URL(url), emptyDoc)).toBeNull();
    else
      expect(adapter.read(new URL(url), emptyDoc)).toEqual({
        crm: adapter.id,
        recordId: expected,
        name: null,
        domain: null,
        contacts: [],
      });
  });
});

describe("adapterForUrl", () => {
  const custom = createCustomAdapter({
    host: "crm.example.org:8443",
    accountPathPattern: "/accounts/:id",
    contactLinkPattern: "/contacts/:id",
  });
  const takeover = createCustomAdapter({ host: "app.hubspot.com", accountPathPattern: "/x/:id", contactLinkPattern: "/y/:id" });

  it.each([
    ["https://globex.lightning.force.com/lightning/page/home", "salesforce"],
    ["https://app-eu1.hubspot.com/contacts/1/record/0-2/2", "hubspot"],
    ["https://contoso.crm4.dynamics.com/main.aspx", "dynamics"],
    ["https://dundermifflin.pipedrive.com/pipeline", "pipedrive"],
    ["https://crm.zoho.com.au/crm/tab/Home/begin", "zoho"],
    ["https://crm.example.org:8443/accounts/42", "custom:crm.example.org:8443"],
  ])("%s → %s", (url, id) => {
    expect(adapterForUrl(url, [custom])?.id).toBe(id);
    expect(adapterForUrl(new URL(url), [custom])?.id).toBe(id);
  });

  it.each([
    "https://example.com/",
    "https://businesscentral.dynamics.com/main.aspx",
    "https://crm.example.org:9000/accounts/42",
    "https://crm.example.org/accounts/42",
    "ftp://crm.example.org:8443/accounts/42",
    "not a url",
  ])("%s → null", (url) => {
    expect(adapterForUrl(url, [custom])).toBeNull();
  });

  it("accepts a Location and tries custom adapters first", () => {
    const location = { href: "https://app.hubspot.com/x/7" } as Location;
    expect(adapterForUrl(location)?.id).toBe("hubspot");
    expect(adapterForUrl(location, [takeover])?.id).toBe("custom:app.hubspot.com");
    expect(readAccountPage(location, emptyDoc, [takeover])?.recordId).toBe("7");
    expect(readAccountPage(location, emptyDoc)).toBeNull();
  });

  it("custom host without a port serves any port; the match patterns are valid", () => {
    const anyPort = createCustomAdapter({
      host: "crm.example.org",
      accountPathPattern: "/accounts/:id",
      contactLinkPattern: "/contacts/:id",
    });
    expect(anyPort.matches).toEqual(["*://crm.example.org/*"]);
    expect(anyPort.detectRecord(new URL("http://crm.example.org:3000/accounts/9"), emptyDoc)).toBe("9");
    expect(custom.detectRecord(new URL("https://crm.example.org/accounts/9"), emptyDoc)).toBeNull();
    for (const adapter of [...builtinAdapters, custom, anyPort]) {
      for (const pattern of adapter.matches) expect(isMatchPattern(pattern), pattern).toBe(true);
    }
  });

  it("builtin adapters: ids are unique, each serves its own sample URL only", () => {
    const samples: Record<string, string> = {
      salesforce: "https://a.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view",
      hubspot: "https://app.hubspot.com/contacts/1/company/2",
      dynamics: `https://a.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=${GUID}`,
      pipedrive: "https://a.pipedrive.com/organization/1",
      zoho: "https://crm.zoho.com/crm/tab/Accounts/5725767000000412001",
    };
    expect(new Set(builtinAdapters.map((a) => a.id)).size).toBe(builtinAdapters.length);
    for (const adapter of builtinAdapters) {
      for (const [id, url] of Object.entries(samples)) {
        expect(adapter.detectRecord(new URL(url), emptyDoc) !== null, `${adapter.id} on ${id}`).toBe(adapter.id === id);
      }
    }
  });
});

describe("match patterns", () => {
  it.each([
    ["https://*.lightning.force.com/*", "https://globex.lightning.force.com/lightning/r/x", true],
    ["https://*.lightning.force.com/*", "https://lightning.force.com/", true],
    ["https://*.lightning.force.com/*", "http://globex.lightning.force.com/", false],
    ["https://*.lightning.force.com/*", "https://globex.lightning.force.com.evil.example/", false],
    ["*://crm.example.org/*", "http://crm.example.org:8080/a", true],
    ["*://crm.example.org/*", "https://crm.example.org/a?b=c", true],
    ["*://crm.example.org/*", "ftp://crm.example.org/a", false],
    ["https://app.hubspot.com/contacts/*", "https://app.hubspot.com/settings/1", false],
    ["https://app.hubspot.com/contacts/*", "https://app.hubspot.com/contacts/1?x=1", true],
    ["<all_urls>", "https://anything.example/", true],
    ["not a pattern", "https://anything.example/", false],
  ])("%s ~ %s → %s", (pattern, url, expected) => {
    expect(matchesPattern(pattern, new URL(url))).toBe(expected);
  });
});
