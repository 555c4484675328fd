import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../server/bootstrap";
import { loadConfig } from "../../../server/config";
import type { Db } from "../../../server/db/create-db";
import { setWriteGate } from "../../../server/db/create-db";
import { apiWriteGate, backgroundWriteGate, newWriteGateBuffer } from "../../../server/workers/write-gate";

// The write gate between the request thread and the background thread (SQLite, one file). The
// background side is driven by hand here (it is shared memory: the same calls the worker thread makes).
// What a user notices: while the background thread is inside a transaction, a request's write waits for
// it, and the other requests' reads must not queue behind that waiting write.
describe("SQLite write gate: a waiting write does not hold up the request thread's reads", () => {
  let dir: string;
  let db: Db;
  let background: ReturnType<typeof backgroundWriteGate>;
  const settled = <T>(p: Promise<T>) => {
    const state = { done: false, value: undefined as T | undefined };
    void p.then((v) => {
      state.done = true;
      state.value = v;
    });
    return state;
  };
  const turns = async (n = 20) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "quorum-gate-"));
    const config = loadConfig({
      QUORUM_DATA_DIR: dir,
      DATABASE_URL: join(dir, "q.sqlite"),
      QUORUM_LOG: "silent",
      QUORUM_TOKEN_SECRET: "gate-test-secret-0123456789abcdef0123456789",
    });
    db = await openDatabase(config);
    const buffer = newWriteGateBuffer();
    setWriteGate(db, apiWriteGate(buffer));
    background = backgroundWriteGate(buffer);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const stages = () => db.selectFrom("stages").select("id").execute();
  const writeOne = () =>
    db
      .updateTable("role_templates")
      .set({ updated_at: "2026-12-06T00:00:00.000Z" })
      .where("id", "=", "none")
      .execute()
      .then(() => "written");

  it("a single write waits for the background transaction; reads meanwhile answer at once", async () => {
    await background.acquire(); // the background thread is inside a transaction
    const write = settled(writeOne());
    await turns();
    expect(write.done).toBe(false);
    const read = settled(stages());
    await turns();
    expect(read.done).toBe(true);
    expect(write.done).toBe(false);
    background.release(); // its commit
    await turns(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(write.done).toBe(true);
    expect(write.value).toBe("written");
  });

  it("a transaction waits for the background one; reads meanwhile answer at once; its writes then commit", async () => {
    await background.acquire();
    const trx = settled(
      db.transaction().execute(async (t) => {
        await t.updateTable("role_templates").set({ updated_at: "x" }).where("id", "=", "none").execute();
        return "committed";
      }),
    );
    await turns();
    expect(trx.done).toBe(false);
    const read = settled(stages());
    await turns();
    expect(read.done).toBe(true);
    background.release();
    await new Promise((r) => setTimeout(r, 50));
    await turns(200);
    expect(trx.value).toBe("committed");
    // While the request thread's writer waits or writes, the background thread does not begin.
    const again = settled(writeOne());
    await turns(200);
    expect(again.done).toBe(true);
  });

  it("the background thread waits while a request's write holds the gate", async () => {
    const blocked = settled(
      db.transaction().execute(async (t) => {
        await t.updateTable("role_templates").set({ updated_at: "x" }).where("id", "=", "none").execute();
        const bg = settled(background.acquire());
        await new Promise((r) => setTimeout(r, 20));
        return bg.done;
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(blocked.done).toBe(true);
    expect(blocked.value).toBe(false);
  });
});
