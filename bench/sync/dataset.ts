import { type SalesforceFake, type SfRecord, type SfTable, sfId, sfTime } from "../../test/fakes/salesforce/server";

/**
 * The bench org, generated on demand (record i of each object is a pure function of i, in
 * SystemModstamp order), so the fake serves 1.2 million records without holding them: 10 000
 * accounts, 200 000 contacts, 20 000 opportunities and 1 000 000 activities (600 000 tasks, 200 000
 * events, 200 000 campaign statuses) at scale 1, spread over the last 45 days.
 */
export interface Counts {
  accounts: number;
  contacts: number;
  opportunities: number;
  tasks: number;
  events: number;
  campaignMembers: number;
}

export const countsAt = (scale: number): Counts => ({
  accounts: Math.round(10_000 * scale),
  contacts: Math.round(200_000 * scale),
  opportunities: Math.round(20_000 * scale),
  tasks: Math.round(600_000 * scale),
  events: Math.round(200_000 * scale),
  campaignMembers: Math.round(200_000 * scale),
});

const DAY = 86_400_000;

/** A table of `count` generated records plus changed ones (the incremental phase) after them. */
function generatedTable(count: number, base: number, gen: (i: number, at: string) => SfRecord, type: string): SfTable {
  const changed = new Map<string, SfRecord>();
  const at = (i: number) => sfTime(new Date(base + i * 10));
  const indexOf = (id: string) => {
    // ids are sfId(type, i): decode the base-62 counter.
    const body = id.slice(8, 15);
    let n = 0;
    for (const ch of body) n = n * 62 + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".indexOf(ch);
    return n;
  };
  return {
    *all() {
      for (let i = 0; i < count; i++) yield changed.get(sfId(type, i)) ?? gen(i, at(i));
    },
    get: (id) => changed.get(id) ?? (indexOf(id) < count ? gen(indexOf(id), at(indexOf(id))) : undefined),
    put: (r) => void changed.set(r.Id, r),
    *ordered(from) {
      const fromMs = from ? Date.parse(from) : Number.NEGATIVE_INFINITY;
      let i = Math.max(0, Math.ceil((fromMs - base) / 10));
      for (; i < count; i++) {
        const id = sfId(type, i);
        if (!changed.has(id)) yield gen(i, at(i));
      }
      const later = [...changed.values()].filter((r) => Date.parse(r.SystemModstamp.replace("+0000", "Z")) >= fromMs);
      later.sort((a, b) => a.SystemModstamp.localeCompare(b.SystemModstamp) || a.Id.localeCompare(b.Id));
      yield* later;
    },
  };
}

export function installDataset(sf: SalesforceFake, c: Counts, now: Date): void {
  const base = now.getTime() - 45 * DAY;
  const when = (i: number, spread: number) => sfTime(new Date(now.getTime() - 1000 - ((i * 7919) % spread) * 60_000));
  const acc = (i: number) => sfId("Account", i % c.accounts);
  const con = (i: number) => sfId("Contact", i % c.contacts);
  const titles = [
    "Chief Financial Officer",
    "VP Engineering",
    "IT Manager",
    "Developer",
    "Procurement Lead",
    "Head of Operations",
  ];
  const add = (type: string, count: number, gen: (i: number, at: string) => SfRecord) =>
    sf.tables.set(type, generatedTable(count, base, gen, type));
  add("User", 50, (i, at) => ({
    Id: sfId("User", i),
    Name: `Owner ${i}`,
    Email: `owner${i}@bench.example`,
    IsActive: true,
    SystemModstamp: at,
  }));
  add("Account", c.accounts, (i, at) => ({
    Id: sfId("Account", i),
    Name: `Bench Company ${i}`,
    Website: `company${i}.bench.example`,
    Industry: ["Finance", "Retail", "Manufacturing", "Healthcare"][i % 4],
    NumberOfEmployees: 20 + ((i * 37) % 5000),
    BillingCountry: ["SE", "NL", "FR", "US"][i % 4],
    AnnualRevenue: 1e6 + i,
    ParentId: i % 50 === 49 ? sfId("Account", i - 1) : null,
    IsDeleted: false,
    SystemModstamp: at,
  }));
  add("Contact", c.contacts, (i, at) => ({
    Id: sfId("Contact", i),
    FirstName: `First${i}`,
    LastName: `Last${i}`,
    Email: `p${i}@company${i % c.accounts}.bench.example`,
    Phone: null,
    Title: titles[i % titles.length],
    Department: null,
    MailingCountry: null,
    AccountId: acc(i),
    IsDeleted: false,
    SystemModstamp: at,
  }));
  add("Opportunity", c.opportunities, (i, at) => ({
    Id: sfId("Opportunity", i),
    Name: `Deal ${i}`,
    AccountId: acc(i * 3),
    Amount: 1000 * (1 + (i % 100)),
    StageName: i % 3 ? "Proposal" : "Closed Won",
    IsClosed: i % 3 === 0,
    IsWon: i % 3 === 0,
    CloseDate: "2027-01-31",
    OwnerId: sfId("User", i % 50),
    IsDeleted: false,
    SystemModstamp: at,
  }));
  add("OpportunityContactRole", 0, (_i, at) => ({ Id: "", SystemModstamp: at }));
  add("Task", c.tasks, (i, at) => ({
    Id: sfId("Task", i),
    WhoId: con(i * 13),
    Subject: `Task ${i}`,
    TaskSubtype: i % 3 === 0 ? "Email" : "Call",
    Status: "Completed",
    CompletedDateTime: when(i, 44 * 24 * 60),
    CreatedDate: at,
    IsDeleted: false,
    SystemModstamp: at,
  }));
  add("Event", c.events, (i, at) => ({
    Id: sfId("Event", i),
    WhoId: con(i * 17),
    Subject: `Meeting ${i}`,
    EventSubtype: "Event",
    StartDateTime: when(i, 44 * 24 * 60),
    IsDeleted: false,
    SystemModstamp: at,
  }));
  add("CampaignMember", c.campaignMembers, (i, at) => ({
    Id: sfId("CampaignMember", i),
    ContactId: con(i * 19),
    CampaignId: sfId("Campaign", i % 20),
    "Campaign.Name": `Campaign ${i % 20}`,
    Status: i % 2 ? "Registered" : "Attended",
    IsDeleted: false,
    SystemModstamp: at,
  }));
}

/** 1 000 changes for the incremental phase: 400 contacts, 300 opportunities, 300 new tasks. */
export function changeRecords(sf: SalesforceFake, c: Counts, now: Date): number {
  let n = 0;
  for (let i = 0; i < 400; i++) {
    const id = sfId("Contact", (i * 409) % c.contacts);
    sf.upsert("Contact", { ...sf.table("Contact").get(id)!, Title: "Chief Technology Officer" }, now);
    n++;
  }
  for (let i = 0; i < 300; i++) {
    const id = sfId("Opportunity", (i * 61) % c.opportunities);
    sf.upsert(
      "Opportunity",
      { ...sf.table("Opportunity").get(id)!, StageName: "Negotiation", IsClosed: false, IsWon: false },
      now,
    );
    n++;
  }
  for (let i = 0; i < 300; i++) {
    sf.upsert(
      "Task",
      {
        Id: sfId("Task", c.tasks + i),
        WhoId: sfId("Contact", i % c.contacts),
        Subject: "New call",
        TaskSubtype: "Call",
        Status: "Completed",
        CompletedDateTime: sfTime(now),
        IsDeleted: false,
      },
      now,
    );
    n++;
  }
  return n;
}
