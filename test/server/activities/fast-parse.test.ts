import { describe, expect, it } from "vitest";
import { canonicalUtcMs, fastParseActivity } from "../../../server/activities/activities.service";
import { ActivityInput } from "../../../shared/api/activities";

// Ingest validates the common item shape without zod; it must accept only what zod accepts and
// return exactly zod's output, leaving everything else (and every error message) to zod.
describe("fast activity validation", () => {
  const base = { externalId: "a-1", personId: "per_1", type: "visit-webpage", occurredAt: "2026-11-23T09:00:00.000Z" };
  const cases: unknown[] = [
    base,
    { ...base, metadata: null },
    { ...base, metadata: undefined },
    { ...base, metadata: { url: "https://x.example/p", keywords: ["a", "b"], extra: 3, flag: true, none: null } },
    { ...base, metadata: { url: 5 } },
    { ...base, metadata: { keywords: Array.from({ length: 51 }, () => "k") } },
    { ...base, metadata: [] },
    { ...base, externalId: " a-1" },
    { ...base, externalId: "" },
    { ...base, externalId: "x".repeat(200) },
    { ...base, externalId: "x".repeat(201) },
    { ...base, personId: "p".repeat(65) },
    { ...base, personId: undefined, personEmail: "a@example.com" },
    { ...base, personId: undefined },
    { ...base, type: "" },
    { ...base, type: "t ".repeat(3) },
    { ...base, occurredAt: "2026-11-23T09:00:00Z" },
    { ...base, occurredAt: "2026-02-30T09:00:00.000Z" },
    { ...base, occurredAt: "2026-13-01T09:00:00.000Z" },
    { ...base, occurredAt: "2026-11-23T24:00:00.000Z" },
    { ...base, occurredAt: "2026-11-23T09:00:00.000+01:00" },
    { ...base, occurredAt: 12 },
    { ...base, unknown: 1 },
    { ...base, externalId: 7 },
    Object.assign(Object.create(null), base),
    null,
    "text",
    [],
  ];
  it.each(cases.map((c, i) => [i, c]))("case %i: same result as zod", (_i, raw) => {
    const fast = fastParseActivity(raw);
    const zod = ActivityInput.safeParse(raw);
    if (fast) {
      expect(zod.success).toBe(true);
      expect(fast).toEqual(zod.data);
    }
  });
  it("takes the fast path for the common shapes", () => {
    expect(fastParseActivity(base)).not.toBeNull();
    expect(fastParseActivity({ ...base, metadata: { url: "https://x.example" } })).not.toBeNull();
    expect(fastParseActivity({ ...base, metadata: null })).not.toBeNull();
  });
});

describe("canonical UTC times", () => {
  // The oracle: what Date.parse gives, for strings toISOString writes back unchanged.
  const oracle = (s: string) => {
    const ms = Date.parse(s);
    return Number.isNaN(ms) || new Date(ms).toISOString() !== s ? Number.NaN : ms;
  };
  it.each([
    "2026-11-23T09:00:00.000Z",
    "2026-11-23T23:59:59.999Z",
    "2024-02-29T12:00:00.000Z", // leap year
    "2000-02-29T00:00:00.000Z", // divisible by 400
    "1970-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "1000-03-01T00:00:00.000Z",
    "9999-12-31T23:59:59.999Z",
    "2026-01-31T10:15:30.123Z",
    "2026-04-30T10:15:30.123Z",
  ])("%s: the same milliseconds as Date.parse", (s) => {
    expect(canonicalUtcMs(s)).toBe(oracle(s));
    expect(Number.isNaN(canonicalUtcMs(s))).toBe(false);
  });
  it.each([
    "2023-02-29T12:00:00.000Z", // not a leap year
    "1900-02-29T00:00:00.000Z", // divisible by 100, not by 400
    "2026-04-31T10:15:30.123Z",
    "2026-00-10T10:15:30.123Z",
    "2026-11-23T24:00:00.000Z",
    "2026-11-23T09:60:00.000Z",
    "2026-11-23T09:00:60.000Z",
    "2026-11-23T09:00:00Z",
    "2026-11-23 09:00:00.000Z",
    "2026-11-23T09:00:00.000+01:00",
    "2026-1a-23T09:00:00.000Z",
    "0999-12-31T23:59:59.999Z",
    "",
  ])("%s: not canonical (NaN)", (s) => {
    expect(canonicalUtcMs(s)).toBeNaN();
  });
});
