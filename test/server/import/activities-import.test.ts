import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ingestActivities } from "../../../server/activities/activities.service";
import { runImport } from "../../../server/cli/import";
import { csv, FIXTURES, type ImportTestContext, importContext } from "./import-helpers";

// The real ingest, wrapped to see the batch sizes the import sends.
vi.mock("../../../server/activities/activities.service", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../server/activities/activities.service")>();
  return { ...original, ingestActivities: vi.fn(original.ingestActivities) };
});

describe("import activities", () => {
  let t: ImportTestContext;
  const personId = new Map<string, string>();

  beforeAll(async () => {
    t = await importContext();
    expect((await runImport(t.deps, "accounts", join(FIXTURES, "accounts.csv"), { progress: false })).imported).toBe(4);
    expect((await runImport(t.deps, "people", join(FIXTURES, "people.csv"), { progress: false })).imported).toBe(4);
    for (const p of await t.deps.db.selectFrom("people").select(["id", "email"]).execute()) personId.set(p.email ?? "", p.id);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    vi.mocked(ingestActivities).mockClear();
  });

  const activityCount = async () =>
    Number(
      (
        await t.deps.db
          .selectFrom("activities")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("imports the fixture: type by id or name, keywords split on semicolons, url and product as metadata", async () => {
    const report = await runImport(t.deps, "activities", join(FIXTURES, "activities.csv"), { progress: false });
    expect(report).toEqual({ rows: 3, imported: 3, duplicates: 0, rejected: [] });

    const rows = await t.deps.db.selectFrom("activities").selectAll().orderBy("external_id").execute();
    expect(rows.map((r) => [r.external_id, r.person_id, r.type_id, r.occurred_at])).toEqual([
      ["mail-1", personId.get("ben.kowalski@acme.com"), "click-email", "2026-11-22T08:00:00.000Z"],
      ["web-1", personId.get("anna@acme.com"), "visit-webpage", "2026-11-20T09:30:00.000Z"],
      ["web-2", personId.get("anna@acme.com"), "visit-webpage", "2026-11-21T09:00:00.000Z"],
    ]);
    expect(JSON.parse(rows[1]?.metadata ?? "null")).toEqual({
      url: "https://acme.example/pricing",
      keywords: ["pricing", "plans"],
      product: "Quorum Cloud",
    });
    expect(rows[2]?.metadata).toBeNull();

    // The scores were recomputed by the ingest: Anna has two activities in the window.
    const anna = await t.call("GET", `/api/people/${personId.get("anna@acme.com")}`);
    expect(anna.status).toBe(200);
    expect(anna.body.score).toBeGreaterThan(0);
  });

  it("counts every row of a second import as a duplicate", async () => {
    const again = await runImport(t.deps, "activities", join(FIXTURES, "activities.csv"), { progress: false });
    expect(again).toEqual({ rows: 3, imported: 0, duplicates: 3, rejected: [] });
    expect(await activityCount()).toBe(3);
  });

  it("rejects bad rows with their line and a reason naming the file's column", async () => {
    const file = t.file(
      "bad.csv",
      csv(
        "external_id,person_email,person_id,type,occurred_at,keywords",
        "r-1,anna@acme.com,,visit-webpage,2026-11-20T09:30:00Z,", // 2
        "r-2,nobody@acme.com,,visit-webpage,2026-11-20T09:30:00Z,", // 3
        "r-3,anna@acme.com,,teleport,2026-11-20T09:30:00Z,", // 4
        "r-4,anna@acme.com,,visit-webpage,20/11/2026,", // 5
        "r-5,,,visit-webpage,2026-11-20T09:30:00Z,", // 6
        "r-6,anna@acme.com,,visit-webpage,2027-01-01T00:00:00Z,", // 7
        ",anna@acme.com,,visit-webpage,2026-11-20T09:30:00Z,", // 8
        "r-1,anna@acme.com,,visit-webpage,2026-11-20T09:30:00Z,", // 9: same id as line 2
        "r-8,,per_missing,visit-webpage,2026-11-20T09:30:00Z,", // 10
        `r-9,,${personId.get("dan@acme.com")},Open Email,2026-11-20T09:30:00Z,a;b`, // 11
        "r-10,anna@,,visit-webpage,2026-11-20T09:30:00Z,", // 12
      ),
    );
    const report = await runImport(t.deps, "activities", file, { progress: false });
    expect(report.rejected).toEqual([
      { line: 3, reason: "person_email 'nobody@acme.com' matches no person; import the person first" },
      { line: 4, reason: "type 'teleport' is not a known activity type; create it with POST /api/activity-types" },
      { line: 5, reason: "occurred_at must be an ISO-8601 date-time such as 2026-11-23T09:30:00Z" },
      { line: 6, reason: "person_email or person_id must be given to find the person" },
      { line: 7, reason: "occurred_at 2027-01-01T00:00:00Z is in the future" },
      { line: 8, reason: "external_id must not be empty" },
      { line: 10, reason: "person_id 'per_missing' is not a known person" },
      { line: 12, reason: "person_email must be an email address such as anna@acme.com" },
    ]);
    expect(report).toMatchObject({ rows: 11, imported: 2, duplicates: 1 });
  });

  it("names the columns as the file spells them", async () => {
    const file = t.file(
      "labels.csv",
      csv("ExternalId,PersonEmail,Type,OccurredAt", "x-1,ghost@acme.com,visit-webpage,2026-11-20T09:30:00Z"),
    );
    expect((await runImport(t.deps, "activities", file, { progress: false })).rejected).toEqual([
      { line: 2, reason: "PersonEmail 'ghost@acme.com' matches no person; import the person first" },
    ]);
  });

  it("imports a 25 000-row file in batches of 10 000 with correct totals", async () => {
    const emails = ["anna@acme.com", "ben.kowalski@acme.com", "carla@globex.io", "dan@acme.com"];
    const types = ["visit-webpage", "Click Email", "open-email", "Attend Event"];
    const lines = ["external_id,person_email,type,occurred_at,url,keywords"];
    for (let i = 0; i < 25_000; i++) {
      const day = String(1 + (i % 20)).padStart(2, "0");
      const id = i === 12_000 ? "bulk-5" : `bulk-${i}`; // line 12 002 repeats the id of line 7, in another batch
      const when = i === 20_000 ? "yesterday" : `2026-11-${day}T${String(i % 24).padStart(2, "0")}:15:00Z`; // line 20 002 is bad
      lines.push(
        `${id},${emails[i % emails.length]},${types[i % types.length]},${when},https://acme.example/p/${i % 50},"a;b,c"`,
      );
    }
    const file = t.file("bulk.csv", csv(...lines));
    const before = await activityCount();
    const started = Date.now();
    const report = await runImport(t.deps, "activities", file, { progress: false });
    expect(Date.now() - started).toBeLessThan(10_000);

    expect(report).toEqual({
      rows: 25_000,
      imported: 24_998,
      duplicates: 1,
      rejected: [{ line: 20_002, reason: "occurred_at must be an ISO-8601 date-time such as 2026-11-23T09:30:00Z" }],
    });
    expect(vi.mocked(ingestActivities).mock.calls.map((c) => c[1].length)).toEqual([10_000, 10_000, 4_999]);
    expect((await activityCount()) - before).toBe(24_998);
    const sample = await t.deps.db
      .selectFrom("activities")
      .select("metadata")
      .where("external_id", "=", "bulk-7")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(sample.metadata ?? "null")).toEqual({ url: "https://acme.example/p/7", keywords: ["a", "b,c"] });
  });

  it("stops with an error naming a missing required column", async () => {
    const file = t.file("no-time.csv", csv("external_id,person_email,type", "x,anna@acme.com,visit-webpage"));
    await expect(runImport(t.deps, "activities", file, { progress: false })).rejects.toThrow(
      /the header row has no occurred_at column/,
    );
    const noPerson = t.file("no-person.csv", csv("external_id,type,occurred_at", "x,visit-webpage,2026-11-20T09:30:00Z"));
    await expect(runImport(t.deps, "activities", noPerson, { progress: false })).rejects.toThrow(
      /the header row needs a column for person_email or person_id/,
    );
  });
});
