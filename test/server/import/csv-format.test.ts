import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../../server/cli/import";
import { normaliseHeader } from "../../../server/import/columns";
import { csv, type ImportTestContext, importContext } from "./import-helpers";

describe("CSV files the import reads", () => {
  let t: ImportTestContext;
  beforeAll(async () => {
    t = await importContext();
  });
  afterAll(() => t.close());

  const accounts = (name: string, content: string | Buffer) =>
    runImport(t.deps, "accounts", t.file(name, content), { progress: false });
  const byDomain = async (domain: string) => (await t.call("GET", `/api/accounts/lookup?domain=${domain}`)).body.accounts;

  it("normalises camelCase, snake_case, spaced and upper-case headers to one name", () => {
    for (const h of ["first_name", "First Name", "firstName", "FIRST_NAME", " first-name ", "\uFEFFFirst Name"]) {
      expect(normaliseHeader(h)).toBe("first_name");
    }
    expect(normaliseHeader("recordID")).toBe("record_id");
    expect(normaliseHeader("Salesforce ID")).toBe("salesforce_id");
  });

  it("skips a UTF-8 byte order mark at the start of the file", async () => {
    const report = await accounts("bom.csv", `\uFEFF${csv("name,domain", "Bom Co,bom.example")}`);
    expect(report).toEqual({ rows: 1, imported: 1, duplicates: 0, rejected: [] });
    expect((await byDomain("bom.example"))[0].name).toBe("Bom Co");
    // Also when the first header is quoted (Excel's "CSV UTF-8").
    const quoted = await accounts("bom-quoted.csv", Buffer.from(`\uFEFF"Name","Domain"\r\n"Bom Two","bom2.example"\r\n`, "utf8"));
    expect(quoted).toEqual({ rows: 1, imported: 1, duplicates: 0, rejected: [] });
  });

  it("reads quoted fields with commas, doubled quotes and line breaks (LF and CRLF) and keeps line numbers right", async () => {
    for (const [name, eol] of [
      ["lf.csv", "\n"],
      ["crlf.csv", "\r\n"],
    ] as const) {
      const lines = [
        "name,domain,industry",
        `"Smith ""&"" Sons, Ltd.",smith-${name}.example,"Retail,${eol}Wholesale${eol}and more"`, // lines 2–4
        `,nameless-${name}.example,`, // line 5
        `"Two${eol}Lines",two-${name}.example,`, // lines 6–7
        `,nameless2-${name}.example,`, // line 8
      ];
      const report = await accounts(name, `${lines.join(eol)}${eol}`);
      expect(report).toEqual({
        rows: 4,
        imported: 2,
        duplicates: 0,
        rejected: [
          { line: 5, reason: "name must not be empty" },
          { line: 8, reason: "name must not be empty" },
        ],
      });
      const [smith] = await byDomain(`smith-${name}.example`);
      expect(smith).toMatchObject({ name: 'Smith "&" Sons, Ltd.', industry: `Retail,${eol}Wholesale${eol}and more` });
      expect((await byDomain(`two-${name}.example`))[0].name).toBe(`Two${eol}Lines`);
    }
  });

  it("skips blank lines and rows of empty cells without counting them", async () => {
    const report = await accounts(
      "blank.csv",
      csv("name,domain", "", "Blank One,blank1.example", "   ", ",", "", ",blank-bad.example"),
    );
    expect(report).toEqual({ rows: 2, imported: 1, duplicates: 0, rejected: [{ line: 7, reason: "name must not be empty" }] });
  });

  it("rejects rows with more or fewer values than the header, but accepts trailing empty cells", async () => {
    const report = await accounts(
      "width.csv",
      csv("name,domain", "Wide Co,wide.example,extra", "Narrow Co", "Trailing Co,trailing.example,,"),
    );
    expect(report).toEqual({
      rows: 3,
      imported: 1,
      duplicates: 0,
      rejected: [
        { line: 2, reason: "has 3 values but the header has 2 columns; put values that contain commas in double quotes" },
        {
          line: 3,
          reason:
            "has 1 values but the header has 2 columns; every row needs one value per column (leave a value empty between two commas)",
        },
      ],
    });
  });

  it("rejects a row with a stray quote with the parser's message and goes on with the next rows", async () => {
    const report = await accounts(
      "stray.csv",
      csv("name,domain", "Before,before.example", 'Bad "Quote Co,stray.example', "After,after.example"),
    );
    expect(report.rows).toBe(3);
    expect(report.imported).toBe(2);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]?.line).toBe(3);
    expect(report.rejected[0]?.reason).toMatch(
      /^the CSV is malformed here: Invalid Opening Quote: a quote is found on field 0 at line 3/,
    );
    expect(await byDomain("after.example")).toHaveLength(1);
  });

  it("reports the lines a bad closing quote made the parser read as one row", async () => {
    const report = await accounts(
      "closing.csv",
      csv(
        "name,domain",
        "First,first.example",
        '"Closed" Co,closing.example',
        "Lost,lost.example",
        '"Next Co",next.example',
        "Last,last.example",
      ),
    );
    // After `"Closed" Co` csv-parse reads on inside the quote up to the next quote, on line 5.
    expect(report.rejected.map((r) => r.line)).toEqual([3, 5]);
    expect(report.rejected[0]?.reason).toMatch(
      /^the CSV is malformed here: Invalid Closing Quote: got " " at line 3 .*; lines 3–4 were read as one row$/,
    );
    expect(report).toMatchObject({ rows: 4, imported: 2, duplicates: 0 });
    expect(await byDomain("last.example")).toHaveLength(1);
    expect(await byDomain("lost.example")).toHaveLength(0);
  });

  it("stops with a clear error at a quote that is never closed, after importing the rows before it", async () => {
    const file = t.file("unclosed.csv", csv("name,domain", "Kept,kept.example", '"Open Co,open.example', "Gone,gone.example"));
    await expect(runImport(t.deps, "accounts", file, { progress: false })).rejects.toThrow(
      /unclosed\.csv \(line 3\): a quoted field that starts on line 3 is never closed \(Quote Not Closed: .*\)\. The import stopped there; before it: 1 imported, 0 duplicate, 0 rejected\./,
    );
    expect(await byDomain("kept.example")).toHaveLength(1);
    expect(await byDomain("gone.example")).toHaveLength(0);
  });

  it("stops with an error naming the first bad line when the parser cannot recover from it", async () => {
    const file = t.file(
      "cascade.csv",
      csv("name,domain", "Fine,fine.example", '"Broken" Co,broken.example', "Swallowed,swallowed.example"),
    );
    await expect(runImport(t.deps, "accounts", file, { progress: false })).rejects.toThrow(
      /cascade\.csv \(line 3\): the CSV is malformed from line 3 on and the parser cannot recover: Invalid Closing Quote: got " " at line 3 .*; then Quote Not Closed: .*The import stopped there; before it: 1 imported/,
    );
  });

  it("refuses an empty file, a missing file and a header with the same column twice", async () => {
    await expect(accounts("empty.csv", "")).rejects.toThrow(
      /empty\.csv: the file is empty; it needs a header row naming the columns, such as name,domain/,
    );
    await expect(accounts("blank-only.csv", "\n\n  \n")).rejects.toThrow(/the file is empty/);
    await expect(runImport(t.deps, "people", join(t.dir, "nope.csv"), { progress: false })).rejects.toThrow(
      /nope\.csv: the file does not exist/,
    );
    await expect(runImport(t.deps, "people", t.dir, { progress: false })).rejects.toThrow(/it is not a file/);
    await expect(accounts("twice.csv", csv("name,Name,domain", "a,b,c.example"))).rejects.toThrow(
      /the header has two columns for name \('name' and 'Name'\); keep one of them/,
    );
  });

  it("reports no rows for a file with only a header", async () => {
    expect(await accounts("header-only.csv", csv("name,domain"))).toEqual({ rows: 0, imported: 0, duplicates: 0, rejected: [] });
  });

  it("ignores columns it does not know", async () => {
    const report = await accounts("extra-columns.csv", csv("name,notes,domain", "Extra Co,whatever,extra.example"));
    expect(report.imported).toBe(1);
    expect((await byDomain("extra.example"))[0].name).toBe("Extra Co");
  });
});
