import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARSE_WORKER_MIN_CHARS, parsePool } from "../../../server/event-sources/parse-pool";
import { type Prepared, prepareRequest } from "../../../server/event-sources/prepare";
import { signBody } from "../../../server/event-sources/signature";
import { account } from "../../helpers/factories";
import { type EventsTest, identify, messageId, page, startEventsTest, track } from "./helpers";

const SECRET = "whsec_parse_worker_test_secret";
const NOW = Date.parse("2026-11-23T12:00:00.000Z");
const input = (body: unknown, secret = SECRET) => {
  const raw = JSON.stringify(body);
  return { raw, signature: signBody(secret, raw, Math.floor(NOW / 1000)), authorization: undefined, secret: SECRET, nowMs: NOW };
};
/** What ingest reads of a prepared request (properties/context travel inside metadataJson). */
const essentials = (p: Prepared) =>
  p.kind !== "ok"
    ? p
    : {
        ...p,
        messages: p.messages.map((m) => ({
          index: m.index,
          type: m.type,
          messageId: m.messageId,
          userId: m.userId,
          anonymousId: m.anonymousId,
          occurredAt: m.occurredAt,
          event: m.event,
          email: m.email,
          groupId: m.groupId,
          metadataJson: m.metadataJson,
          traits: m.type === "identify" || m.type === "group" ? m.traits : undefined,
        })),
      };

describe("event parse worker", () => {
  const pool = parsePool({ minChars: 0 });
  afterAll(() => pool.close());

  it("prepares a request exactly as the request thread does: messages, metadata, rejections, errors", async () => {
    const batch = {
      type: "batch",
      batch: [
        track("u-1", "Form Submitted", { properties: { url: "https://acme.example/x", keywords: "a, b" } }),
        page({ userId: "u-2" }, "https://acme.example/pricing", "Pricing"),
        { type: "track", messageId: messageId(), userId: "u-3" }, // no event: rejected by index
        identify({ userId: "u-4" }, { email: "dana@acme.example", name: "Dana Lee" }),
        { ...track("u-5", "Link Clicked"), timestamp: "2026-11-23T13:30:00+05:30" }, // careful path
      ],
    };
    const cases = [
      input(batch),
      input(batch, "another secret"), // 401
      input({ type: "batch", batch: [{ type: "track" }] }), // every message bad: 400
      { ...input(batch), raw: "{not json" }, // 401 (the signature no longer matches)
    ];
    for (const c of cases) expect(essentials(await pool.prepare(c))).toEqual(essentials(prepareRequest(c)));
    const ok = await pool.prepare(cases[0]!);
    expect(ok).toMatchObject({ kind: "ok", received: 5, rejected: [{ index: 2 }] });
    if (ok.kind !== "ok") throw new Error("not ok");
    expect(ok.messages.map((m) => m.index)).toEqual([0, 1, 3, 4]);
    expect(JSON.parse(ok.messages[0]!.metadataJson!)).toEqual({
      url: "https://acme.example/x",
      event: "Form Submitted",
      source: "events",
      keywords: ["a", "b"],
    });
    expect(ok.messages[3]!.occurredAt).toBe("2026-11-23T08:00:00.000Z");
    expect(pool.offloaded).toBe(5);
  });

  it("cuts metadata texts to their limits without splitting a surrogate pair (which no database could store)", async () => {
    const url = `https://acme.example/${"a".repeat(1978)}😀tail`; // the emoji's halves at 2000 and 2001
    const r = await pool.prepare(input({ type: "batch", batch: [page({ userId: "u-1" }, url, "Emoji")] }));
    if (r.kind !== "ok") throw new Error(r.kind);
    const meta = JSON.parse(r.messages[0]!.metadataJson!);
    expect(meta.url).toBe(url.slice(0, 1999));
    expect(meta.path).toHaveLength(1000);
  });

  it("small bodies stay on the request thread", async () => {
    const small = parsePool();
    const r = await small.prepare(input(track("u-1", "Form Submitted")));
    expect(r.kind).toBe("ok");
    expect(small.offloaded).toBe(0);
    await small.close();
  });
});

// Over HTTP, a batch large enough for the worker: the same answers and the same stored rows as any other request.
describe("POST /hooks/events/:sourceId with a large batch", () => {
  let e: EventsTest;
  beforeAll(async () => {
    e = await startEventsTest();
    await account(e.t, { name: "Big Batch Inc", domain: "bigbatch.example" });
  });
  afterAll(() => e.close());

  it("stores every good message once, counts it in the rollup and reports the bad one by index", async () => {
    const people = 20;
    const idf = await e.signed({
      type: "batch",
      batch: Array.from({ length: people }, (_, p) => identify({ userId: `big-${p}` }, { email: `p${p}@bigbatch.example` })),
    });
    expect(idf.body).toMatchObject({ identified: people });
    const before = await e.count("activities");
    const batch = Array.from({ length: 600 }, (_, i) =>
      i === 123
        ? { type: "track", messageId: messageId(), userId: `big-${i % people}`, event: "Form Submitted", timestamp: "yesterday" }
        : i % 2
          ? track(`big-${i % people}`, "Form Submitted", { properties: { title: `Form ${i}`, padding: "x".repeat(60) } })
          : page({ userId: `big-${i % people}` }, `https://bigbatch.example/p/${i}`, `Page ${i}`),
    );
    const body = { type: "batch", batch };
    expect(JSON.stringify(body).length).toBeGreaterThan(PARSE_WORKER_MIN_CHARS);
    const r = await e.signed(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 600, accepted: 599, duplicate: 0, held: 0 });
    expect(r.body.rejected).toEqual([
      {
        index: 123,
        messageId: batch[123]!.messageId,
        reason: "batch.123.timestamp must be an ISO-8601 date-time such as 2026-11-23T09:30:00.000Z",
      },
    ]);
    expect((await e.count("activities")) - before).toBe(599);
    const stored = await e.t.deps.db
      .selectFrom("activities")
      .select(["type_id", "metadata"])
      .where("external_id", "=", `evt:${e.source.id}:${batch[2]!.messageId}`)
      .executeTakeFirstOrThrow();
    expect(stored.type_id).toBe("visit-webpage");
    expect(JSON.parse(stored.metadata!)).toMatchObject({
      url: "https://bigbatch.example/p/2",
      title: "Page 2",
      source: "events",
    });
    expect(await e.count("activity_daily")).toBeGreaterThan(0);
    const rollup = await e.t.deps.db
      .selectFrom("activity_daily")
      .select((eb) => eb.fn.sum<number>("count").as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(rollup.n)).toBe(await e.count("activities"));
    // A messageId too long for an activity's external id is still refused by ingest, by index, the rest stored.
    const long = [track("big-1", "Form Submitted", { messageId: "m".repeat(190) }), track("big-2", "Link Clicked")];
    const mixed = await e.signed({ type: "batch", batch: long });
    expect(mixed.body).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, reason: "externalId must be at most 200 characters" }],
    });
    // The same batch again: every message a duplicate, nothing stored twice.
    const again = await e.signed(body, new Date(e.t.clock.now.getTime() + 1000));
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 599 });
    expect((await e.count("activities")) - before).toBe(600);
  });
});
