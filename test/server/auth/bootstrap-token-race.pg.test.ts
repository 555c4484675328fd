import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureBootstrapToken, openDatabase } from "../../../server/bootstrap";
import { loadConfig } from "../../../server/config";
import type { Db } from "../../../server/db/create-db";

// Several servers started at once on one PostgreSQL database with the same QUORUM_BOOTSTRAP_TOKEN (a rolling
// deploy, the multi-instance suite): each checks that the token is missing and inserts it. Only one insert can
// win; the others must start anyway, and exactly one bootstrap admin must exist afterwards.
const url = process.env.QUORUM_TEST_DATABASE_URL;

describe.skipIf(!url)("QUORUM_BOOTSTRAP_TOKEN with several servers starting at once", () => {
  const schema = `t_boot_${randomBytes(4).toString("hex")}`;
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.destroy();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  it("creates the token once and lets every other start go on", async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    const u = new URL(url!);
    u.searchParams.set("options", `-c search_path=${schema}`);
    const env = {
      DATABASE_URL: u.toString(),
      QUORUM_LOG: "silent",
      QUORUM_DEMO_DATA: "false",
      QUORUM_TOKEN_SECRET: "test-token-secret-0123456789abcdef0123456789",
    };
    const token = "bootstrap_race_token_0123456789abcdef";
    for (let round = 0; round < 5; round++) {
      // Fresh processes each round: their own config and connection pool, racing on the same token.
      const configs = Array.from({ length: 4 }, () => loadConfig(env));
      const opened = await Promise.all(configs.map((config) => openDatabase(config)));
      dbs.push(...opened);
      const token_ = `${token}_${round}`;
      const created = await Promise.all(opened.map((db, i) => ensureBootstrapToken(db, configs[i]!, token_)));
      expect(created.filter(Boolean)).toHaveLength(1);
      const admins = await opened[0]!
        .selectFrom("api_tokens as t")
        .innerJoin("users as u", "u.id", "t.user_id")
        .select(["u.id", "u.role"])
        .where("t.name", "=", "bootstrap (QUORUM_BOOTSTRAP_TOKEN)")
        .execute();
      expect(admins).toHaveLength(round + 1);
      expect(admins.every((a) => a.role === "admin")).toBe(true);
      for (const db of opened.splice(0)) {
        await db.destroy();
        dbs.splice(dbs.indexOf(db), 1);
      }
    }
  });
});
