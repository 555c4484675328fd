import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HubspotFake, startHubspotFake } from "../../fakes/hubspot/server";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "quorum-cli-crm-"));
const env = { ...process.env, QUORUM_DATA_DIR: dir, QUORUM_LOG: "silent", QUORUM_DEMO_DATA: "false" };
let hs: HubspotFake;

async function quorum(...args: string[]) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "server/cli/main.ts", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  hs = await startHubspotFake();
  hs.privateAppTokens.add("pat-na1-right");
  const acme = hs.upsert("companies", { name: "Acme", domain: "acme.example" });
  const c = hs.upsert("contacts", { firstname: "Anna", lastname: "Berg", email: "anna@acme.example" });
  hs.upsert("contacts", { firstname: "", lastname: "", email: "nobody@acme.example" });
  hs.associate("contacts", c.id, "companies", acme.id, 1);
});
afterAll(async () => {
  await hs.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run quorum -- connect / sync", () => {
  it("a wrong token is refused with HubSpot's reason and the field to fix", async () => {
    const r = await quorum("connect", "hubspot", "--token", "pat-na1-wrong", "--base-url", hs.url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("auth.accessToken: was refused by HubSpot");
    expect(r.stderr).toContain("Check the credentials");
  }, 120_000);

  it("connects with a private-app token, syncs and prints the skipped records", async () => {
    const c = await quorum("connect", "hubspot", "--name", "Acme HubSpot", "--token", "pat-na1-right", "--base-url", hs.url);
    expect(c.code, c.stderr).toBe(0);
    const id = /as (con_\S+)/.exec(c.stdout)?.[1];
    expect(id).toBeTruthy();
    const listed = await quorum("connect", "list");
    expect(listed.stdout).toContain(`${id}  hubspot    connected`);
    expect(listed.stdout).not.toContain("pat-na1-right");
    const s = await quorum("sync", "hubspot");
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/Sync done: \d+ records read/);
    expect(s.stdout).toContain("skipped contacts");
    expect(s.stdout).toContain("the contact has no name");
  }, 180_000);

  it("a revoked token turns the connection to needs sign-in, with HubSpot's reason on sync and in the list", async () => {
    hs.privateAppTokens.delete("pat-na1-right");
    const s = await quorum("sync", "hubspot");
    expect(s.code).not.toBe(0);
    expect(`${s.stdout}${s.stderr}`).toMatch(/needs sign-in|needs_sign_in/i);
    expect(`${s.stdout}${s.stderr}`).toContain("Authentication credentials not found");
    const listed = await quorum("connect", "list");
    expect(listed.stdout).toMatch(/hubspot\s+needs_sign_in/);
    expect(listed.stdout).toContain("HubSpot refused the token");
  }, 180_000);
});
