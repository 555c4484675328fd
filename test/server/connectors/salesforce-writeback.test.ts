import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writebackOnce } from "../../../server/connectors/writeback";
import { seedSmallOrg } from "../../fakes/salesforce/seed";
import type { SfRecord } from "../../fakes/salesforce/server";
import { liveTemplate } from "../../helpers/factories";
import { fastPolicy, type SalesforceSetup, salesforceSetup } from "./helpers";

/**
 * Buying roles written back to Salesforce through jsforce against the fake org, both targets: a
 * Contact field the admin picks, and the OpportunityContactRole of the account's open opportunity.
 * Assigned, changed and removed in Quorum; a 5xx (before, and after Salesforce applied the write);
 * exactly one effect per change.
 */
const ROLE_MAPPING = { "decision-maker": "Decision Maker", influencer: "Influencer", practitioner: "Evaluator" };
const unavailable = [{ errorCode: "SERVER_UNAVAILABLE", message: "Server temporarily unavailable" }];

describe("Salesforce role write-back (jsforce against the fake org)", () => {
  let s: SalesforceSetup;
  beforeEach(async () => {
    s = await salesforceSetup();
  });
  afterEach(async () => s.close());

  async function setup(writeback: Record<string, unknown>) {
    const org = seedSmallOrg(s.sf);
    const { id } = await s.connect({ settings: { writeback: { enabled: true, roleMapping: ROLE_MAPPING, ...writeback } } });
    expect((await s.sync(id)).status).toBe("done");
    const account = (await s.t.call("GET", `/api/accounts/lookup?crm=salesforce&recordId=${org.acme.Id}`)).body.accounts[0];
    const template = await liveTemplate(s.t);
    const si = await s.t.call("POST", "/api/solution-interests", { name: "Platform", roleTemplateId: template.id });
    const group = (await s.t.call("POST", "/api/groups", { accountId: account.id, solutionInterestId: si.body.id })).body;
    const people = (await s.t.call("GET", `/api/accounts/${account.id}/people`)).body.items as Array<{
      id: string;
      firstName: string;
    }>;
    const personOf = (n: string) => people.find((p) => p.firstName === n)!.id;
    const members = (method: "POST" | "PATCH", body: Record<string, unknown>) =>
      s.t.call(method, `/api/groups/${group.id}/members`, body).then((r) => {
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      });
    const outbox = () =>
      s.t.deps.db
        .selectFrom("crm_writeback_outbox as o")
        .innerJoin("events as e", "e.id", "o.event_id")
        .selectAll("o")
        .orderBy("e.seq")
        .execute();
    const later = () => {
      s.t.clock.now = new Date(s.t.clock.now.getTime() + 3_600_000);
    };
    return { id, org, group, bo: personOf("Bo"), anna: personOf("Anna"), members, outbox, later };
  }

  it("writes to the Contact field the admin picked: assigned, retried after a 5xx, changed, removed, never echoed", async () => {
    const w = await setup({ target: "contact_field", field: "Buying_Role__c" });
    const contact = () => s.sf.table("Contact").get(w.org.bo.Id)!;
    const patchLine = `PATCH /services/data/v59.0/sobjects/Contact/${w.org.bo.Id}`;
    const patches = () => s.sf.log.filter((l) => l === patchLine).length;

    await w.members("POST", { members: [{ personId: w.bo, roleKey: "decision-maker" }] });
    s.sf.fail({ match: patchLine, status: 503, body: unavailable });
    await writebackOnce(s.t.deps, "wb-1", { ...fastPolicy(), attempts: 1 });
    expect(await w.outbox()).toEqual([
      expect.objectContaining({
        status: "queued",
        attempts: 1,
        value: "Decision Maker",
        last_error: expect.stringContaining("SERVER_UNAVAILABLE"),
      }),
    ]);
    expect(contact().Buying_Role__c ?? null).toBeNull();

    // Not before the backoff is over; then once.
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(patches()).toBe(1);
    w.later();
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(contact().Buying_Role__c).toBe("Decision Maker");
    expect(patches()).toBe(2); // the failed attempt and the one that took effect
    expect((await w.outbox()).map((r) => r.status)).toEqual(["sent"]);

    // Changed in Quorum: one more write with the new value.
    await w.members("PATCH", { changes: [{ personId: w.bo, roleKey: "influencer" }] });
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(contact().Buying_Role__c).toBe("Influencer");
    expect(patches()).toBe(3);

    // The next sync reads Quorum's own value back: no membership change, nothing to write.
    const events = (await s.t.deps.db.selectFrom("events").select("id").execute()).length;
    expect((await s.sync(w.id)).status).toBe("done");
    expect(await s.t.deps.db.selectFrom("events").select("id").execute()).toHaveLength(events);
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(patches()).toBe(3);

    // Removed in Quorum: the field is cleared.
    const removed = await s.t.call("POST", `/api/groups/${w.group.id}/members/remove`, { personIds: [w.bo] });
    expect(removed.status).toBe(200);
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(contact().Buying_Role__c).toBeNull();
    expect(patches()).toBe(4);
    expect((await w.outbox()).map((r) => [r.status, r.value])).toEqual([
      ["sent", "Decision Maker"],
      ["sent", "Influencer"],
      ["sent", null],
    ]);
  });

  it("a failed write whose role changed again meanwhile is superseded: the stale value never reaches Salesforce", async () => {
    const w = await setup({ target: "contact_field", field: "Buying_Role__c" });
    const patchLine = `PATCH /services/data/v59.0/sobjects/Contact/${w.org.bo.Id}`;
    const bodies: unknown[] = [];
    await w.members("POST", { members: [{ personId: w.bo, roleKey: "decision-maker" }] });
    s.sf.fail({ match: patchLine, status: 503, body: unavailable });
    await writebackOnce(s.t.deps, "wb-1", { ...fastPolicy(), attempts: 1 });
    await w.members("PATCH", { changes: [{ personId: w.bo, roleKey: "influencer" }] });
    w.later();
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    bodies.push(s.sf.table("Contact").get(w.org.bo.Id)!.Buying_Role__c);
    expect(bodies).toEqual(["Influencer"]);
    expect(s.sf.log.filter((l) => l === patchLine)).toHaveLength(2); // the failed one, then the newest value once
    expect((await w.outbox()).map((r) => [r.status, r.value])).toEqual([
      ["superseded", "Decision Maker"],
      ["sent", "Influencer"],
    ]);
  });

  it("a role assigned and removed again while its write waits for a retry: Salesforce keeps its old value", async () => {
    const w = await setup({ target: "contact_field", field: "Buying_Role__c" });
    const patchLine = `PATCH /services/data/v59.0/sobjects/Contact/${w.org.bo.Id}`;
    await w.members("POST", { members: [{ personId: w.bo, roleKey: "decision-maker" }] });
    s.sf.fail({ match: patchLine, status: 503, body: unavailable });
    await writebackOnce(s.t.deps, "wb-1", { ...fastPolicy(), attempts: 1 });
    const removed = await s.t.call("POST", `/api/groups/${w.group.id}/members/remove`, { personIds: [w.bo] });
    expect(removed.status).toBe(200);
    w.later();
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(s.sf.table("Contact").get(w.org.bo.Id)!.Buying_Role__c ?? null).toBeNull();
    expect((await w.outbox()).map((r) => [r.status, r.value])).toEqual([
      ["superseded", "Decision Maker"],
      ["sent", null],
    ]);
  });

  it("a role a person sets on the Contact field in Salesforce comes back as a manual membership change", async () => {
    const w = await setup({ target: "contact_field", field: "Buying_Role__c" });
    s.sf.upsert("Contact", { Id: w.org.bo.Id, Buying_Role__c: "Evaluator" }, new Date("2026-11-22T09:00:00.000Z"));
    expect((await s.sync(w.id)).status).toBe("done");
    const member = (await s.t.call("GET", `/api/groups/${w.group.id}/members/${w.bo}`)).body;
    expect(member).toMatchObject({ roleKey: "practitioner", source: "manual" });
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(s.sf.log.filter((l) => l.startsWith("PATCH /services/data/v59.0/sobjects/Contact/"))).toEqual([]);
  });

  it("with the OpportunityContactRole target, a role a person sets on the open opportunity comes back as a manual change", async () => {
    const w = await setup({ target: "opportunity_contact_role" });
    // The sync before the group existed already read Anna's "Decision Maker": nothing was there to change.
    // A person now gives Bo a role on the open opportunity, and one on a closed opportunity to Anna (ignored).
    const closed = s.sf.upsert("Opportunity", {
      Name: "Acme pilot",
      AccountId: w.org.acme.Id,
      StageName: "Closed Won",
      IsClosed: true,
      IsWon: true,
      CloseDate: "2026-01-31",
    });
    const later = new Date("2026-11-22T09:00:00.000Z");
    const boRole = s.sf.upsert(
      "OpportunityContactRole",
      { OpportunityId: w.org.opp.Id, ContactId: w.org.bo.Id, Role: "Evaluator" },
      later,
    );
    s.sf.upsert("OpportunityContactRole", { OpportunityId: closed.Id, ContactId: w.org.anna.Id, Role: "Influencer" }, later);
    expect((await s.sync(w.id)).status).toBe("done");
    const bo = (await s.t.call("GET", `/api/groups/${w.group.id}/members/${w.bo}`)).body;
    expect(bo).toMatchObject({ roleKey: "practitioner", source: "manual" });
    const anna = await s.t.call("GET", `/api/groups/${w.group.id}/members/${w.anna}`);
    expect(anna.body.roleKey ?? null).not.toBe("influencer");
    // Salesforce already holds Bo's value: nothing to write back.
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(s.sf.log.filter((l) => l.includes("sobjects/OpportunityContactRole"))).toEqual([]);

    // The person deletes Bo's contact role: Bo leaves the group, again as a manual change.
    s.sf.remove("OpportunityContactRole", boRole.Id, new Date("2026-11-22T10:00:00.000Z"));
    expect((await s.sync(w.id)).status).toBe("done");
    const members = (await s.t.call("GET", `/api/groups/${w.group.id}/members`)).body.items as Array<{ personId: string }>;
    expect(members.find((m) => m.personId === w.bo)).toBeUndefined();
  });

  it("writes the OpportunityContactRole of the account's open opportunity: one role per contact, even when a create's answer is lost", async () => {
    const w = await setup({ target: "opportunity_contact_role" });
    const rolesOf = (contactId: string) =>
      [...s.sf.table("OpportunityContactRole").all()].filter(
        (r: SfRecord) => r.ContactId === contactId && r.OpportunityId === w.org.opp.Id && r.IsDeleted !== true,
      );
    // A closed opportunity closing earlier is not the one.
    s.sf.upsert("Opportunity", {
      Name: "Acme pilot",
      AccountId: w.org.acme.Id,
      Amount: 5000,
      StageName: "Closed Won",
      IsClosed: true,
      IsWon: true,
      CloseDate: "2026-01-31",
    });

    // Bo has no contact role yet: created. Salesforce creates it but the answer is a 503.
    await w.members("POST", { members: [{ personId: w.bo, roleKey: "influencer" }] });
    s.sf.fail({
      match: "POST /services/data/v59.0/sobjects/OpportunityContactRole",
      status: 503,
      body: unavailable,
      afterEffect: true,
    });
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    w.later();
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(rolesOf(w.org.bo.Id).map((r) => r.Role)).toEqual(["Influencer"]);
    expect((await w.outbox()).map((r) => r.status)).toEqual(["sent"]);

    // Changed: the same contact role gets the new value.
    await w.members("PATCH", { changes: [{ personId: w.bo, roleKey: "decision-maker" }] });
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(rolesOf(w.org.bo.Id).map((r) => r.Role)).toEqual(["Decision Maker"]);

    // An update whose first try fails with a 5xx: retried, one effect.
    await w.members("PATCH", { changes: [{ personId: w.bo, roleKey: "practitioner" }] });
    s.sf.fail({ match: "PATCH /services/data/v59.0/sobjects/OpportunityContactRole/", status: 503, body: unavailable });
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(rolesOf(w.org.bo.Id).map((r) => r.Role)).toEqual(["Evaluator"]);

    // Removed: the contact stays on the opportunity without a role.
    await s.t.call("POST", `/api/groups/${w.group.id}/members/remove`, { personIds: [w.bo] });
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(rolesOf(w.org.bo.Id).map((r) => r.Role ?? null)).toEqual([null]);
    expect((await w.outbox()).map((r) => [r.status, r.value])).toEqual([
      ["sent", "Influencer"],
      ["sent", "Decision Maker"],
      ["sent", "Evaluator"],
      ["sent", null],
    ]);
    // Anna's role from the CRM was left alone.
    expect(rolesOf(w.org.anna.Id).map((r) => r.Role)).toEqual(["Decision Maker"]);
  });

  it("an account without an open opportunity fails the write visibly, with the reason", async () => {
    const w = await setup({ target: "opportunity_contact_role" });
    s.sf.upsert("Opportunity", { Id: w.org.opp.Id, IsClosed: true, IsWon: false, StageName: "Closed Lost" });
    await w.members("POST", { members: [{ personId: w.bo, roleKey: "influencer" }] });
    await writebackOnce(s.t.deps, "wb-1", fastPolicy());
    expect(await w.outbox()).toEqual([
      expect.objectContaining({ status: "failed", last_error: expect.stringContaining("no open opportunity") }),
    ]);
    // Visible on the connection (the Connections screen shows it).
    const conn = (await s.t.call("GET", `/api/connections/${w.id}`)).body;
    expect(conn.writebackOutbox).toEqual({
      queued: 0,
      failed: 1,
      sent: 0,
      failures: [
        {
          recordId: w.org.bo.Id,
          value: "Influencer",
          attempts: 1,
          status: "failed",
          error: expect.stringContaining("has no open opportunity to hold the contact role"),
          at: expect.any(String),
        },
      ],
    });
  });
});
