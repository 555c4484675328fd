import { normaliseDomain } from "../../../shared/api/accounts";
import { countryCode } from "../salesforce/mapping";
import { marketSegment } from "../segment";
import type { AccountIn, ActivityIn, ContactIn, Mapped, OpportunityIn, OwnerIn } from "../types";
import type { HsAssociation, HsFormSubmission, HsObject } from "./client";

/**
 * HubSpot CRM v3 objects → Quorum input. Pure: tested with `it.each` tables in
 * test/server/connectors/hubspot-mapping.test.ts.
 */
export const HS_PROPERTIES = {
  companies: [
    "name",
    "domain",
    "website",
    "industry",
    "numberofemployees",
    "country",
    "annualrevenue",
    "hs_parent_company_id",
    "hs_lastmodifieddate",
    "hs_merged_object_ids",
  ],
  contacts: [
    "firstname",
    "lastname",
    "email",
    "phone",
    "jobtitle",
    "hs_job_function",
    "hs_seniority",
    "country",
    "associatedcompanyid",
    "lastmodifieddate",
    "hs_merged_object_ids",
  ],
  deals: [
    "dealname",
    "amount",
    "dealstage",
    "closedate",
    "hs_is_closed",
    "hs_is_closed_won",
    "hubspot_owner_id",
    "hs_lastmodifieddate",
  ],
  calls: ["hs_timestamp", "hs_call_title", "hs_call_direction", "hs_lastmodifieddate"],
  meetings: ["hs_timestamp", "hs_meeting_title", "hs_meeting_start_time", "hs_lastmodifieddate"],
  emails: ["hs_timestamp", "hs_email_subject", "hs_email_direction", "hs_lastmodifieddate"],
} as const;

