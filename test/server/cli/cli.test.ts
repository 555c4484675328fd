import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { tokenKey } from "../../../server/auth/token-secret";
import { findUserByToken } from "../../../server/auth/tokens.repo";
import { openDatabase } from "../../../server/bootstrap";
import { loadConfig } from "../../../server/config";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "quorum-cli-"));
const env = { ...process.env, QUORUM_DATA_DIR: dir, QUORUM_LOG: "silent", QUORUM_DEMO_DATA: "false" };

async function quorum(...args: string[]) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "server/cli/main.ts", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("npm run quorum -- …", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("migrates, then says the schema is up to date", async () => {
    expect((await quorum("migrate")).stdout).toContain("0001_core");
    expect((await quorum("migrate")).stdout).toContain("up to date");
  });

  it("refuses a token name a user name could not have, naming --name", async () => {
    const bad = await quorum("token", "create", "--role", "sales", "--name", "\u202Eevil\u202C");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--name");
  });

  it("creates, lists and revokes tokens; a revoked token stops working", async () => {
    const created = await quorum("token", "create", "--role", "sales", "--name", "Sam Sales");
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split("\n").at(-1)!;
    const tokenId = /token (tok_\S+)/.exec(created.stdout)?.[1];
    expect(token).toMatch(/^qrm_/);
    const config = loadConfig({ QUORUM_DATA_DIR: dir });
    const db = await openDatabase(config);
    try {
      expect((await findUserByToken(db, tokenKey(config), token))?.role).toBe("sales");
      const list = await quorum("token", "list");
      expect(list.stdout).toContain("Sam Sales");
      expect(list.stdout).not.toContain(token); // only a prefix is ever shown again
      expect((await quorum("token", "revoke", tokenId!)).code).toBe(0);
      expect(await findUserByToken(db, tokenKey(config), token)).toBeNull();
      expect((await quorum("token", "list")).stdout).toContain("REVOKED");
    } finally {
      await db.destroy();
    }
  }, 30_000);

  it("refuses an unknown role and an unknown command with a non-zero exit", async () => {
    const bad = await quorum("token", "create", "--role", "boss");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--role must be one of admin, marketer, sales");
    expect((await quorum("frobnicate")).code).toBe(1);
  }, 30_000);

  it("recomputes every score", async () => {
    const r = await quorum("recompute");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Recomputed \d+ people and \d+ groups/);
  });

  it("rejects an invalid environment with the variable named", async () => {
    const { code, stderr } = await run("npx", ["tsx", "server/cli/main.ts", "migrate"], {
      env: { ...env, QUORUM_TIME_ZONE: "Mars/Olympus" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(1);
    expect(stderr).toContain("QUORUM_TIME_ZONE");
  });
});
