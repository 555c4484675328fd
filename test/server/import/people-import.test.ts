import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../../server/cli/import";
import { csv, FIXTURES, type ImportTestContext, importContext } from "./import-helpers";

interface PersonBody {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  jobTitle: string | null;
  source: string;
}

describe("import people", () => {
  let t: ImportTestContext;
  const accountId = new Map<string, string>();

  beforeAll(async () => {
    t = await importContext();
    const accounts = await runImport(t.deps, "accounts", join(FIXTURES, "accounts.csv"), { progress: false });
    expect(accounts.imported).toBe(4);
    for (const domain of ["acme.com", "robotics.acme-group.com", "globex.io", "initech.example"]) {
      const res = await t.call("GET", `/api/accounts/lookup?domain=${domain}`);
      accountId.set(domain, res.body.accounts[0].id);
    }
  });
  afterAll(() => t.close());

  const peopleOf = async (domain: string): Promise<PersonBody[]> => {
    const res = await t.call("GET", `/api/accounts/${accountId.get(domain)}/people?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const byEmail = (people: PersonBody[], email: string) => people.find((p) => p.email === email);

  it("imports the fixture, finding accounts by domain (as a URL too) and by CRM record", async () => {
    const report = await runImport(t.deps, "people", join(FIXTURES, "people.csv"), { progress: false });
    expect(report).toEqual({ rows: 4, imported: 4, duplicates: 0, rejected: [] });

    const acme = await peopleOf("acme.com");
    expect(acme.map((p) => p.email).sort()).toEqual(["anna@acme.com", "dan@acme.com"]);
    expect(byEmail(acme, "anna@acme.com")).toMatchObject({
      firstName: "Anna",
      lastName: "Berg",
      phone: "+49 30 1234",
      jobTitle: "VP, Engineering",
      department: "Engineering",
      seniority: "VP",
      country: "DE",
      source: "import",
    });
    expect(byEmail(acme, "dan@acme.com")).toMatchObject({ firstName: "Dan", lastName: "", jobTitle: null });

    const robotics = await peopleOf("robotics.acme-group.com");
    expect(robotics).toHaveLength(1);
    expect(robotics[0]).toMatchObject({
      firstName: "Ben",
      email: "ben.kowalski@acme.com",
      source: "webinar",
      seniority: "C-level",
    });

    const globex = await peopleOf("globex.io");
    expect(globex[0]).toMatchObject({ firstName: "Carla", jobTitle: "Head of\nProcurement" });
  });

  it("counts every row of a second import as a duplicate", async () => {
    const again = await runImport(t.deps, "people", join(FIXTURES, "people.csv"), { progress: false });
    expect(again).toEqual({ rows: 4, imported: 0, duplicates: 4, rejected: [] });
    expect(await peopleOf("acme.com")).toHaveLength(2);
  });

  it.each([
    ["snake_case", "first_name,last_name,email,account_domain", "snake"],
    ["spaced", "First Name,Last Name,Email,Account Domain", "spaced"],
    ["camelCase", "firstName,lastName,email,accountDomain", "camel"],
    ["upper case", "FIRST_NAME,LAST_NAME,EMAIL,ACCOUNT_DOMAIN", "upper"],
  ])("matches %s headers", async (_style, header, tag) => {
    const file = t.file(`${tag}.csv`, csv(header, `Hedy,${tag},hedy.${tag}@initech.example,initech.example`));
    expect(await runImport(t.deps, "people", file, { progress: false })).toEqual({
      rows: 1,
      imported: 1,
      duplicates: 0,
      rejected: [],
    });
    expect(byEmail(await peopleOf("initech.example"), `hedy.${tag}@initech.example`)).toMatchObject({
      firstName: "Hedy",
      lastName: tag,
    });
  });

  it("finds the account by account_id and by crm + account_record_id", async () => {
    const file = t.file(
      "refs.csv",
      csv(
        "first_name,email,account_id,crm,account_record_id",
        `Ida,ida@globex.io,${accountId.get("globex.io")},,`,
        "Jon,jon@globex.io,,HubSpot,9001",
        // An account_id that is no account, but a CRM record that is: the record wins.
        "Kai,kai@globex.io,acc_missing,hubspot,9001",
      ),
    );
    expect(await runImport(t.deps, "people", file, { progress: false })).toEqual({
      rows: 3,
      imported: 3,
      duplicates: 0,
      rejected: [],
    });
    const globex = await peopleOf("globex.io");
    expect(["ida@globex.io", "jon@globex.io", "kai@globex.io"].every((e) => byEmail(globex, e))).toBe(true);
  });

  it("rejects bad rows with their line and a reason naming the column and the fix", async () => {
    const file = t.file(
      "bad.csv",
      csv(
        "first_name,email,account_domain,account_id,country",
        "Eva,eva@acme.com,acme.com,,", // 2
        ",nofirst@acme.com,acme.com,,", // 3
        "Finn,finn@acme.com,unknown.example,,", // 4
        "Gus,gus@acme.com,,,", // 5
        "Hana,hana@acme.com,,acc_missing,", // 6
        "Ivan,not-an-email,acme.com,,", // 7
        "Jo,jo@acme.com,acme.com,,Germany", // 8
        `Kim,kim@acme.com,,${accountId.get("acme.com")},`, // 9
        "Eva,EVA@acme.com,acme.com,,", // 10: same email as line 2
        "Lee,,acme.com,,", // 11: no email, no duplicate check
        "Max,max@acme.com,not a domain,,", // 12
      ),
    );
    const report = await runImport(t.deps, "people", file, { progress: false });
    expect(report.rejected).toEqual([
      { line: 3, reason: "first_name must not be empty" },
      { line: 4, reason: "account_domain 'unknown.example' matches no account; import the account first or correct the value" },
      { line: 5, reason: "account_domain, account_id or crm + account_record_id must be given to find the person's account" },
      { line: 6, reason: "account_id 'acc_missing' is not an account; import the account first or correct the value" },
      { line: 7, reason: "email must be an email address such as anna@acme.com" },
      { line: 8, reason: "country must be at most 2 characters (use a two-letter country code such as DE)" },
      { line: 12, reason: "account_domain must be a web domain such as acme.com (got 'not a domain')" },
    ]);
    expect(report).toMatchObject({ rows: 11, imported: 3, duplicates: 1 });
    const acme = await peopleOf("acme.com");
    expect(acme.map((p) => p.firstName).sort()).toEqual(["Anna", "Dan", "Eva", "Kim", "Lee"]);
  });

  it("rejects a domain shared by two accounts as ambiguous", async () => {
    for (const name of ["Twin A", "Twin B"])
      expect((await t.call("POST", "/api/accounts", { name, domain: "twins.example" })).status).toBe(201);
    const file = t.file("twins.csv", csv("first_name,account_domain", "Tom,twins.example"));
    expect((await runImport(t.deps, "people", file, { progress: false })).rejected).toEqual([
      {
        line: 2,
        reason: "account_domain 'twins.example' matches 2 accounts; give account_id or crm + account_record_id instead",
      },
    ]);
  });

  it("stops with an error naming a missing required column", async () => {
    const noFirst = t.file("no-first.csv", csv("last_name,email,account_domain", "Berg,x@acme.com,acme.com"));
    await expect(runImport(t.deps, "people", noFirst, { progress: false })).rejects.toThrow(
      /the header row has no first_name column/,
    );
    const noAccount = t.file("no-account.csv", csv("first_name,email", "Anna,y@acme.com"));
    await expect(runImport(t.deps, "people", noAccount, { progress: false })).rejects.toThrow(
      /the header row needs a column for account_domain, account_id or crm \+ account_record_id/,
    );
  });
});
