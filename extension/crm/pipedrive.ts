/** Pipedrive organizations: `https://<company>.pipedrive.com/organization/<id>`; people are `/person/<id>`. */
import { defineAdapter } from "./adapter";

const HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.pipedrive\.com$/;
const ORGANIZATION_PATH = /^\/organization\/(\d{1,15})(?:\/.*)?$/;
const PERSON_PATH = /^\/person\/(\d{1,15})(?:\/.*)?$/;

export const pipedriveAdapter = defineAdapter({
  id: "pipedrive",
  matches: ["https://*.pipedrive.com/*"],
  servesUrl: (url) => url.protocol === "https:" && HOST.test(url.hostname.toLowerCase()),
  recordId: (url) => ORGANIZATION_PATH.exec(url.pathname)?.[1] ?? null,
  nameFields: ['[data-test="header-title"]', '[data-testid="header-title"]', '[data-test="organization-name"]', "h1"],
  // "Initech - Organization - Pipedrive" (older: "Initech • Pipedrive")
  nameFromTitle: (title) => /^(.+?) (?:- Organization - |• )Pipedrive$/.exec(title.trim())?.[1] ?? null,
  domainFields: [
    '[data-test="website"]',
    '[data-testid="website"]',
    '[data-test="organization-website"]',
    '[data-test="domain"]',
  ],
  contacts: () => ({
    contactIdFromUrl: (link) => PERSON_PATH.exec(link.pathname)?.[1] ?? null,
    titleFields: ['[data-test="person-job-title"]', '[data-testid="person-job-title"]', '[data-test="job_title"]'],
    emailFields: ['[data-test="person-email"]', '[data-testid="person-email"]'],
    phoneFields: ['[data-test="person-phone"]', '[data-testid="person-phone"]'],
  }),
});