const text = (v: string | null | undefined): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const num = (v: string | null | undefined): number | null => {
  const n = v === null || v === undefined || v === "" ? Number.NaN : Number(v);
  return Number.isFinite(n) ? n : null;
};
/** HubSpot sends times as ISO strings or epoch milliseconds. */
export function hsInstant(v: string | null | undefined): string | null {
  if (!v) return null;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
const skip = (o: HsObject, reason: string) => ({ ok: false as const, recordId: o.id, reason });

/** Ids merged into this record (`hs_merged_object_ids`, `;`-separated). */
export const mergedIds = (o: HsObject): string[] =>
  (o.properties.hs_merged_object_ids ?? "").split(";").filter((s) => /^\d+$/.test(s));

export function mapOwner(o: {
  id: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  archived?: boolean;
}): Mapped<OwnerIn> {
  const name = [o.firstName, o.lastName].filter(Boolean).join(" ").trim() || o.email || "";
  if (!name) return { ok: false, recordId: o.id, reason: "the owner has no name or email" };
  return { ok: true, value: { recordId: o.id, name, email: o.email ?? null, active: o.archived !== true } };
}

export function mapCompany(o: HsObject): Mapped<AccountIn> {
  const p = o.properties;
  const name = text(p.name);
  if (!name) return skip(o, "the company has no name");
  const domain = text(p.domain) ?? text(p.website);
  const revenue = num(p.annualrevenue);
  return {
    ok: true,
    value: {
      recordId: o.id,
      name: name.slice(0, 200),
      domain: domain ? normaliseDomain(domain) : null,
      industry: text(p.industry)?.slice(0, 100) ?? null,
      marketSegment: marketSegment(num(p.numberofemployees)),
      country: countryCode(p.country),
      annualRevenue: revenue !== null && revenue >= 0 ? revenue : null,
      parentRecordId: text(p.hs_parent_company_id),
    },
  };
}

/** The contact's company: the primary association (type 1) if any, else the first, else `associatedcompanyid`. */
export function primaryCompany(o: HsObject, assoc: HsAssociation[] | undefined): string | null {
  const primary = assoc?.find((a) => a.typeIds.includes(1)) ?? assoc?.[0];
  return primary?.toId ?? text(o.properties.associatedcompanyid);
}

export function mapContact(o: HsObject, companies: HsAssociation[] | undefined, roleProperty: string | null): Mapped<ContactIn> {
  const p = o.properties;
  const first = text(p.firstname);
  const last = text(p.lastname);
  if (!first && !last) return skip(o, "the contact has no name");
  const value: ContactIn = {
    recordId: o.id,
    firstName: (first ?? last)!,
    lastName: first ? (last ?? "") : "",
    email: text(p.email),
    phone: text(p.phone),
    jobTitle: text(p.jobtitle),
    department: text(p.hs_job_function),
    seniority: text(p.hs_seniority),
    country: countryCode(p.country),
    accountRecordId: primaryCompany(o, companies),
  };
  if (roleProperty) value.roleValue = text(p[roleProperty]);
  return { ok: true, value };
}

export function mapDeal(
  o: HsObject,
  companies: HsAssociation[] | undefined,
  contacts: HsAssociation[] | undefined,
): Mapped<OpportunityIn> {
  const p = o.properties;
  const name = text(p.dealname);
  if (!name) return skip(o, "the deal has no name");
  return {
    ok: true,
    value: {
      recordId: o.id,
      accountRecordId: (companies?.find((a) => a.typeIds.includes(5)) ?? companies?.[0])?.toId ?? null,
      name,
      amount: num(p.amount),
      stage: text(p.dealstage),
      isClosed: p.hs_is_closed === "true",
      isWon: p.hs_is_closed_won === "true",
      closeDate: hsInstant(p.closedate)?.slice(0, 10) ?? null,
      ownerRecordId: text(p.hubspot_owner_id),
      contacts: (contacts ?? []).map((c) => ({
        opportunityRecordId: o.id,
        contactRecordId: c.toId,
        role: c.labels[0] ?? null,
        isPrimary: false,
      })),
    },
  };
}

/** Calls, meetings and emails: one activity per associated contact. */
export function mapEngagement(
  kind: "calls" | "meetings" | "emails",
  o: HsObject,
  contacts: HsAssociation[] | undefined,
): Mapped<ActivityIn>[] {
  const p = o.properties;
  const at = hsInstant(p.hs_meeting_start_time) ?? hsInstant(p.hs_timestamp);
  if (!at) return [skip(o, `the ${kind.slice(0, -1)} has no time`)];
  if (!contacts?.length) return [skip(o, `the ${kind.slice(0, -1)} is not associated with a contact`)];
  const key = kind === "calls" ? "call" : kind === "meetings" ? "meeting" : `email:${text(p.hs_email_direction) ?? "EMAIL"}`;
  const title = text(p.hs_call_title) ?? text(p.hs_meeting_title) ?? text(p.hs_email_subject);
  return contacts.map((c) => ({
    ok: true as const,
    value: {
      recordId: `${kind}:${o.id}:${c.toId}`,
      sourceKey: key,
      contactRecordId: c.toId,
      occurredAt: at,
      metadata: { description: title?.slice(0, 1000) ?? null, crmRecordId: o.id },
    },
  }));
}

/** Email Events API (`/email/public/v1/events`) OPEN and CLICK events; the person is found by address. */
export function mapEmailEvent(e: Record<string, unknown>): Mapped<ActivityIn> | null {
  const type = String(e.type ?? "");
  if (type !== "OPEN" && type !== "CLICK") return null;
  const id = String(e.id ?? "");
  const at = typeof e.created === "number" ? new Date(e.created).toISOString() : null;
  const email = typeof e.recipient === "string" ? e.recipient : null;
  if (!id || !at || !email) return { ok: false, recordId: id || "?", reason: "the email event has no id, time or recipient" };
  return {
    ok: true,
    value: {
      recordId: `email-event:${id}`,
      sourceKey: `marketing_email:${type}`,
      contactRecordId: null,
      email,
      occurredAt: at,
      metadata: {
        url: typeof e.url === "string" ? e.url.slice(0, 2000) : null,
        emailCampaignId: (e.emailCampaignId as number | undefined) ?? null,
      },
    },
  };
}

/**
 * A form submission (Forms API v1) → "Fill Out Form" for the person with the submitted address, the
 * form's name as metadata. Submissions carry no contact id: the person is found by the `email` field.
 */
export function mapFormSubmission(form: { id: string; name: string }, s: HsFormSubmission): Mapped<ActivityIn> {
  const id = typeof s.conversionId === "string" ? s.conversionId : "";
  const at = typeof s.submittedAt === "number" && Number.isFinite(s.submittedAt) ? new Date(s.submittedAt).toISOString() : null;
  const email = text((s.values ?? []).find((v) => v.name === "email")?.value);
  if (!id || !at)
    return { ok: false, recordId: id || `form:${form.id}`, reason: "the form submission has no conversion id or time" };
  if (!email)
    return { ok: false, recordId: `form-submission:${id}`, reason: `the submission of form "${form.name}" has no email address` };
  return {
    ok: true,
    value: {
      recordId: `form-submission:${id}`,
      sourceKey: "form_submission",
      contactRecordId: null,
      email,
      occurredAt: at,
      metadata: {
        formName: form.name.slice(0, 200) || null,
        formId: form.id,
        url: typeof s.pageUrl === "string" ? s.pageUrl.slice(0, 2000) : null,
      },
    },
  };
}
