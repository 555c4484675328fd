import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../server/bootstrap";
import { loadConfig } from "../../../server/config";

// A PostgreSQL shared with others: Kysely's migrator introspects every schema of the database before it
// migrates, and a schema another client drops during that query failed the start with `schema "…" does not
// exist` (a bench server failed so while test suites dropped theirs). The start must look again and succeed.
const url = process.env.QUORUM_TEST_DATABASE_URL;

describe.skipIf(!url)("migrations on a PostgreSQL where other schemas come and go", () => {
  let admin: pg.Client;
  const prefix = `t_churn_${randomBytes(4).toString("hex")}`;
  const ours = Array.from({ length: 4 }, (_, i) => `${prefix}_own${i}`);

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const s of ours) await admin.query(`drop schema if exists ${s} cascade`);
    const left = await admin.query(`select nspname from pg_namespace where nspname like '${prefix}_x%'`);
    for (const r of left.rows) await admin.query(`drop schema if exists ${r.nspname} cascade`);
    await admin.end();
  });

  it("starts while another client creates and drops schemas with tables", async () => {
    let stop = false;
    // Another client: schemas with a few tables each, created and dropped as fast as it can.
    const churn = (async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      for (let i = 0; !stop; i++) {
        const s = `${prefix}_x${i}`;
        await c.query(
          `create schema ${s}; ${Array.from({ length: 5 }, (_, t) => `create table ${s}.t${t} (id serial primary key, a text, b text, c int);`).join(" ")}`,
        );
        await c.query(`drop schema ${s} cascade`);
      }
      await c.end();
    })();
    try {
      for (const schema of ours) {
        await admin.query(`create schema ${schema}`);
        const u = new URL(url!);
        u.searchParams.set("options", `-c search_path=${schema}`);
        const db = await openDatabase(
          loadConfig({
            DATABASE_URL: u.toString(),
            QUORUM_LOG: "silent",
            QUORUM_DEMO_DATA: "false",
            QUORUM_TOKEN_SECRET: "test-token-secret-0123456789abcdef0123456789",
          }),
        );
        const tables = await admin.query("select count(*)::int as n from information_schema.tables where table_schema = $1", [
          schema,
        ]);
        await db.destroy();
        expect(tables.rows[0].n).toBeGreaterThan(40);
      }
    } finally {
      stop = true;
      await churn;
    }
  }, 120_000);
});
