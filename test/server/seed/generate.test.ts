import { describe, expect, it } from "vitest";
import {
  createRng,
  type GeneratedAccount,
  type GeneratedPerson,
  generateAccounts,
  generateActivities,
  generatePeople,
  salesforceId,
} from "../../../server/seed/generate";

const TYPES = [
  { id: "visit-webpage", weight: 50 },
  { id: "open-email", weight: 30 },
  { id: "click-link", weight: 15 },
  { id: "attend-event", weight: 5 },
  { id: "sales-email-sent", weight: 0 },
];
const END = new Date("2026-11-20T14:03:11.000Z");
const DAY = 86_400_000;

function world(seed: number, accounts: number, people: { min: number; max: number } | (() => number)) {
  const rng = createRng(seed);
  const accountList = [...generateAccounts(accounts, rng)];
  const personList = [...generatePeople(accountList, people, rng)];
  return { rng, accounts: accountList, people: personList };
}

function expectUnique(values: string[]) {
  expect(new Set(values).size).toBe(values.length);
}

describe("createRng", () => {
  it("is deterministic and stays in range", () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const ints = Array.from({ length: 1000 }, () => a.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    expect(createRng(8).next()).not.toBe(createRng(7).next());
  });
});

describe("generateAccounts / generatePeople", () => {
  it("is deterministic: same seed, same output; another seed, other output", () => {
    const run = (seed: number) => {
      const w = world(seed, 150, { min: 2, max: 8 });
      const acts = [...generateActivities(w.people, { total: 3000, days: 45, end: END, typeIds: TYPES, rng: w.rng })];
      return JSON.stringify([w.accounts, w.people, acts]);
    };
    expect(run(42)).toBe(run(42));
    expect(run(43)).not.toBe(run(42));
  });

  it("keeps keys, names, domains and emails unique at scale (2 000 accounts × 20 people)", () => {
    const { accounts, people } = world(1, 2000, () => 20);
    expect(accounts).toHaveLength(2000);
    expect(people).toHaveLength(40_000);
    expectUnique(accounts.map((a) => a.key));
    expectUnique(accounts.map((a) => a.name.toLowerCase()));
    expectUnique(accounts.map((a) => a.domain));
    expectUnique(people.map((p) => p.key));
    expectUnique(people.map((p) => p.email));
    const byKey = new Map(accounts.map((a) => [a.key, a]));
    for (const a of accounts) expect(a.domain).toMatch(/^[a-z0-9]+(\.[a-z]{2,4})+$/);
    for (const p of people) {
      const account = byKey.get(p.accountKey);
      expect(account).toBeDefined();
      expect(p.email).toMatch(/^[a-z0-9._]+@[a-z0-9.]+$/);
      expect(p.email.endsWith(`@${account?.domain}`)).toBe(true);
    }
    // Numbers disambiguate only when needed: rare for names, a small minority of emails.
    expect(accounts.filter((a) => /\d/.test(a.name)).length).toBeLessThan(20);
    expect(people.filter((p) => /\d@/.test(p.email)).length).toBeLessThan(people.length * 0.03);
  });

  it("produces coherent accounts", () => {
    const { accounts } = world(2, 3000, { min: 0, max: 0 });
    const keys = new Set<string>();
    const revenue: Record<string, [number, number]> = { SMB: [1e6, 50e6], "Mid-Market": [50e6, 1e9], Enterprise: [1e9, 1e11] };
    const countries = new Set(["US", "GB", "NL", "SE", "FR", "DE", "BE", "DK", "NO", "FI", "ES", "IT", "CA", "AU"]);
    for (const a of accounts) {
      expect(a.key).toMatch(/^a\d{6}$/);
      expect(countries.has(a.country)).toBe(true);
      const [low, high] = revenue[a.marketSegment] ?? [Number.NaN, Number.NaN];
      expect(a.annualRevenue).toBeGreaterThanOrEqual(low);
      expect(a.annualRevenue).toBeLessThan(high);
      expect(Number.isInteger(a.annualRevenue)).toBe(true);
      if (a.parentKey !== null) expect(keys.has(a.parentKey)).toBe(true);
      keys.add(a.key);
      expect(a.openOpportunitiesCount).toBeGreaterThanOrEqual(0);
      expect(a.openOpportunitiesCount).toBeLessThanOrEqual(6);
      expect(Number.isInteger(a.openOpportunitiesAmount)).toBe(true);
      expect(a.openOpportunitiesAmount === 0).toBe(a.openOpportunitiesCount === 0);
      expect(a.crmLinks.length).toBeGreaterThanOrEqual(1);
      expect(a.crmLinks.length).toBeLessThanOrEqual(3);
      expectUnique(a.crmLinks.map((l) => l.crm));
    }
    const subsidiaries = accounts.filter((a) => a.parentKey !== null).length;
    expect(subsidiaries).toBeGreaterThan(accounts.length * 0.06);
    expect(subsidiaries).toBeLessThan(accounts.length * 0.14);
    for (const field of ["industry", "marketSegment", "country"] as const) {
      expect(new Set(accounts.map((a) => a[field])).size).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(accounts.map((a) => a.domain.slice(a.domain.indexOf(".")))).size).toBeGreaterThanOrEqual(7);
  });

  it("gives every CRM many accounts, with record ids in each CRM's real format", () => {
    const { accounts } = world(3, 1000, { min: 0, max: 0 });
    const formats: Record<GeneratedAccount["crmLinks"][number]["crm"], RegExp> = {
      salesforce: /^001[0-9A-Za-z]{15}$/,
      hubspot: /^[1-9]\d{9,10}$/,
      dynamics: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      pipedrive: /^[1-9]\d{0,6}$/,
      zoho: /^4876876000\d{9}$/,
    };
    const ids = new Map<string, string[]>();
    for (const a of accounts) {
      for (const link of a.crmLinks) {
        expect(link.recordId).toMatch(formats[link.crm]);
        if (link.crm === "salesforce") expect(salesforceId(link.recordId.slice(0, 15))).toBe(link.recordId);
        ids.set(link.crm, [...(ids.get(link.crm) ?? []), link.recordId]);
      }
    }
    expect([...ids.keys()].sort()).toEqual(["dynamics", "hubspot", "pipedrive", "salesforce", "zoho"]);
    for (const list of ids.values()) {
      expect(list.length).toBeGreaterThanOrEqual(200);
      expectUnique(list);
    }
    // Known 15 → 18 conversion.
    expect(salesforceId("001D000000IqhSL")).toBe("001D000000IqhSLIAZ");
  });

  it("keeps job title, department and seniority consistent", () => {
    const { people } = world(4, 300, { min: 5, max: 25 });
    const samples: Record<string, [string, string]> = {
      "Chief Information Officer": ["IT", "C-Level"],
      CFO: ["Finance", "C-Level"],
      "General Counsel": ["Legal", "C-Level"],
      "VP of Engineering": ["Engineering", "VP"],
      "Director of IT": ["IT", "Director"],
      "Head of Security": ["Security", "Director"],
      "IT Manager": ["IT", "Manager"],
      "Procurement Manager": ["Procurement", "Manager"],
      "Marketing Operations Manager": ["Marketing", "Manager"],
      "Senior Software Engineer": ["Engineering", "Individual Contributor"],
    };
    const seen = new Map<string, string>();
    const expectedSeniority = (title: string) =>
      /^(Chief |CEO$|C[A-Z]{1,3}O$|Managing Director$|General Counsel$)/.test(title)
        ? "C-Level"
        : /^VP /.test(title)
          ? "VP"
          : /^(Director |Head of )|Director$/.test(title)
            ? "Director"
            : /Manager$|^Financial Controller$/.test(title)
              ? "Manager"
              : "Individual Contributor";
    for (const p of people) {
      expect(p.seniority).toBe(expectedSeniority(p.jobTitle));
      const pair = `${p.department}|${p.seniority}`;
      expect(seen.get(p.jobTitle) ?? pair).toBe(pair);
      seen.set(p.jobTitle, pair);
      const sample = samples[p.jobTitle];
      if (sample) expect([p.department, p.seniority]).toEqual(sample);
    }
    expect(Object.keys(samples).filter((t) => seen.has(t)).length).toBeGreaterThanOrEqual(6);
    expect(new Set(people.map((p) => p.department)).size).toBe(10);
    // At most one holder of a C-level role per account.
    const ceos = new Map<string, number>();
    for (const p of people.filter((x) => /^(Chief Executive Officer|CEO|Managing Director)$/.test(x.jobTitle))) {
      ceos.set(p.accountKey, (ceos.get(p.accountKey) ?? 0) + 1);
    }
    expect(Math.max(...ceos.values())).toBe(1);
  });

  it("produces plausible people", () => {
    const { accounts, people } = world(5, 200, { min: 4, max: 12 });
    const dialCodes: Record<string, string> = {
      US: "+1 ",
      CA: "+1 ",
      GB: "+44 ",
      NL: "+31 ",
      DE: "+49 ",
      FR: "+33 ",
      SE: "+46 ",
    };
    const byKey = new Map(accounts.map((a) => [a.key, a]));
    const sources = new Map<string, number>();
    let sameCountry = 0;
    for (const p of people as GeneratedPerson[]) {
      const account = byKey.get(p.accountKey) as GeneratedAccount;
      const code = dialCodes[account.country];
      if (code) expect(p.phone.startsWith(code)).toBe(true);
      expect(p.phone).toMatch(/^\+\d{1,3}( \d{1,8}){2,5}$/);
      expect(p.phone.replace(/\D/g, "").length).toBeGreaterThanOrEqual(10);
      expect(p.phone.replace(/\D/g, "").length).toBeLessThanOrEqual(13);
      expect(p.firstName.length).toBeGreaterThan(0);
      expect(p.lastName.length).toBeGreaterThan(0);
      if (p.country === account.country) sameCountry++;
      sources.set(p.source, (sources.get(p.source) ?? 0) + 1);
    }
    expect(sameCountry / people.length).toBeGreaterThan(0.8);
    expect([...sources.keys()].sort()).toEqual(["crm", "import", "web form"]);
    expect((sources.get("crm") ?? 0) / people.length).toBeGreaterThan(0.6);
  });
});

