import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WAL_BACKSTOP_PAGES } from "../../../server/db/checkpointer";
import { createDb, type Db, walCheckpointer } from "../../../server/db/create-db";

// WAL checkpoints run on their own thread, so a commit of many pages does not copy them back into the
// database file itself (see server/db/checkpointer.ts). A real SQLite file; sizes are what disk shows.
describe("SQLite WAL checkpoints in the background", () => {
  let dir: string;
  let file: string;
  let db: Db;
  const size = (f: string) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  const until = async (what: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    return what();
  };
  /** About 4 MB (1 000 pages and more) in one commit. */
  const writeMegabytes = (from: number) =>
    db.transaction().execute(async (trx) => {
      for (let i = from; i < from + 4000; i++)
        await sql`insert into filler (n, x) values (${i}, ${"x".repeat(1000)})`.execute(trx);
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "quorum-wal-"));
    file = join(dir, "quorum.sqlite");
    db = createDb({ kind: "sqlite", file });
    await sql`create table filler (n integer primary key, x text not null)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies a large commit into the database file soon after, without the commit doing it", async () => {
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    expect(rows[0]?.wal_autocheckpoint).toBe(WAL_BACKSTOP_PAGES);
    await writeMegabytes(0);
    expect(size(`${file}-wal`)).toBeGreaterThan(4_000_000);
    expect(await until(() => size(file) > 4_000_000)).toBe(true);
  });

  it("lets the next commit start the WAL from its beginning, so the WAL does not grow with the data", async () => {
    const checkpointer = walCheckpointer(db)!;
    for (let round = 0; round < 4; round++) {
      await writeMegabytes(round * 4000);
      // The database file has the pages, and a round that ended after that saw the WAL all copied.
      expect(await until(() => size(file) > (round + 1) * 4_000_000)).toBe(true);
      const seen = checkpointer.last;
      expect(await until(() => checkpointer.last !== seen && checkpointer.last?.checkpointed === checkpointer.last?.log)).toBe(
        true,
      );
    }
    // 16 MB written in four commits; the WAL holds about one commit's pages, not all of them.
    expect(size(`${file}-wal`)).toBeLessThan(8_000_000);
    const { rows } = await sql<{ n: number }>`select count(*) as n from filler`.execute(db);
    expect(Number(rows[0]?.n)).toBe(16_000);
  });

  it("has no checkpointer thread for an in-memory database", async () => {
    const memory = createDb({ kind: "sqlite", file: ":memory:" });
    expect(walCheckpointer(memory)).toBeUndefined();
    expect(walCheckpointer(db)).toBeDefined();
    await memory.destroy();
  });

  it("keeps every committed row across a close and a reopen", async () => {
    await writeMegabytes(0);
    await db.destroy();
    db = createDb({ kind: "sqlite", file });
    const { rows } = await sql<{ n: number }>`select count(*) as n from filler`.execute(db);
    expect(Number(rows[0]?.n)).toBe(4000);
  });
});
