import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Issue 17: the rows every ingest request rewrites (group engagement, rollup counts) get room on their page,
// so PostgreSQL updates them in place (HOT) instead of adding index entries and leaving dead rows behind.
describe.skipIf(!process.env.QUORUM_TEST_DATABASE_URL)("PostgreSQL fillfactor of the rewritten tables", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("leaves room on buying_groups and activity_daily pages, and on no other table", async () => {
    const rows = await sql<{ relname: string; reloptions: string[] | null }>`
      select c.relname, c.reloptions from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'`.execute(t.deps.db);
    const withOptions = Object.fromEntries(rows.rows.filter((r) => r.reloptions).map((r) => [r.relname, r.reloptions]));
    expect(withOptions).toEqual({ buying_groups: ["fillfactor=50"], activity_daily: ["fillfactor=70"] });
  });
});
