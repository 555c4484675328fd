import { type SalesforceFake, sfTime } from "./server";

/** A small org: two accounts (one child), contacts with titles, an opportunity with a contact role, tasks, an event, campaign statuses. */
export function seedSmallOrg(sf: SalesforceFake, at = new Date("2026-11-20T09:00:00.000Z")) {
  const t = (min: number) => new Date(at.getTime() + min * 60_000);
  const owner = sf.upsert("User", { Name: "Olive Owner", Email: "olive@acme.example", IsActive: true }, t(0));
  const acme = sf.upsert(
    "Account",
    {
      Name: "Acme Corp",
      Website: "https://www.acme.example",
      Industry: "Manufacturing",
      NumberOfEmployees: 2500,
      BillingCountry: "Netherlands",
      AnnualRevenue: 5e7,
    },
    t(1),
  );
  const sub = sf.upsert(
    "Account",
    {
      Name: "Acme Benelux",
      Website: "acme-benelux.example",
      Industry: "Manufacturing",
      NumberOfEmployees: 80,
      BillingCountry: "BE",
      ParentId: acme.Id,
    },
    t(2),
  );
  const anna = sf.upsert(
    "Contact",
    {
      FirstName: "Anna",
      LastName: "de Vries",
      Email: "anna@acme.example",
      Title: "Chief Financial Officer",
      Department: "Finance",
      AccountId: acme.Id,
    },
    t(3),
  );
  const bo = sf.upsert(
    "Contact",
    { FirstName: "Bo", LastName: "Lind", Email: "bo@acme.example", Title: "IT Manager", Department: "IT", AccountId: acme.Id },
    t(4),
  );
  const noName = sf.upsert("Contact", { FirstName: null, LastName: null, Email: "ghost@acme.example", AccountId: acme.Id }, t(5));
  const badEmail = sf.upsert("Contact", { FirstName: "Carl", LastName: "Bad", Email: "not-an-email", AccountId: sub.Id }, t(6));
  const orphan = sf.upsert(
    "Contact",
    { FirstName: "Dana", LastName: "Nowhere", Email: "dana@else.example", AccountId: null },
    t(7),
  );
  const opp = sf.upsert(
    "Opportunity",
    {
      Name: "Acme expansion",
      AccountId: acme.Id,
      Amount: 120000,
      StageName: "Proposal",
      IsClosed: false,
      IsWon: false,
      CloseDate: "2026-12-31",
      OwnerId: owner.Id,
    },
    t(8),
  );
  sf.upsert(
    "OpportunityContactRole",
    { OpportunityId: opp.Id, ContactId: anna.Id, Role: "Decision Maker", IsPrimary: true },
    t(9),
  );
  const call = sf.upsert(
    "Task",
    { WhoId: anna.Id, Subject: "Discovery call", TaskSubtype: "Call", Status: "Completed", CompletedDateTime: sfTime(t(10)) },
    t(10),
  );
  sf.upsert("Task", { WhoId: bo.Id, Subject: "Follow up", TaskSubtype: "Task", Status: "Open" }, t(11));
  sf.upsert(
    "Task",
    { WhoId: "00Q5g00000AbCdEFAB", Subject: "Lead call", TaskSubtype: "Call", CompletedDateTime: sfTime(t(12)) },
    t(12),
  );
  sf.upsert("Event", { WhoId: bo.Id, Subject: "Demo", EventSubtype: "Event", StartDateTime: sfTime(t(13)) }, t(13));
  const member = sf.upsert(
    "CampaignMember",
    { ContactId: anna.Id, CampaignId: "7015g000000AbCdAAK", "Campaign.Name": "Summit 2026", Status: "Registered" },
    t(14),
  );
  return { owner, acme, sub, anna, bo, noName, badEmail, orphan, opp, call, member };
}

/** A larger org, deterministic: `accounts` accounts, `contacts` contacts spread over them, a Call task per contact and one more per second contact. */
export function seedOrg(
  sf: SalesforceFake,
  counts: { accounts: number; contacts: number },
  start = new Date("2026-11-01T00:00:00.000Z"),
) {
  let tick = 0;
  const at = () => new Date(start.getTime() + tick++ * 1000);
  const accounts = Array.from({ length: counts.accounts }, (_, i) =>
    sf.upsert(
      "Account",
      {
        Name: `Company ${i}`,
        Website: `company${i}.example`,
        Industry: i % 2 ? "Retail" : "Finance",
        NumberOfEmployees: 50 + i * 10,
        BillingCountry: "SE",
      },
      at(),
    ),
  );
  const contacts = Array.from({ length: counts.contacts }, (_, i) =>
    sf.upsert(
      "Contact",
      {
        FirstName: `First${i}`,
        LastName: `Last${i}`,
        Email: `person${i}@company${i % counts.accounts}.example`,
        Title: i % 7 === 0 ? "CFO" : "Engineer",
        AccountId: accounts[i % counts.accounts]!.Id,
      },
      at(),
    ),
  );
  for (const [i, c] of contacts.entries()) {
    sf.upsert("Task", { WhoId: c.Id, Subject: `Call ${i}`, TaskSubtype: "Call", CompletedDateTime: sfTime(at()) }, at());
    if (i % 2 === 0)
      sf.upsert("Task", { WhoId: c.Id, Subject: `Email ${i}`, TaskSubtype: "Email", CompletedDateTime: sfTime(at()) }, at());
  }
  return { accounts, contacts };
}