describe("generateActivities", () => {
  it("hits the total, stays in the window, and uses the given types by weight", () => {
    const { rng, people } = world(6, 250, { min: 4, max: 12 });
    const total = 60_000;
    const windowStart = Date.UTC(2026, 10, 20) - 44 * DAY;
    const byType = new Map<string, number>();
    const ids = new Set<string>();
    let count = 0;
    let withMetadata = 0;
    for (const a of generateActivities(people, { total, days: 45, end: END, typeIds: TYPES, rng })) {
      count++;
      ids.add(a.externalId);
      expect(a.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const t = Date.parse(a.occurredAt);
      if (t < windowStart || t > END.getTime()) throw new Error(`${a.occurredAt} is outside the window`);
      byType.set(a.typeId, (byType.get(a.typeId) ?? 0) + 1);
      if (a.metadata) {
        withMetadata++;
        expect(a.metadata.url ?? a.metadata.product ?? a.metadata.keywords).toBeDefined();
      }
    }
    expect(Math.abs(count - total)).toBeLessThanOrEqual(total * 0.05);
    expect(ids.size).toBe(count);
    expect(withMetadata / count).toBeGreaterThan(0.25);
    expect(withMetadata / count).toBeLessThan(0.35);
    expect(byType.has("sales-email-sent")).toBe(false);
    const visits = byType.get("visit-webpage") ?? 0;
    expect(visits).toBeGreaterThan(byType.get("open-email") ?? 0);
    expect(visits).toBeGreaterThan((byType.get("attend-event") ?? 0) * 3);
  });

  it("is skewed: a few people are very active, some do more than 20 of one type on one day", () => {
    const people = Array.from({ length: 5000 }, (_, i) => ({ key: `p${i}`, country: i % 3 === 0 ? "US" : "NL" }));
    const perPerson = new Map<string, number>();
    const perPersonTypeDay = new Map<string, number>();
    for (const a of generateActivities(people, { total: 200_000, days: 45, end: END, typeIds: TYPES, rng: createRng(9) })) {
      perPerson.set(a.personKey, (perPerson.get(a.personKey) ?? 0) + 1);
      const k = `${a.personKey}|${a.typeId}|${a.occurredAt.slice(0, 10)}`;
      perPersonTypeDay.set(k, (perPersonTypeDay.get(k) ?? 0) + 1);
    }
    const counts = [...perPerson.values()].sort((a, b) => b - a);
    expect(counts.length).toBeLessThan(people.length * 0.85); // some people do nothing
    const top = counts.slice(0, Math.ceil(counts.length / 20)).reduce((s, c) => s + c, 0);
    expect(top / 200_000).toBeGreaterThan(0.2); // top 5% of active people do over a fifth of everything
    const median = counts[Math.floor(counts.length / 2)] ?? 0;
    expect(counts[0] ?? 0).toBeGreaterThan(median * 10);
    const over20 = [...perPersonTypeDay.values()].filter((c) => c > 20).length;
    expect(over20).toBeGreaterThan(0);
  });

  it("never goes past `end`, even when the window is a single day that has barely started", () => {
    const end = new Date("2026-11-20T00:20:00.000Z");
    const people = Array.from({ length: 50 }, (_, i) => ({ key: `p${i}` }));
    let count = 0;
    for (const a of generateActivities(people, { total: 500, days: 1, end, typeIds: TYPES, rng: createRng(3) })) {
      count++;
      expect(a.occurredAt >= "2026-11-20T00:00:00.000Z" && a.occurredAt <= end.toISOString()).toBe(true);
    }
    expect(count).toBe(500);
  });

  it("rejects a type list without positive weights", () => {
    const gen = generateActivities([{ key: "p" }], {
      total: 1,
      days: 1,
      end: END,
      typeIds: [{ id: "x", weight: 0 }],
      rng: createRng(1),
    });
    expect(() => gen.next()).toThrow(/positive weight/);
  });

  it("streams 1 000 000 activities without holding them", () => {
    const people = Array.from({ length: 20_000 }, (_, i) => ({ key: `p${String(i).padStart(7, "0")}` }));
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    for (const a of generateActivities(people, { total: 1_000_000, days: 45, end: END, typeIds: TYPES, rng: createRng(11) })) {
      count++;
      if (a.externalId.endsWith("00000")) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBeGreaterThanOrEqual(950_000);
    expect(count).toBeLessThanOrEqual(1_050_000);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });
});
