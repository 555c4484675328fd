/**
 * The events bench's data: `people` identified users across `accounts` company domains (identify calls, so the
 * server creates the people and links them by domain), and an endless stream of track/page messages from them
 * (deterministic: message n is always the same; every messageId unique).
 */
export interface EventsDataset {
  accounts: number;
  people: number;
}

export const datasetAt = (scale: number): EventsDataset => ({
  accounts: Math.max(10, Math.round(500 * scale)),
  people: Math.max(100, Math.round(5000 * scale)),
});

const TRACK = ["Form Submitted", "Webinar Attended", "Link Clicked", "Email Opened", "Demo Requested"];
const PAGES = ["pricing", "docs/sso", "blog/zero-trust", "customers", "product/analytics", "careers"];

export const domainOf = (a: number) => `bench-${a}.example`;
export const userIdOf = (p: number) => `bench-user-${p}`;

/** The identify call of person p (account p mod accounts). */
export function identifyMessage(d: EventsDataset, p: number, at: string) {
  return {
    type: "identify",
    messageId: `bench-identify-${p}`,
    userId: userIdOf(p),
    anonymousId: `bench-anon-${p}`,
    timestamp: at,
    traits: {
      email: `person${p}@${domainOf(p % d.accounts)}`,
      name: `Person ${p} Bench`,
      title: p % 7 === 0 ? "CTO" : "Engineer",
    },
  };
}

/** Message n of the stream (`run` makes ids unique per bench run). */
export function eventMessage(d: EventsDataset, run: string, n: number, at: string) {
  const p = (n * 7919) % d.people;
  const base = {
    messageId: `${run}-${n}`,
    userId: userIdOf(p),
    timestamp: at,
    context: { ip: "203.0.113.7", library: { name: "analytics.js", version: "4.1.0" } },
  };
  if (n % 3 === 0) {
    const path = PAGES[n % PAGES.length]!;
    const url = `https://www.${domainOf(p % d.accounts)}/${path}`;
    return { ...base, type: "page", name: path, properties: { url, path: `/${path}`, title: `Bench ${path}` } };
  }
  return { ...base, type: "track", event: TRACK[n % TRACK.length]!, properties: { plan: "enterprise", value: n % 100 } };
}
