import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account } from "../../helpers/factories";
import { type EventsTest, startEventsTest } from "./helpers";

// Payloads as RudderStack's and Jitsu's webhook destinations send them (their documented event shapes: extra
// top-level fields, context.traits, offsets in times), authenticated with the bearer header those destinations
// can add; and the Host check letting the public server name through.
describe("CDP payload shapes and the public Host", () => {
  let e: EventsTest;
  beforeAll(async () => {
    e = await startEventsTest({ QUORUM_PUBLIC_URL: "https://quorum.example.com" });
    await account(e.t, { name: "Initech", domain: "initech.example" });
  });
  afterAll(() => e.close());
  const bearer = () => ({ authorization: `Bearer ${e.source.secret}` });

  it("takes RudderStack's event shape (originalTimestamp with an offset, context.traits.email)", async () => {
    const identify = {
      anonymousId: "8d872292709c6fbe",
      channel: "web",
      context: {
        app: { name: "RudderLabs JavaScript SDK", version: "3.7.0" },
        traits: { email: "peter@initech.example", name: "Peter Gibbons" },
      },
      messageId: "c3b4f2a0-rudder-1",
      originalTimestamp: "2026-11-23T17:28:00.000+05:30",
      receivedAt: "2026-11-23T11:58:01.120Z",
      request_ip: "203.0.113.9",
      rudderId: "8f8fa6b5-8e24-489c-8e22-61f23f2e364f",
      sentAt: "2026-11-23T11:58:00.900Z",
      type: "identify",
      userId: "peter",
    };
    const r = await e.post(identify, bearer());
    expect(r.body).toMatchObject({ identified: 1, rejected: [] });
    const page = {
      ...identify,
      messageId: "c3b4f2a0-rudder-2",
      type: "page",
      name: "Pricing",
      properties: { url: "https://initech.example/pricing", title: "Pricing", path: "/pricing" },
    };
    expect((await e.post(page, bearer())).body).toMatchObject({ accepted: 1 });
    const stored = await e.t.deps.db
      .selectFrom("activities")
      .selectAll()
      .where("external_id", "=", `evt:${e.source.id}:c3b4f2a0-rudder-2`)
      .executeTakeFirstOrThrow();
    expect(stored.occurred_at).toBe("2026-11-23T11:58:00.000Z");
  });

  it("takes Jitsu's Segment-compatible events", async () => {
    const jitsu = {
      type: "track",
      event: "webinar_attended",
      messageId: "jitsu-2b0e6a1f",
      userId: "peter",
      anonymousId: "f1b0c2e9",
      timestamp: "2026-11-23T11:59:30.123Z",
      sentAt: "2026-11-23T11:59:30.200Z",
      properties: { webinar: "Zero trust in practice" },
      context: {
        library: { name: "@jitsu/js", version: "1.9.0" },
        page: { url: "https://initech.example/webinars/zt", title: "Zero trust" },
      },
      writeKey: "js.xyz",
    };
    expect((await e.post(jitsu, bearer())).body).toMatchObject({ accepted: 1 });
  });

  it("answers a webhook addressed to QUORUM_PUBLIC_URL's host and refuses another Host", async () => {
    const msg = { type: "track", event: "Form Submitted", messageId: "host-1", userId: "peter" };
    expect((await e.post(msg, { ...bearer(), host: "quorum.example.com" })).status).toBe(200);
    const other = await e.post({ ...msg, messageId: "host-2" }, { ...bearer(), host: "evil.example" });
    expect(other.status).toBe(400);
    expect(other.body.error.details.issues[0].field).toBe("Host");
  });
});
