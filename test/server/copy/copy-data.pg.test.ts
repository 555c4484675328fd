import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../server/app";
import { openDatabase } from "../../../server/bootstrap";
import { loadConfig } from "../../../server/config";
import { copyData } from "../../../server/copy/copy-data";
import { seedDemoData } from "../../../server/seed/demo";

// Moving a team from the embedded SQLite file to PostgreSQL (the real server on 127.0.0.1:5432).
const PG = process.env.QUORUM_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `copy_${process.pid}_${Date.now()}`;
const target = (() => {
  const u = new URL(PG);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
})();

async function admin(sqlText: string) {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(sqlText);
  await c.end();
}

describe("npm run quorum -- copy-data --from <sqlite> --to <postgres>", () => {
  const dir = mkdtempSync(join(tmpdir(), "quorum-copy-"));
  const file = join(dir, "team.sqlite");
  const now = new Date("2026-11-23T12:00:00Z");

  beforeAll(async () => {
    await admin(`create schema ${schema}`);
    const config = loadConfig({ DATABASE_URL: file, QUORUM_LOG: "silent" });
    const db = await openDatabase(config);
    await seedDemoData({ db, config, clock: () => now });
    await db.destroy();
  }, 60_000);
  afterAll(async () => {
    await admin(`drop schema ${schema} cascade`);
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies every table with matching counts, and PostgreSQL then serves the same group details", async () => {
    const report = await copyData(file, target);
    const byTable = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
    expect(byTable.accounts).toBeGreaterThan(20);
    expect(byTable.activities).toBeGreaterThan(10_000);
    expect(byTable.activity_daily).toBeGreaterThan(1000);
    // accounts reference accounts (parent) and come before people, which come before members
    const order = report.tables.map((t) => t.table);
    expect(order.indexOf("accounts")).toBeLessThan(order.indexOf("people"));
    expect(order.indexOf("people")).toBeLessThan(order.indexOf("group_members"));

    // One token secret for both, as an operator moving a team's data keeps it (docs/postgresql.md).
    const secret = { QUORUM_TOKEN_SECRET: "copy-test-token-secret-0123456789abcdef" };
    const sqliteConfig = loadConfig({ DATABASE_URL: file, QUORUM_LOG: "silent", ...secret });
    const pgConfig = loadConfig({ DATABASE_URL: target, QUORUM_LOG: "silent", ...secret });
    const [a, b] = [await openDatabase(sqliteConfig), await openDatabase(pgConfig)];
    try {
      const token = "copy_test_token_0123456789abcdef";
      const { ensureBootstrapToken } = await import("../../../server/bootstrap");
      await ensureBootstrapToken(a, sqliteConfig, token);
      await ensureBootstrapToken(b, pgConfig, token);
      const fetchDetails = async (db: typeof a, config: typeof sqliteConfig, id: string) => {
        const app = createApp({ db, config, clock: () => now });
        const res = await app.request(`/api/groups/${id}`, { headers: { authorization: `Bearer ${token}` } });
        return (await res.json()) as Record<string, unknown>;
      };
      const ids = (await a.selectFrom("buying_groups").select("id").orderBy("engagement", "desc").limit(3).execute()).map(
        (r) => r.id,
      );
      for (const id of ids) expect(await fetchDetails(b, pgConfig, id)).toEqual(await fetchDetails(a, sqliteConfig, id));
      const parents = await b.selectFrom("accounts").select("id").where("parent_id", "is not", null).execute();
      const sqliteParents = await a.selectFrom("accounts").select("id").where("parent_id", "is not", null).execute();
      expect(parents.length).toBe(sqliteParents.length);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  }, 60_000);

  it("refuses to write into a database that has data, unless forced", async () => {
    await expect(copyData(file, target)).rejects.toThrow(/already has data .*--force/);
    const again = await copyData(file, target, { force: true });
    expect(again.tables.find((t) => t.table === "people")?.rows).toBeGreaterThan(200);
  }, 60_000);
});
