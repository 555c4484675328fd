import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// For any input, the raw activities and the daily rollup that scoring reads agree: every stored
// activity is counted once in its (person, type, day), nothing else is. Ids that cannot be stored as
// sent (a lone surrogate became U+FFFD and collided with another id: stored, answered "duplicate" and
// left out of the rollup) are rejected per item. Runs on SQLite and (npm run test:pg) PostgreSQL.
const NOW = new Date("2026-11-23T12:00:00.000Z");

/** External ids that tell storage, trimming and comparison apart. */
const EXTERNAL_IDS = [
  "a",
  " a",
  "a ",
  "A",
  "\uD800",
  "a\uD800",
  "a\uDC00",
  "a\uFFFD",
  "\uFFFD",
  "a\u0000",
  "\u0000",
  "\u202Ea",
  "é",
  "e\u0301",
  "🚀",
  "\uD83D\uDE80x",
  "x".repeat(200),
  "x".repeat(201),
  "",
  "  ",
];

const TIMES = [
  "2026-11-23T11:00:00.000Z",
  "2026-11-22T23:30:00.000Z",
  "2026-11-22T23:30:00Z",
  "2026-11-23T00:30:00+01:00",
  "2026-10-25T01:30:00.000Z",
  "2026-03-29T01:30:00.000Z",
  "2026-11-23T12:10:00.000Z", // more than 5 minutes ahead: refused
  "2026-11-23T12:04:00.000Z",
  "not a time",
  "2026-02-30T10:00:00.000Z",
];

describe.each(["UTC", "Europe/Amsterdam"])("raw activities = rollup (%s)", (timeZone) => {
  let t: TestContext;
  let people: string[] = [];
  beforeAll(async () => {
    t = await createTestContext({ now: NOW, env: { QUORUM_TIME_ZONE: timeZone } });
    const acc = await account(t);
    people = [(await person(t, acc.id, "Raw")).id, (await person(t, acc.id, "Roll")).id];
  });
  afterAll(() => t.close());

  const activity = () =>
    fc.record(
      {
        externalId: fc.oneof(fc.constantFrom(...EXTERNAL_IDS), fc.string({ maxLength: 4, unit: "binary" })),
        personId: fc.oneof(fc.constantFrom(...people), fc.constant("per_unknown"), fc.constant("per\u0000")),
        type: fc.constantFrom("visit-webpage", "email-opened", "form-submitted", "no-such-type", "visit\uD800"),
        occurredAt: fc.constantFrom(...TIMES),
        metadata: fc.oneof(
          fc.constant(undefined),
          fc.constant(null),
          fc.constant({ url: "https://x.example/" }),
          fc.constant({ "k\u0000": 1 }),
          fc.constant({ url: "\uDFFF" }),
        ),
      },
      { requiredKeys: ["externalId", "personId", "type", "occurredAt"] },
    );

  it("holds after any sequence of batches", { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(activity(), { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 3 }),
        async (batches) => {
          for (const batch of batches) {
            const before = await rawCount(t);
            const res = await t.call("POST", "/api/activities", { activities: batch });
            expect(res.status).toBe(200);
            const { accepted, duplicate, rejected } = res.body as { accepted: number; duplicate: number; rejected: unknown[] };
            expect(accepted + duplicate + rejected.length).toBe(batch.length);
            expect(await rawCount(t)).toBe(before + accepted);
          }
          expect(await rollupMismatches(t)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
    // The generators did reach storage: some activities went in.
    expect(await rawCount(t)).toBeGreaterThan(0);
  });
});

async function rawCount(t: TestContext): Promise<number> {
  const r = await t.deps.db
    .selectFrom("activities")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** (person, type, day) keys where the raw activities and the rollup disagree. */
async function rollupMismatches(t: TestContext) {
  const raw = await sql<{ person_id: string; type_id: string; day: string; n: number | string }>`
    select person_id, type_id, day, count(*) as n from activities group by person_id, type_id, day`.execute(t.deps.db);
  const rolled = await t.deps.db.selectFrom("activity_daily").select(["person_id", "type_id", "day", "count"]).execute();
  const key = (r: { person_id: string; type_id: string; day: string }) => `${r.person_id}|${r.type_id}|${r.day}`;
  const counts = new Map<string, { raw: number; rollup: number }>();
  for (const r of raw.rows) counts.set(key(r), { raw: Number(r.n), rollup: 0 });
  for (const r of rolled) {
    const c = counts.get(key(r)) ?? { raw: 0, rollup: 0 };
    c.rollup = Number(r.count);
    counts.set(key(r), c);
  }
  return [...counts].filter(([, c]) => c.raw !== c.rollup).map(([k, c]) => ({ key: k, ...c }));
}
