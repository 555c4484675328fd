import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../../server/cli/import";
import { csv, FIXTURES, type ImportTestContext, importContext } from "./import-helpers";

describe("import accounts", () => {
  let t: ImportTestContext;
  beforeAll(async () => {
    t = await importContext();
  });
  afterAll(() => t.close());

  const lookup = async (query: string) => {
    const res = await t.call("GET", `/api/accounts/lookup?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it("imports the fixture (mixed header styles, quoted commas and newlines, CRM link columns, parent by domain)", async () => {
    const report = await runImport(t.deps, "accounts", join(FIXTURES, "accounts.csv"), { progress: false });
    expect(report).toEqual({ rows: 4, imported: 4, duplicates: 0, rejected: [] });

    const holding = await lookup("crm=salesforce&recordId=001A000001");
    expect(holding.matchedBy).toBe("crm");
    expect(holding.accounts[0]).toMatchObject({
      name: "Acme Holding",
      domain: "acme.com",
      industry: "Manufacturing",
      marketSegment: "Enterprise",
      country: "DE",
      annualRevenue: 12_500_000,
      parentId: null,
      openOpportunities: { count: 3, amount: 250_000 },
      crmLinks: [{ crm: "salesforce", recordId: "001A000001" }],
    });

    const robotics = await lookup("crm=salesforce&recordId=001A000002");
    expect(robotics.accounts[0]).toMatchObject({
      name: "Acme Robotics",
      domain: "robotics.acme-group.com",
      parentId: holding.accounts[0].id,
      crmLinks: [
        { crm: "hubspot", recordId: "7001" },
        { crm: "salesforce", recordId: "001A000002" },
      ],
    });
    expect((await lookup("crm=hubspot&recordId=7001")).accounts[0].id).toBe(robotics.accounts[0].id);

    const globex = await lookup("crm=hubspot&recordId=9001");
    expect(globex.accounts[0]).toMatchObject({ name: "Globex, Inc.", industry: "Energy\n& Utilities", annualRevenue: null });

    const initech = await lookup("domain=initech.example");
    expect(initech).toMatchObject({ matchedBy: "domain", accounts: [{ name: "Initech", crmLinks: [] }] });
  });

  it("counts every row of a second import as a duplicate and changes nothing", async () => {
    const again = await runImport(t.deps, "accounts", join(FIXTURES, "accounts.csv"), { progress: false });
    expect(again).toEqual({ rows: 4, imported: 0, duplicates: 4, rejected: [] });

    // Same CRM record or same domain with other values: still a duplicate, the account is left as it was.
    const changed = t.file(
      "changed.csv",
      csv("name,domain,industry,salesforce_id", "Acme Renamed,,Retail,001A000001", "Initech Renamed,www.initech.example,Retail,"),
    );
    expect(await runImport(t.deps, "accounts", changed, { progress: false })).toEqual({
      rows: 2,
      imported: 0,
      duplicates: 2,
      rejected: [],
    });
    expect((await lookup("crm=salesforce&recordId=001A000001")).accounts[0]).toMatchObject({
      name: "Acme Holding",
      industry: "Manufacturing",
    });
    expect((await lookup("domain=initech.example")).accounts).toHaveLength(1);
    expect((await lookup("domain=initech.example")).accounts[0].name).toBe("Initech");
  });

  it("rejects bad rows with their line and a reason naming the column, and imports the rest", async () => {
    const file = t.file(
      "bad.csv",
      csv(
        "name,domain,country,annual_revenue,open_opportunities_count,crm,record_id,parent_domain,salesforce_id",
        "Good Co,good.example,NL,,,,,,", // 2
        ",nameless.example,,,,,,,", // 3
        "Bad Domain,not a domain,,,,,,,", // 4
        "Germany Co,germany.example,Germany,,,,,,", // 5
        "Rich Co,rich.example,,lots,,,,,", // 6
        "Half Link,half.example,,,,salesforce,,,", // 7
        "Bad Crm,badcrm.example,,,,sap,1,,", // 8
        "Orphan,orphan.example,,,,,,nowhere.example,", // 9
        "Child First,child.example,,,,,,later.example,", // 10
        "Later Parent,later.example,,,,,,,", // 11
        "Good Co Again,GOOD.example,,,,,,,", // 12: same domain as line 2
        "Count,count.example,,,2.5,,,,", // 13
        "Linked,linked.example,,,,,,,SF-1", // 14
        "Same Record,other.example,,,,,,,SF-1", // 15: same CRM record as line 14
        "Child Later,child2.example,,,,,,LATER.example,", // 16: parent on line 11
      ),
    );
    const report = await runImport(t.deps, "accounts", file, { progress: false });
    expect(report.rejected).toEqual([
      { line: 3, reason: "name must not be empty" },
      { line: 4, reason: "domain must be a web domain such as acme.com" },
      { line: 5, reason: "country must be at most 2 characters (use a two-letter country code such as DE)" },
      { line: 6, reason: "annual_revenue must be a number such as 2500000 (got 'lots')" },
      { line: 7, reason: "crm and record_id go together: give both, or neither" },
      { line: 8, reason: "crm must be salesforce, hubspot, dynamics, pipedrive, zoho or custom:<host>" },
      {
        line: 9,
        reason:
          "parent_domain 'nowhere.example' matches no account; put the parent's row above this one, or import the parent first",
      },
      {
        line: 10,
        reason:
          "parent_domain 'later.example' matches no account; put the parent's row above this one, or import the parent first",
      },
      { line: 13, reason: "open_opportunities_count must be a whole number such as 3 (got '2.5')" },
    ]);
    expect(report).toMatchObject({ rows: 15, imported: 4, duplicates: 2 });
    const parent = (await lookup("domain=later.example")).accounts[0];
    expect((await lookup("domain=child2.example")).accounts[0].parentId).toBe(parent.id);
    expect((await lookup("domain=orphan.example")).accounts).toEqual([]);
  });

  it("stops with an error naming a missing required column", async () => {
    const file = t.file("no-name.csv", csv("domain,industry", "acme.com,Retail"));
    await expect(runImport(t.deps, "accounts", file, { progress: false })).rejects.toThrow(
      /no-name\.csv: the header row has no name column; add it .*the columns found are 'domain', 'industry'/,
    );
  });

  it("writes a batch of more than 1 000 rows (several transactions) and keeps file order for parents", async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => `Bulk ${i},bulk${i}.example,${i > 0 ? "bulk0.example" : ""}`);
    const file = t.file("bulk.csv", csv("name,domain,parent_domain", ...rows));
    expect(await runImport(t.deps, "accounts", file, { progress: true })).toEqual({
      rows: 2_500,
      imported: 2_500,
      duplicates: 0,
      rejected: [],
    });
    const root = (await lookup("domain=bulk0.example")).accounts[0];
    expect((await lookup("domain=bulk2499.example")).accounts[0].parentId).toBe(root.id);
  });
});
