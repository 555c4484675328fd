import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES } from "./import-helpers";

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "quorum-import-cli-"));
const env = { ...process.env, DATABASE_URL: join(dir, "quorum.sqlite"), QUORUM_LOG: "silent" };

async function quorum(...args: string[]) {
  try {
    const { stdout, stderr } = await execFileAsync("npx", ["tsx", "server/cli/main.ts", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("npm run quorum -- import", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("imports accounts, then people; prints the summary and exits 2 when rows were rejected, 0 otherwise", async () => {
    const accounts = await quorum("import", "accounts", join(FIXTURES, "accounts.csv"));
    expect(accounts.stdout).toBe("4 imported, 0 duplicate, 0 rejected (of 4 rows).\n");
    expect(accounts.code).toBe(0);

    const people = join(dir, "people.csv");
    writeFileSync(
      people,
      "first_name,email,account_domain\nAnna,anna@acme.com,acme.com\nBen,ben@,acme.com\nCarla,carla@globex.io,globex.io\n",
    );
    const first = await quorum("import", "people", people);
    expect(first.stdout).toBe(
      "2 imported, 0 duplicate, 1 rejected (of 3 rows).\n  line 3: email must be an email address such as anna@acme.com\n",
    );
    expect(first.code).toBe(2);

    writeFileSync(people, "first_name,email,account_domain\nAnna,anna@acme.com,acme.com\nCarla,carla@globex.io,globex.io\n");
    const again = await quorum("import", "people", people);
    expect(again.stdout).toBe("0 imported, 2 duplicate, 0 rejected (of 2 rows).\n");
    expect(again.code).toBe(0);

    const missing = await quorum("import", "people", join(dir, "missing.csv"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing.csv: the file does not exist");
  }, 60_000);
});
