import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runServe } from "../../../server/cli/serve";
import { type Config, loadConfig } from "../../../server/config";
import { loadOrCreateSecret } from "../../../server/secrets/secret-file";

const mode = (path: string) => statSync(path).mode & 0o777;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "quorum-rest-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("loadOrCreateSecret", () => {
  const spec = { env: "QUORUM_TOKEN_SECRET", file: "test-secret.key", bytes: 32 } as const;

  it("generates a key into the data directory (0600 in a 0700 directory) and reads the same key after", () => {
    const dir = join(tempDir(), "data");
    const config = loadConfig({ QUORUM_DATA_DIR: dir });
    const a = loadOrCreateSecret(config, spec);
    expect(a).toHaveLength(32);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, "test-secret.key"))).toBe(0o600);
    // Another process (another Config) on the same directory gets the same key.
    expect(loadOrCreateSecret(loadConfig({ QUORUM_DATA_DIR: dir }), spec).equals(a)).toBe(true);
    expect(readdirSync(dir)).toEqual(["test-secret.key"]);
  });

  it("takes the environment variable first: the same text gives the same key in every process", () => {
    const env = { QUORUM_DATA_DIR: tempDir(), QUORUM_TOKEN_SECRET: "shared-between-instances-0123456789abcdef" };
    const a = loadOrCreateSecret(loadConfig(env), spec);
    expect(loadOrCreateSecret(loadConfig({ ...env, QUORUM_DATA_DIR: tempDir() }), spec).equals(a)).toBe(true);
    expect(existsSync(join(env.QUORUM_DATA_DIR, "test-secret.key"))).toBe(false);
    expect(() => loadConfig({ QUORUM_TOKEN_SECRET: "short" })).toThrow(/QUORUM_TOKEN_SECRET: must be at least 32 characters/);
  });

  it("tightens an existing key file and refuses a damaged one, naming the file and the fix", () => {
    const dir = tempDir();
    const file = join(dir, "test-secret.key");
    writeFileSync(file, `${Buffer.alloc(32, 7).toString("base64url")}\n`, { mode: 0o644 });
    const config: Config = loadConfig({ QUORUM_DATA_DIR: dir });
    expect(loadOrCreateSecret(config, spec).equals(Buffer.alloc(32, 7))).toBe(true);
    expect(mode(file)).toBe(0o600);
    writeFileSync(file, "not a key\n");
    expect(() => loadOrCreateSecret(config, spec)).toThrow(/test-secret\.key does not hold a 32-byte key.*QUORUM_TOKEN_SECRET/);
  });
});

// An install from before this change: everything world-readable. The next start tightens it, and
// everything created afterwards (SQLite's -wal/-shm, new outbox files) is private from the start.
describe("data files at rest", () => {
  const dir = join(tempDir(), "data");
  const env = { QUORUM_DATA_DIR: dir, QUORUM_PORT: "0", QUORUM_DEMO_DATA: "false", QUORUM_LOG: "info" };

  async function start() {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
    try {
      const server = await runServe(loadConfig(env));
      return { server, output: lines.join("\n") };
    } finally {
      spy.mockRestore();
    }
  }

  it("first start: private files, and the admin token printed once", async () => {
    const { server, output } = await start();
    try {
      const token = readFileSync(join(dir, "admin-token.txt"), "utf8").trim();
      expect(output).toContain(token);
      expect(mode(dir)).toBe(0o700);
      for (const f of readdirSync(dir)) expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
      expect(readdirSync(dir)).toEqual(
        expect.arrayContaining(["admin-token.txt", "quorum.sqlite", "quorum.sqlite-wal", "token-secret.key"]),
      );
    } finally {
      await server.close();
    }
  }, 120_000);

  it("a later start on a loosened install tightens every file, and does not print the token again", async () => {
    const token = readFileSync(join(dir, "admin-token.txt"), "utf8").trim();
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
    mkdirSync(join(dir, "outbox"), { mode: 0o755 });
    writeFileSync(join(dir, "outbox", "20260101T000000Z-msg_old.eml"), "To: someone@example.com\n\nhello\n", { mode: 0o644 });
    writeFileSync(join(dir, "notes.txt"), "not ours", { mode: 0o644 });
    // (this process's umask is already 077 from the first start: loosen explicitly)
    for (const p of ["outbox", "outbox/20260101T000000Z-msg_old.eml", "notes.txt"])
      chmodSync(join(dir, p), p === "outbox" ? 0o755 : 0o644);
    expect(mode(join(dir, "quorum.sqlite"))).toBe(0o644);
    const { server, output } = await start();
    try {
      expect(output).not.toContain(token);
      expect(output).toContain(join(dir, "admin-token.txt"));
      expect(mode(dir)).toBe(0o700);
      for (const f of ["admin-token.txt", "quorum.sqlite", "token-secret.key"])
        expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
      for (const f of readdirSync(dir).filter((x) => x.startsWith("quorum.sqlite-"))) expect(mode(join(dir, f))).toBe(0o600);
      expect(mode(join(dir, "outbox"))).toBe(0o700);
      expect(mode(join(dir, "outbox", "20260101T000000Z-msg_old.eml"))).toBe(0o600);
      expect(mode(join(dir, "notes.txt"))).toBe(0o644); // not Quorum's: left alone
      // The old token still works (its hash did not change with the start).
      const me = await fetch(`http://127.0.0.1:${server.port}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      // Files made from now on are private whatever creates them (umask 077).
      writeFileSync(join(dir, "later.txt"), "x");
      expect(mode(join(dir, "later.txt"))).toBe(0o600);
    } finally {
      await server.close();
    }
  }, 120_000);
});
