import { describe, expect, it } from "vitest";
import {
  mapCompany,
  mapEmailEvent,
  mapEngagement,
  mapFormSubmission,
  mapContact as mapHsContact,
} from "../../../server/connectors/hubspot/mapping";
import { mapAccount, mapCampaignMember, mapContact, mapTask } from "../../../server/connectors/salesforce/mapping";

// Shapes as the APIs answer them (Salesforce REST API query records; HubSpot CRM v3 objects).
const sfAccount = (f: Record<string, unknown>) => ({
  attributes: { type: "Account", url: "/services/data/v59.0/sobjects/Account/0015g00000AbCdE" },
  Id: "0015g00000AbCdE",
  SystemModstamp: "2026-11-20T09:00:00.000+0000",
  ...f,
});
const hs = (properties: Record<string, string | null>) => ({
  id: "1234",
  properties,
  updatedAt: new Date("2026-11-20T09:00:00Z"),
});

describe("Salesforce mapping", () => {
  it.each([
    [
      { Name: "Acme", Website: "https://www.Acme.com/about", NumberOfEmployees: 50, BillingCountry: "United States" },
      { name: "Acme", domain: "acme.com", marketSegment: "SMB", country: "US", recordId: "0015g00000AbCdEAAV" },
    ],
    [
      { Name: "Big", Website: null, NumberOfEmployees: 12000, BillingCountry: "SE" },
      { domain: null, marketSegment: "Enterprise", country: "SE" },
    ],
    [{ Name: "  ", Website: "x.com" }, null],
  ])("account %j", (fields, expected) => {
    const r = mapAccount(sfAccount(fields) as never);
    if (expected === null) expect(r).toMatchObject({ ok: false, reason: "the account has no name" });
    else expect(r).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    [
      { FirstName: "Anna", LastName: "de Vries", AccountId: "0015g00000AbCdE" },
      { firstName: "Anna", lastName: "de Vries", accountRecordId: "0015g00000AbCdEAAV" },
    ],
    [
      { FirstName: null, LastName: "Solo", AccountId: null },
      { firstName: "Solo", lastName: "", accountRecordId: null },
    ],
    [{ FirstName: null, LastName: null }, null],
  ])("contact %j", (fields, expected) => {
    const r = mapContact({ Id: "0035g00000XyZaB", SystemModstamp: "2026-11-20T09:00:00.000+0000", ...fields } as never, null);
    if (expected === null) expect(r.ok).toBe(false);
    else expect(r).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    [
      { WhoId: "0035g00000XyZaB", TaskSubtype: "Call", CompletedDateTime: "2026-11-20T10:00:00.000+0000" },
      { sourceKey: "task:Call", occurredAt: "2026-11-20T10:00:00.000Z" },
    ],
    [{ WhoId: "00Q5g00000XyZaB", TaskSubtype: "Call" }, "the task is not about a contact (a lead or no one)"],
    [{ WhoId: null, TaskSubtype: "Call" }, "the task names no contact"],
  ])("task %j", (fields, expected) => {
    const r = mapTask({
      Id: "00T5g00000AaAaA",
      SystemModstamp: "2026-11-20T09:00:00.000+0000",
      CreatedDate: "2026-11-20T09:00:00.000+0000",
      ...fields,
    } as never);
    if (typeof expected === "string") expect(r).toMatchObject({ ok: false, reason: expected });
    else expect(r).toMatchObject({ ok: true, value: expected });
  });

  it("campaign statuses are separate activities", () => {
    const base = {
      Id: "00v5g00000AaAaA",
      ContactId: "0035g00000XyZaB",
      SystemModstamp: "2026-11-20T09:00:00.000+0000",
      Campaign: { Name: "Summit" },
    };
    const a = mapCampaignMember({ ...base, Status: "Registered" } as never);
    const b = mapCampaignMember({ ...base, Status: "Attended" } as never);
    expect(a.ok && b.ok && a.value.recordId !== b.value.recordId).toBe(true);
    expect(b).toMatchObject({ ok: true, value: { sourceKey: "campaign:Attended", metadata: { description: "Summit" } } });
  });
});

