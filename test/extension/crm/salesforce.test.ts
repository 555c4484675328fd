// @vitest-environment happy-dom
/**
 * Salesforce Lightning specifics: contacts inside nested open shadow roots, cached pages parked in the DOM,
 * single-page navigation (same document, changing URL), and what cannot be read (closed shadow roots).
 *
 * happy-dom 20.0 does not parse declarative shadow DOM (`<template shadowrootmode>`): the fixture is loaded and the
 * shadow roots are then built from the templates with attachShadow (see fixture.ts). The first test pins that down.
 */
import { afterEach, describe, expect, it } from "vitest";
import { salesforceAdapter, salesforceId18 } from "../../../extension/crm/salesforce";
import { hydrateDeclarativeShadowRoots, type LoadedPage, loadFixture, summarise } from "./fixture";

const GLOBEX = "https://globex.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view";
const INITECH = "https://initech--uat.sandbox.lightning.force.com/lightning/r/001Dn00000InitcIAB/view";

let page: LoadedPage | null = null;
afterEach(async () => {
  await page?.close();
  page = null;
});

describe("shadow DOM", () => {
  it("happy-dom leaves declarative shadow roots as inert templates; the adapter does not read template contents", () => {
    page = loadFixture("salesforce-account-shadow.html", GLOBEX, { declarativeShadowDom: false });
    const { document } = page;
    expect(document.querySelectorAll("template[shadowrootmode]").length).toBeGreaterThan(0);
    expect(document.querySelector("one-record-home-flexipage2")?.shadowRoot ?? null).toBeNull();
    const result = salesforceAdapter.read(page.url, document)!;
    expect(result.recordId).toBe("001Dn00000GlbxAIAR");
    expect(result.name).toBe("Globex Corporation"); // from document.title: the header is inside a template
    expect(result.domain).toBeNull();
    expect(result.contacts).toEqual([]);
  });

  it("reads contacts through nested open shadow roots (built with attachShadow from the fixture's templates)", () => {
    page = loadFixture("salesforce-account-shadow.html", GLOBEX, { declarativeShadowDom: false });
    const attached = hydrateDeclarativeShadowRoots(page.document);
    expect(attached).toBe(10);
    expect(page.document.querySelectorAll("template[shadowrootmode]").length).toBe(0);
    // Nothing is reachable from the light DOM alone …
    expect(page.document.querySelectorAll('a[data-recordid^="003"]').length).toBe(0);
    // … but the adapter walks the shadow roots.
    const result = salesforceAdapter.read(page.url, page.document)!;
    expect(result.contacts.map((c) => c.name)).toEqual(["Jane Smith", "Hank Scorpio", "Frank Grimes"]);
    const jane = result.contacts[0]!;
    expect(jane.anchor.getRootNode().nodeType).toBe(11); // the anchor lives in a shadow root
    expect(jane.email).toBe("jane.smith@globex.com"); // read from the 4th nested shadow root
  });

  it("cannot see into closed shadow roots (pages and extensions cannot either)", () => {
    page = loadFixture("salesforce-account-shadow.html", GLOBEX, {
      transform: (html) =>
        html.replace(
          '<template shadowrootmode="open"><a href="mailto:jane',
          '<template shadowrootmode="closed"><a href="mailto:jane',
        ),
    });
    const jane = salesforceAdapter.read(page.url, page.document)!.contacts[0]!;
    expect(jane.name).toBe("Jane Smith");
    expect(jane.email).toBeNull();
    expect(jane.phone).toBe("+14155550101");
  });

  it("falls back to document.title for the account name", () => {
    page = loadFixture("salesforce-account-table.html", INITECH);
    for (const el of Array.from(page.document.querySelectorAll('[slot="primaryField"]'))) el.remove();
    expect(salesforceAdapter.read(page.url, page.document)?.name).toBe("Initech");
    page.document.title = "Home | Salesforce";
    expect(salesforceAdapter.read(page.url, page.document)?.name).toBeNull();
  });
});

