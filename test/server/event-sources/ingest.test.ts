import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isHookUrl } from "../../../server/app";
import { eventHeldCleanupTask } from "../../../server/event-sources/cleanup";
import { dropExpiredHeld } from "../../../server/event-sources/ingest.service";
import { signBody } from "../../../server/event-sources/signature";
import { account } from "../../helpers/factories";
import { type EventsTest, identify, messageId, page, segmentSignature, startEventsTest, track } from "./helpers";

// The ingest endpoint over real HTTP, signed as the CDPs sign: identity resolution, mapping, held events, the same
// activity rollup as POST /api/activities.
describe("POST /hooks/events/:sourceId", () => {
  let e: EventsTest;
  let acme: { id: string };
  beforeAll(async () => {
    e = await startEventsTest();
    acme = await account(e.t, { name: "Acme Industries", domain: "acme-industries.example" });
  });
  afterAll(() => e.close());

  const activitiesOf = async (personId: string) =>
    e.t.deps.db.selectFrom("activities").selectAll().where("person_id", "=", personId).orderBy("occurred_at").execute();
  const rollupOf = async (personId: string, typeId: string) =>
    Number(
      (
        await e.t.deps.db
          .selectFrom("activity_daily")
          .select((eb) => eb.fn.sum<number>("count").as("n"))
          .where("person_id", "=", personId)
          .where("type_id", "=", typeId)
          .executeTakeFirst()
      )?.n ?? 0,
    );
  const personByEmail = (email: string) =>
    e.t.deps.db.selectFrom("people").selectAll().where("email", "=", email).executeTakeFirst();

  it("identify creates the person on the account of their email domain; track and page become activities in the rollup", async () => {
    const id = await e.signed(
      identify({ userId: "u-anna" }, { email: "Anna.Berg@acme-industries.example", name: "Anna Berg", title: "Head of IT" }),
    );
    expect(id.status).toBe(200);
    expect(id.body).toMatchObject({ received: 1, identified: 1, rejected: [] });
    const anna = await personByEmail("anna.berg@acme-industries.example");
    expect(anna).toMatchObject({
      first_name: "Anna",
      last_name: "Berg",
      job_title: "Head of IT",
      account_id: acme.id,
      source: "events",
    });

    const form = await e.signed(track("u-anna", "Form Submitted", { properties: { form: "Contact us" } }));
    expect(form.body).toMatchObject({ accepted: 1, duplicate: 0, held: 0 });
    const visit = await e.signed(page({ userId: "u-anna" }, "https://acme.example/pricing/zero-trust", "Zero trust pricing"));
    expect(visit.body).toMatchObject({ accepted: 1 });
    const acts = await activitiesOf(anna!.id);
    expect(acts.map((a) => a.type_id)).toEqual(["visit-webpage", "fill-out-form"]);
    expect(JSON.parse(acts[0]!.metadata!)).toMatchObject({
      url: "https://acme.example/pricing/zero-trust",
      title: "Zero trust pricing",
    });
    expect(await rollupOf(anna!.id, "fill-out-form")).toBe(1);
    expect(await rollupOf(anna!.id, "visit-webpage")).toBe(1);
  });

  it("is idempotent on messageId: a message sent again is a duplicate and counted once", async () => {
    await e.signed(identify({ userId: "u-bo" }, { email: "bo@acme-industries.example", firstName: "Bo", lastName: "Ek" }));
    const bo = (await personByEmail("bo@acme-industries.example"))!;
    const msg = track("u-bo", "Webinar Attended");
    expect((await e.signed(msg)).body).toMatchObject({ accepted: 1, duplicate: 0 });
    const again = await e.signed(msg, new Date(e.t.clock.now.getTime() + 1000));
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 1 });
    expect((await activitiesOf(bo.id)).length).toBe(1);
    expect(await rollupOf(bo.id, "attend-event")).toBe(1);
  });

  it("holds anonymous events and attributes them to the person once the anonymousId is identified", async () => {
    const anon = { anonymousId: "anon-7f3a" };
    const first = await e.signed(page(anon, "https://acme.example/blog/sso", "Single sign-on explained"));
    expect(first.body).toMatchObject({ accepted: 0, held: 1 });
    await e.signed(page(anon, "https://acme.example/docs/scim", "SCIM set-up"));
    expect(await e.count("event_held")).toBe(2);
    const who = await e.signed(
      identify({ userId: "u-cleo", anonymousId: "anon-7f3a" }, { email: "cleo@acme-industries.example", name: "Cleo Dahl" }),
    );
    expect(who.body).toMatchObject({ identified: 1 });
    const cleo = (await personByEmail("cleo@acme-industries.example"))!;
    const acts = await activitiesOf(cleo.id);
    expect(acts.map((a) => JSON.parse(a.metadata!).title)).toEqual(["Single sign-on explained", "SCIM set-up"]);
    expect(await rollupOf(cleo.id, "visit-webpage")).toBe(2);
    expect(await e.count("event_held")).toBe(0);
    // Later events of the anonymous id are the person's at once.
    expect((await e.signed(page(anon, "https://acme.example/pricing", "Pricing"))).body).toMatchObject({ accepted: 1 });
  });

  it("counts and lists unmapped track names, holds their events, and stores them when the admin maps the name", async () => {
    await e.signed(identify({ userId: "u-dan" }, { email: "dan@acme-industries.example", name: "Dan Lind" }));
    const dan = (await personByEmail("dan@acme-industries.example"))!;
    for (let i = 0; i < 3; i++)
      expect((await e.signed(track("u-dan", "Sandbox Provisioned"))).body).toMatchObject({ held: 1, accepted: 0 });
    const listed = await e.t.call("GET", "/api/event-sources/mappings");
    expect(listed.body.unmapped).toContainEqual(
      expect.objectContaining({ eventName: "Sandbox Provisioned", count: 3, waiting: 3 }),
    );
    expect(listed.body.items).toContainEqual({ eventName: "Form Submitted", typeId: "fill-out-form", origin: "default" });
    const saved = await e.t.call("PUT", "/api/event-sources/mappings", {
      items: [{ eventName: "Sandbox Provisioned", typeId: "mobile-app-activity" }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.released).toBe(3);
    expect(saved.body.unmapped.find((u: { eventName: string }) => u.eventName === "Sandbox Provisioned")).toBeUndefined();
    expect(await rollupOf(dan.id, "mobile-app-activity")).toBe(3);
    // A name mapped to "not imported" is counted as ignored, not stored, not unmapped.
    await e.t.call("PUT", "/api/event-sources/mappings", { items: [{ eventName: "Heartbeat", typeId: null }] });
    expect((await e.signed(track("u-dan", "heartbeat"))).body).toMatchObject({ ignored: 1, accepted: 0, held: 0 });
    const bad = await e.t.call("PUT", "/api/event-sources/mappings", { items: [{ eventName: "X", typeId: "no-such-type" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe("items.0.typeId");
  });

  it("group links the person to the account named by CRM id, domain or name", async () => {
    const globex = await account(e.t, {
      name: "Globex",
      domain: "globex.example",
      crmLinks: [{ crm: "salesforce", recordId: "001GLOBEX" }],
    });
    await e.signed(identify({ userId: "u-eva" }, { email: "eva@gmail.com", name: "Eva Holm" }));
    expect((await personByEmail("eva@gmail.com"))!.account_id).toBeNull();
    const g = await e.signed({
      type: "group",
      messageId: messageId(),
      userId: "u-eva",
      groupId: "001GLOBEX",
      traits: { crm: "salesforce" },
    });
    expect(g.body).toMatchObject({ identified: 1, rejected: [] });
    expect((await personByEmail("eva@gmail.com"))!.account_id).toBe(globex.id);
    const unknown = await e.signed({
      type: "group",
      messageId: messageId(),
      userId: "u-eva",
      groupId: "g-9",
      traits: { name: "Nobody Ltd" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain("names no account");
  });

  it("accepts Segment's HMAC-SHA1 X-Signature and a bearer token; refuses wrong, stale and replayed signatures", async () => {
    await e.signed(identify({ userId: "u-finn" }, { email: "finn@acme-industries.example", name: "Finn Ahl" }));
    const before = await e.count("activities");
    const body = JSON.stringify(track("u-finn", "Link Clicked"));
    expect((await e.post(body, { "x-signature": segmentSignature(e.source.secret, body) })).body).toMatchObject({ accepted: 1 });
    expect(
      (await e.post(JSON.stringify(track("u-finn", "Link Clicked")), { authorization: `Bearer ${e.source.secret}` })).body,
    ).toMatchObject({
      accepted: 1,
    });
    const other = JSON.stringify(track("u-finn", "Link Clicked"));
    const wrong = await e.post(other, { "x-signature": segmentSignature("not-the-secret", other) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.details.issues[0].field).toBe("X-Signature");
    expect((await e.post(other, { authorization: "Bearer qes_wrong" })).status).toBe(401);
    expect((await e.post(other)).status).toBe(401);
    const stale = await e.signed(JSON.parse(other), new Date(e.t.clock.now.getTime() - 6 * 60_000));
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(/old/);
    const future = await e.signed(JSON.parse(other), new Date(e.t.clock.now.getTime() + 6 * 60_000));
    expect(future.status).toBe(401);
    // The same signed request twice: the second is a replay.
    const sig = signBody(e.source.secret, other, Math.floor(e.t.clock.now.getTime() / 1000));
    expect((await e.post(other, { "x-signature": sig })).status).toBe(200);
    const replay = await e.post(other, { "x-signature": sig });
    expect(replay.status).toBe(409);
    expect(await e.count("activities")).toBe(before + 3);
  });

  it("answers bad input with a clear 4xx and stores nothing; a bad message in a batch is reported by index", async () => {
    await e.signed(identify({ userId: "u-gus" }, { email: "gus@acme-industries.example", name: "Gus Berg" }));
    const before = { acts: await e.count("activities"), held: await e.count("event_held"), people: await e.count("people") };
    const bad = async (text: string) =>
      e.post(text, { "x-signature": signBody(e.source.secret, text, Math.floor(e.t.clock.now.getTime() / 1000)) });
    const notJson = await bad("{not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.details.issues[0].field).toBe("(body)");
    const unknownType = await bad(JSON.stringify({ type: "alias", messageId: "m-1", userId: "u-gus", previousId: "x" }));
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.details.issues[0].field).toBe("type");
    const noEvent = await bad(JSON.stringify({ type: "track", messageId: "m-2", userId: "u-gus" }));
    expect(noEvent.body.error.details.issues[0].field).toBe("event");
    const noId = await bad(JSON.stringify({ type: "track", event: "Form Submitted", userId: "u-gus" }));
    expect(noId.body.error.details.issues[0].field).toBe("messageId");
    const badTime = await bad(JSON.stringify({ ...track("u-gus", "Form Submitted"), timestamp: "yesterday" }));
    expect(badTime.body.error.details.issues[0].field).toBe("timestamp");
    const big = JSON.stringify({ ...track("u-gus", "Form Submitted"), properties: { blob: "x".repeat(1024 * 1024) } });
    const tooBig = await bad(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toContain("1 MB");
    const unknownSource = await e.post(
      JSON.stringify(track("u-gus", "Form Submitted")),
      { authorization: `Bearer ${e.source.secret}` },
      "evs_nope",
    );
    expect(unknownSource.status).toBe(404);
    expect(await e.count("activities")).toBe(before.acts);
    expect(await e.count("event_held")).toBe(before.held);
    expect(await e.count("people")).toBe(before.people);

    const batch = await e.signed({
      type: "batch",
      batch: [
        track("u-gus", "Form Submitted"),
        { type: "track", messageId: "m-3", userId: "u-gus" },
        track("u-gus", "Webinar Attended"),
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ received: 3, accepted: 2 });
    expect(batch.body.rejected).toEqual([{ index: 1, messageId: "m-3", reason: expect.stringContaining("batch.1.event") }]);
    expect(await e.count("activities")).toBe(before.acts + 2);
    // Segment's Webhooks (Actions) batching: a bare array, signed with HMAC-SHA1.
    const actions = JSON.stringify([track("u-gus", "Form Submitted"), track("u-gus", "Link Clicked")]);
    expect((await e.post(actions, { "x-signature": segmentSignature(e.source.secret, actions) })).body).toMatchObject({
      received: 2,
      accepted: 2,
    });
  });

  it("refuses events for a paused source and for a rotated secret; resumes and takes the new secret", async () => {
    const created = await e.t.call("POST", "/api/event-sources", { name: "RudderStack" });
    const id = created.body.id as string;
    const msg = () => JSON.stringify(track("u-gus", "Form Submitted"));
    expect((await e.post(msg(), { authorization: `Bearer ${created.body.secret}` }, id)).status).toBe(200);
    expect((await e.t.call("PATCH", `/api/event-sources/${id}`, { status: "paused" })).body.status).toBe("paused");
    const paused = await e.post(msg(), { authorization: `Bearer ${created.body.secret}` }, id);
    expect(paused.status).toBe(403);
    await e.t.call("PATCH", `/api/event-sources/${id}`, { status: "active" });
    const rotated = await e.t.call("POST", `/api/event-sources/${id}/rotate`);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect((await e.post(msg(), { authorization: `Bearer ${created.body.secret}` }, id)).status).toBe(401);
    expect((await e.post(msg(), { authorization: `Bearer ${rotated.body.secret}` }, id)).status).toBe(200);
    const list = await e.t.call("GET", "/api/event-sources");
    expect(JSON.stringify(list.body)).not.toContain(rotated.body.secret);
    expect(list.body.items.find((s: { id: string }) => s.id === id).eventsReceived).toBe(2);
    expect((await e.t.call("DELETE", `/api/event-sources/${id}`)).status).toBe(204);
    expect((await e.post(msg(), { authorization: `Bearer ${rotated.body.secret}` }, id)).status).toBe(404);
    expect((await e.t.call("GET", "/api/event-sources", undefined, e.t.tokens.marketer)).status).toBe(403);
  });

  it("commits concurrent single-message requests together, each stored once", async () => {
    await e.signed(identify({ userId: "u-hal" }, { email: "hal@acme-industries.example", name: "Hal Ny" }));
    const hal = (await personByEmail("hal@acme-industries.example"))!;
    const results = await Promise.all(
      Array.from({ length: 60 }, () => e.signed(page({ userId: "u-hal" }, "https://acme.example/x", "X"))),
    );
    expect(results.every((r) => r.status === 200 && r.body.accepted === 1)).toBe(true);
    expect(await rollupOf(hal.id, "visit-webpage")).toBe(60);
  });

  it("reads the body as sent, with Content-Length or chunked: the signature covers its UTF-8, limits and short bodies hold", async () => {
    await e.signed(identify({ userId: "u-jon" }, { email: "jon@acme-industries.example", name: "Jon Ek" }));
    const jon = (await personByEmail("jon@acme-industries.example"))!;
    const title = "Café ☕ 東京 — 𝒵ero trust";
    const at = Math.floor(e.t.clock.now.getTime() / 1000);
    // Over a connection of its own, chunked (no Content-Length), in the parts given.
    const send = (parts: Array<string | Buffer>, headers: Record<string, string>) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = request(
          `${e.base}/hooks/events/${e.source.id}`,
          {
            method: "POST",
            agent: false,
            headers: {
              "content-type": "application/json",
              "transfer-encoding": "chunked",
              ...headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const out = Buffer.concat(chunks).toString("utf8");
              resolve({ status: res.statusCode ?? 0, body: out ? JSON.parse(out) : null });
            });
          },
        );
        req.on("error", (err: NodeJS.ErrnoException) =>
          err.code === "ECONNRESET" || err.code === "EPIPE" ? resolve({ status: 0, body: null }) : reject(err),
        );
        for (const p of parts) req.write(p);
        req.end();
      });
    const before = await e.count("activities");
    // Split in the middle of a multi-byte character: the bytes are put together before they are decoded.
    const text = JSON.stringify(page({ userId: "u-jon" }, "https://acme.example/tokyo", title));
    const bytes = Buffer.from(text, "utf8");
    const cut = bytes.indexOf(Buffer.from("☕")) + 1;
    const chunked = await send([bytes.subarray(0, cut), bytes.subarray(cut)], {
      "x-signature": signBody(e.source.secret, text, at),
    });
    expect(chunked.status).toBe(200);
    expect(chunked.body).toMatchObject({ received: 1, accepted: 1 });
    const withLength = JSON.stringify(page({ userId: "u-jon" }, "https://acme.example/tokyo-2", title));
    const sent = await e.post(withLength, { "x-signature": signBody(e.source.secret, withLength, at) });
    expect(sent.body).toMatchObject({ accepted: 1 });
    const acts = (await activitiesOf(jon.id)).map((a) => JSON.parse(a.metadata!).title);
    expect(acts).toEqual([title, title]);
    // The signature is of the body as sent: one byte changed on the way is refused.
    const tampered = withLength.replace("tokyo-2", "tokyo-3");
    expect((await e.post(tampered, { "x-signature": signBody(e.source.secret, withLength, at) })).status).toBe(401);

    // Chunked bodies are counted as they stream: over 1 MB is a 413 (or the connection closed while sending).
    const huge = JSON.stringify({ ...page({ userId: "u-jon" }, "https://acme.example/big", "Big"), pad: "x".repeat(1 << 20) });
    const tooBig = await send([huge.slice(0, 1 << 19), huge.slice(1 << 19)], {
      "x-signature": signBody(e.source.secret, huge, at),
    });
    expect([413, 0]).toContain(tooBig.status);
    if (tooBig.status) expect(tooBig.body.error).toMatchObject({ code: "payload_too_large", details: { limitBytes: 1 << 20 } });
    // A body that ends before its Content-Length is never taken for a shorter one.
    const short = JSON.stringify(page({ userId: "u-jon" }, "https://acme.example/short", "Short"));
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(new URL(e.base).port), "127.0.0.1", () => {
        socket.end(
          `POST /hooks/events/${e.source.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
            `X-Signature: ${signBody(e.source.secret, short, at)}\r\nContent-Length: ${short.length + 10}\r\n\r\n${short}`,
        );
      });
      socket.on("error", reject);
      socket.on("close", () => resolve());
      socket.resume();
    });
    // The server goes on answering; only the three whole bodies were stored (the next commit would show a fourth).
    expect((await e.signed(page({ userId: "u-jon" }, "https://acme.example/after", "After"))).body).toMatchObject({
      accepted: 1,
    });
    expect(await e.count("activities")).toBe(before + 3);
  });

  it("goes through the same guards and error handlers as every route, on its own router", async () => {
    expect(["http://h/hooks/events/x", "https://h:8/hooks/", "/hooks/events/x?a=1"].map(isHookUrl)).toEqual([true, true, true]);
    expect(["http://h/api/hooks/x", "http://h/hooks", "http://h/hooksx/", "http://h/x?u=/hooks/"].map(isHookUrl)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    const text = JSON.stringify(track("u-gus", "Form Submitted"));
    const sig = { "x-signature": signBody(e.source.secret, text, Math.floor(e.t.clock.now.getTime() / 1000)) };
    // The input guard: text no database can store in the path is a 400 naming the parameter.
    const nul = await e.post(text, sig, "evs_a%00b");
    expect(nul.status).toBe(400);
    expect(nul.body.error.details.issues[0].field).toBe("sourceId");
    // The app's 404 for anything else under /hooks/, in process as over HTTP.
    const res = await e.t.app.request("/hooks/nothing", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe("No route POST /hooks/nothing. See /api/docs for the API.");
  });

  it("drops held anonymous events older than the engagement window", async () => {
    await e.signed(
      page({ anonymousId: "anon-old" }, "https://acme.example/old", "Old", { timestamp: "2026-10-01T10:00:00.000Z" }),
    );
    await e.signed(page({ anonymousId: "anon-new" }, "https://acme.example/new", "New"));
    const held = await e.count("event_held");
    expect(await dropExpiredHeld(e.t.deps)).toBe(1);
    expect(await e.count("event_held")).toBe(held - 1);
  });

  it("the hourly clean-up also stores held events whose name was mapped by another process", async () => {
    await e.signed(identify({ userId: "u-ida" }, { email: "ida@acme-industries.example", name: "Ida Sand" }));
    const ida = (await personByEmail("ida@acme-industries.example"))!;
    expect((await e.signed(track("u-ida", "Quote Accepted"))).body).toMatchObject({ held: 1 });
    // Another server process saved the mapping: this one only sees the row.
    await e.t.deps.db
      .insertInto("event_mappings")
      .values({
        event_key: "quote-accepted",
        event_name: "Quote Accepted",
        type_id: "interesting-moment",
        updated_at: e.t.clock.now.toISOString(),
      })
      .execute();
    await eventHeldCleanupTask.run(e.t.deps);
    expect(await rollupOf(ida.id, "interesting-moment")).toBe(1);
  });
});