describe("HubSpot mapping", () => {
  it.each([
    [
      { name: "Acme", domain: "acme.example", numberofemployees: "450", country: "Sweden", annualrevenue: "1000000" },
      { domain: "acme.example", marketSegment: "Mid-Market", country: "SE", annualRevenue: 1000000 },
    ],
    [{ name: "Web only", domain: null, website: "http://www.web.example/x" }, { domain: "web.example" }],
    [{ name: null }, null],
  ])("company %j", (props, expected) => {
    const r = mapCompany(hs(props) as never);
    if (expected === null) expect(r.ok).toBe(false);
    else expect(r).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    [
      [
        { toId: "9", labels: [], typeIds: [279] },
        { toId: "7", labels: [], typeIds: [1] },
      ],
      "7",
    ],
    [[{ toId: "9", labels: [], typeIds: [279] }], "9"],
    [undefined, "55"],
  ])("contact's company from associations %j", (assoc, company) => {
    const r = mapHsContact(
      hs({ firstname: "A", lastname: "B", associatedcompanyid: "55", hs_buying_role: "CHAMPION" }) as never,
      assoc,
      "hs_buying_role",
    );
    expect(r).toMatchObject({ ok: true, value: { accountRecordId: company, roleValue: "CHAMPION" } });
  });

  it("an engagement is one activity per associated contact; email direction picks the key", () => {
    const e = mapEngagement(
      "emails",
      hs({ hs_timestamp: "2026-11-20T10:00:00Z", hs_email_direction: "INCOMING_EMAIL" }) as never,
      [
        { toId: "1", labels: [], typeIds: [] },
        { toId: "2", labels: [], typeIds: [] },
      ],
    );
    expect(e.map((x) => (x.ok ? [x.value.sourceKey, x.value.contactRecordId] : null))).toEqual([
      ["email:INCOMING_EMAIL", "1"],
      ["email:INCOMING_EMAIL", "2"],
    ]);
  });

  it.each([
    [{ id: "e1", type: "OPEN", recipient: "a@b.example", created: 1_763_632_800_000 }, "marketing_email:OPEN"],
    [{ id: "e2", type: "DELIVERED", recipient: "a@b.example", created: 1 }, null],
  ])("email event %j", (event, key) => {
    const r = mapEmailEvent(event);
    if (key === null) expect(r).toBeNull();
    else expect(r).toMatchObject({ ok: true, value: { sourceKey: key, email: "a@b.example" } });
  });

  // Forms API v1 "Get submissions for a form" result shape.
  it.each([
    [
      {
        conversionId: "c1",
        submittedAt: 1_763_632_800_000,
        values: [{ name: "email", value: " a@b.example " }],
        pageUrl: "https://b.example/demo",
      },
      {
        ok: true,
        value: {
          recordId: "form-submission:c1",
          sourceKey: "form_submission",
          email: "a@b.example",
          occurredAt: "2025-11-20T10:00:00.000Z",
          metadata: { formName: "Demo", formId: "f1", url: "https://b.example/demo" },
        },
      },
    ],
    [
      { conversionId: "c2", submittedAt: 1_763_632_800_000, values: [{ name: "firstname", value: "A" }] },
      { ok: false, recordId: "form-submission:c2", reason: 'the submission of form "Demo" has no email address' },
    ],
    [
      { conversionId: "", submittedAt: 1, values: [] },
      { ok: false, recordId: "form:f1", reason: "the form submission has no conversion id or time" },
    ],
  ])("form submission %j", (submission, expected) => {
    expect(mapFormSubmission({ id: "f1", name: "Demo" }, submission)).toMatchObject(expected);
  });
});