describe("cached pages and single-page navigation", () => {
  it("ignores the previous account's page that Lightning keeps parked with display:none", () => {
    page = loadFixture("salesforce-account-table.html", INITECH);
    const result = salesforceAdapter.read(page.url, page.document)!;
    expect(result.name).toBe("Initech");
    expect(result.contacts.map((c) => c.crmContactId)).not.toContain("003Dn00000JsmthIAB");
    // the cached page is really there
    expect(page.document.querySelector('a[href="/lightning/r/003Dn00000JsmthIAB/view"]')).not.toBeNull();
  });

  it("same document, URL changes: account → contact page → null; → another account → that record", () => {
    page = loadFixture("salesforce-account-shadow.html", GLOBEX);
    const { document } = page;
    expect(salesforceAdapter.detectRecord(new URL(page.window.location.href), document)).toBe("001Dn00000GlbxAIAR");

    const contactUrl = page.navigate("https://globex.lightning.force.com/lightning/r/Contact/003Dn00000JsmthIAB/view");
    expect(salesforceAdapter.detectRecord(contactUrl, document)).toBeNull();
    expect(salesforceAdapter.read(contactUrl, document)).toBeNull();

    const otherUrl = page.navigate("https://globex.lightning.force.com/lightning/r/Account/001Dn00000InitcIAB/view");
    expect(salesforceAdapter.detectRecord(otherUrl, document)).toBe("001Dn00000InitcIAB");
    expect(salesforceAdapter.read(otherUrl, document)?.recordId).toBe("001Dn00000InitcIAB");

    const listUrl = page.navigate("https://globex.lightning.force.com/lightning/o/Account/list?filterName=Recent");
    expect(salesforceAdapter.read(listUrl, document)).toBeNull();
  });

  it("navigating back to the cached account: Lightning swaps which page is parked, the adapter follows", () => {
    page = loadFixture("salesforce-account-table.html", INITECH);
    const { document } = page;
    const hosts = Array.from(document.querySelectorAll('[data-aura-class="oneContent lafPageHost"]'));
    expect(hosts).toHaveLength(2);
    const [globexHost, initechHost] = hosts as [Element, Element];

    const url = page.navigate("https://initech--uat.sandbox.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view");
    initechHost.setAttribute("style", "display: none;");
    globexHost.removeAttribute("style");

    const result = salesforceAdapter.read(url, document)!;
    expect(result.recordId).toBe("001Dn00000GlbxAIAR");
    expect(result.name).toBe("Globex Corporation");
    expect(result.domain).toBe("globex.com");
    expect(summarise(result.contacts)).toEqual([
      {
        name: "Jane Smith",
        email: "jane.smith@globex.com",
        title: "VP Engineering",
        phone: null,
        crmContactId: "003Dn00000JsmthIAB",
      },
    ]);
  });
});

describe("salesforceId18", () => {
  it.each([
    ["001Dn00000GlbxA", "001Dn00000GlbxAIAR"],
    ["003000000000000", "003000000000000AAA"],
    ["001ABCDEabcde12", "001ABCDEabcde12YHA"],
    ["001Dn00000GlbxAIAR", "001Dn00000GlbxAIAR"],
  ])("%s → %s", (id, expected) => {
    expect(salesforceId18(id)).toBe(expected);
  });

  it("a contact linked by its 15- and its 18-character id is one contact", () => {
    page = loadFixture("salesforce-account-table.html", INITECH, {
      transform: (html) =>
        html.replace(
          '<td data-label="Contact Name"><a href="/lightning/r/003Dn00000PgibbIAB/view"',
          '<td data-label="Contact Name"><a href="/lightning/r/003Dn00000Pgibb/view"',
        ),
    });
    expect(page.document.querySelector('a[href="/lightning/r/003Dn00000Pgibb/view"]')).not.toBeNull();
    const ids = salesforceAdapter.read(page.url, page.document)!.contacts.map((c) => c.crmContactId);
    expect(ids).toEqual(["003Dn00000PgibbIAB", "003Dn00000MboltIAB", "003Dn00000LumbgIAB"]);
  });
});
