/**
 * HubSpot company records: `https://app.hubspot.com/contacts/<portal>/company/<id>` (classic) and
 * `…/contacts/<portal>/record/0-2/<id>` (object type 0-2 = company). Contacts are object type 0-1.
 */
import { defineAdapter } from "./adapter";

const HOST = /^app(?:-[a-z]{2}\d)?\.hubspot\.com$/;
const COMPANY_PATH = /^\/contacts\/(\d{1,12})\/(?:company|record\/0-2)\/(\d{1,20})(?:\/.*)?$/;
const CONTACT_PATH = /^\/contacts\/(\d{1,12})\/(?:contact|record\/0-1)\/(\d{1,20})(?:\/.*)?$/;

export const hubspotAdapter = defineAdapter({
  id: "hubspot",
  // app-eu1 / app-na2 / app-ap1: HubSpot's regional data centres.
  matches: [
    "https://app.hubspot.com/*",
    "https://app-eu1.hubspot.com/*",
    "https://app-na2.hubspot.com/*",
    "https://app-ap1.hubspot.com/*",
  ],
  servesUrl: (url) => url.protocol === "https:" && HOST.test(url.hostname.toLowerCase()),
  recordId: (url) => COMPANY_PATH.exec(url.pathname)?.[2] ?? null,
  nameFields: [
    '[data-selenium-test="highlightTitle"]',
    '[data-test-id="record-highlight-title"]',
    '[data-selenium-test="property-input-name"]',
    "h1",
  ],
  domainFields: [
    '[data-selenium-test="highlightSubtitle"]',
    '[data-test-id="record-highlight-domain"]',
    '[data-selenium-test="property-input-domain"]',
    '[data-selenium-test="property-input-website"]',
  ],
  contacts: (url) => {
    const portal = COMPANY_PATH.exec(url.pathname)?.[1];
    return {
      contactIdFromUrl: (link) => {
        const m = CONTACT_PATH.exec(link.pathname);
        return m && m[1] === portal ? (m[2] ?? null) : null;
      },
      titleFields: [
        '[data-selenium-test="property-input-jobtitle"]',
        '[data-test-id="association-card-jobtitle"]',
        '[data-selenium-test="contact-chicklet-title"]',
      ],
      emailFields: ['[data-selenium-test="property-input-email"]', '[data-test-id="association-card-email"]'],
      phoneFields: [
        '[data-selenium-test="property-input-phone"]',
        '[data-selenium-test="property-input-mobilephone"]',
        '[data-test-id="association-card-phone"]',
      ],
    };
  },
});
