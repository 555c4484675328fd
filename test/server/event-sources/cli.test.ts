import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../server/bootstrap";
import { loadConfig } from "../../../server/config";
import { connectorKey, decryptSecret } from "../../../server/connectors/crypto";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "quorum-sources-cli-"));
const env = { ...process.env, QUORUM_DATA_DIR: dir, QUORUM_LOG: "silent", QUORUM_DEMO_DATA: "false" };

async function quorum(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("npm run quorum -- sources …", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates a source (secret printed once, stored encrypted), lists, rotates, pauses, maps and deletes", async () => {
    const created = await quorum("sources", "create", "--name", "Jitsu");
    expect(created.code).toBe(0);
    const id = /^(evs_\S+)/m.exec(created.stdout)![1]!;
    const secret = /secret .*: (qes_\S+)/.exec(created.stdout)![1]!;
    expect(created.stdout).toContain(`/hooks/events/${id}`);
    const config = loadConfig(env);
    const db = await openDatabase(config);
    const row = await db.selectFrom("event_sources").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(secret);
    expect(decryptSecret(connectorKey(config), row.secret_enc)).toBe(secret);
    await db.destroy();

    const list = await quorum("sources", "list");
    expect(list.stdout).toContain("Jitsu");
    expect(list.stdout).not.toContain(secret);
    const rotated = await quorum("sources", "rotate", id);
    expect(/secret .*: (qes_\S+)/.exec(rotated.stdout)![1]).not.toBe(secret);
    expect((await quorum("sources", "pause", id)).stdout.trim()).toBe("paused");
    const mapped = await quorum("sources", "map", "Trial Converted", "fill-out-form");
    expect(mapped.stdout).toContain("Mapped 'Trial Converted' → fill-out-form");
    expect((await quorum("sources", "mappings")).stdout).toMatch(/Trial Converted\s+→ fill-out-form\s+custom/);
    const badType = await quorum("sources", "map", "X", "no-such-type");
    expect(badType.code).toBe(1);
    expect(badType.stderr).toContain("is not an activity type");
    expect((await quorum("sources", "delete", id)).code).toBe(0);
    expect((await quorum("sources", "rotate", id)).stderr).toContain("does not exist");
  }, 120_000);
});
