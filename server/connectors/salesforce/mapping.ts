import { normaliseDomain } from "../../../shared/api/accounts";
import { salesforceId18 } from "../../../shared/domain/salesforce-id";
import { marketSegment } from "../segment";
import type { AccountIn, ActivityIn, ContactIn, DeletedIn, Mapped, OpportunityContactIn, OpportunityIn, OwnerIn } from "../types";

/**
 * Salesforce records (REST query answers) → Quorum input. Pure: tested with `it.each` tables in
 * test/server/connectors/salesforce-mapping.test.ts. Ids are stored in their 18-character form.
 */
export type SfRow = Record<string, unknown> & { Id: string; SystemModstamp: string; IsDeleted?: boolean };

export const SF_FIELDS = {
  User: ["Id", "Name", "Email", "IsActive", "SystemModstamp"],
  Account: [
    "Id",
    "Name",
    "Website",
    "Industry",
    "NumberOfEmployees",
    "BillingCountry",
    "AnnualRevenue",
    "ParentId",
    "IsDeleted",
    "MasterRecordId",
    "SystemModstamp",
  ],
  Contact: [
    "Id",
    "FirstName",
    "LastName",
    "Email",
    "Phone",
    "Title",
    "Department",
    "MailingCountry",
    "AccountId",
    "IsDeleted",
    "MasterRecordId",
    "SystemModstamp",
  ],
  Opportunity: [
    "Id",
    "Name",
    "AccountId",
    "Amount",
    "StageName",
    "IsClosed",
    "IsWon",
    "CloseDate",
    "OwnerId",
    "IsDeleted",
    "SystemModstamp",
  ],
  OpportunityContactRole: ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary", "IsDeleted", "SystemModstamp"],
  Task: ["Id", "WhoId", "Subject", "TaskSubtype", "Status", "CompletedDateTime", "CreatedDate", "IsDeleted", "SystemModstamp"],
  Event: ["Id", "WhoId", "Subject", "EventSubtype", "StartDateTime", "IsDeleted", "SystemModstamp"],
  CampaignMember: ["Id", "ContactId", "CampaignId", "Campaign.Name", "Status", "IsDeleted", "SystemModstamp"],
} as const;

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const id = (v: unknown): string | null => (typeof v === "string" && v.length >= 15 ? salesforceId18(v) : null);
/** `2026-11-23T10:00:00.000+0000` → `2026-11-23T10:00:00.000Z`. */
const SF_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
export function sfInstant(v: unknown): string | null {
  if (typeof v !== "string") return null;
  // What the REST API sends (`2026-11-23T10:00:00.000+0000`): already UTC, only the zone's spelling differs.
  if (SF_UTC.test(v)) return `${v.slice(0, 23)}Z`;
  const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
const skip = (r: SfRow, reason: string) => ({ ok: false as const, recordId: id(r.Id) ?? String(r.Id), reason });

/** ISO 3166 alpha-2 from a country name or code Salesforce holds (free text unless state/country picklists are on). */
export function countryCode(v: unknown): string | null {
  const t = text(v);
  if (!t) return null;
  if (/^[A-Za-z]{2}$/.test(t)) return t.toUpperCase();
  const names: Record<string, string> = {
    "united states": "US",
    usa: "US",
    "united kingdom": "GB",
    uk: "GB",
    netherlands: "NL",
    "the netherlands": "NL",
    germany: "DE",
    france: "FR",
    sweden: "SE",
    belgium: "BE",
    spain: "ES",
    italy: "IT",
    canada: "CA",
    australia: "AU",
    denmark: "DK",
    norway: "NO",
    finland: "FI",
    ireland: "IE",
    switzerland: "CH",
    austria: "AT",
    japan: "JP",
    india: "IN",
  };
  return names[t.toLowerCase()] ?? null;
}

export function mapUser(r: SfRow): Mapped<OwnerIn> {
  const name = text(r.Name);
  if (!name) return skip(r, "the user has no name");
  return { ok: true, value: { recordId: id(r.Id)!, name, email: text(r.Email), active: r.IsActive !== false } };
}

export function mapAccount(r: SfRow): Mapped<AccountIn> {
  const name = text(r.Name);
  if (!name) return skip(r, "the account has no name");
  const website = text(r.Website);
  const revenue = typeof r.AnnualRevenue === "number" && r.AnnualRevenue >= 0 ? r.AnnualRevenue : null;
  return {
    ok: true,
    value: {
      recordId: id(r.Id)!,
      name: name.slice(0, 200),
      domain: website ? normaliseDomain(website) : null,
      industry: text(r.Industry)?.slice(0, 100) ?? null,
      marketSegment: marketSegment(typeof r.NumberOfEmployees === "number" ? r.NumberOfEmployees : null),
      country: countryCode(r.BillingCountry),
      annualRevenue: revenue,
      parentRecordId: id(r.ParentId),
    },
  };
}

export function mapContact(r: SfRow, roleField: string | null): Mapped<ContactIn> {
  const first = text(r.FirstName);
  const last = text(r.LastName);
  if (!first && !last) return skip(r, "the contact has no name");
  const value: ContactIn = {
    recordId: id(r.Id)!,
    firstName: (first ?? last)!,
    lastName: first ? (last ?? "") : "",
    email: text(r.Email),
    phone: text(r.Phone),
    jobTitle: text(r.Title),
    department: text(r.Department),
    seniority: null,
    country: countryCode(r.MailingCountry),
    accountRecordId: id(r.AccountId),
  };
  if (roleField) value.roleValue = text(r[roleField]);
  return { ok: true, value };
}

export function mapOpportunity(r: SfRow): Mapped<OpportunityIn> {
  const name = text(r.Name);
  if (!name) return skip(r, "the opportunity has no name");
  return {
    ok: true,
    value: {
      recordId: id(r.Id)!,
      accountRecordId: id(r.AccountId),
      name,
      amount: typeof r.Amount === "number" ? r.Amount : null,
      stage: text(r.StageName),
      isClosed: r.IsClosed === true,
      isWon: r.IsWon === true,
      closeDate: text(r.CloseDate),
      ownerRecordId: id(r.OwnerId),
    },
  };
}

export function mapContactRole(r: SfRow): Mapped<OpportunityContactIn> {
  const opp = id(r.OpportunityId);
  const contact = id(r.ContactId);
  if (!opp || !contact) return skip(r, "the contact role names no opportunity or contact");
  return {
    ok: true,
    value: { opportunityRecordId: opp, contactRecordId: contact, role: text(r.Role), isPrimary: r.IsPrimary === true },
  };
}

/** Task/Event `WhoId` may be a lead (00Q…); only contacts (003…) are people Quorum syncs. */
const contactId = (v: unknown): string | null => {
  const i = id(v);
  return i?.startsWith("003") ? i : null;
};

export function mapTask(r: SfRow): Mapped<ActivityIn> {
  const who = contactId(r.WhoId);
  if (!who) return skip(r, r.WhoId ? "the task is not about a contact (a lead or no one)" : "the task names no contact");
  const at = sfInstant(r.CompletedDateTime) ?? sfInstant(r.CreatedDate) ?? sfInstant(r.SystemModstamp);
  if (!at) return skip(r, "the task has no date");
  return {
    ok: true,
    value: {
      recordId: `Task:${id(r.Id)}`,
      sourceKey: `task:${text(r.TaskSubtype) ?? "Task"}`,
      contactRecordId: who,
      occurredAt: at,
      metadata: { description: text(r.Subject)?.slice(0, 1000) ?? null, crmRecordId: id(r.Id) },
    },
  };
}

export function mapEvent(r: SfRow): Mapped<ActivityIn> {
  const who = contactId(r.WhoId);
  if (!who) return skip(r, r.WhoId ? "the event is not about a contact (a lead or no one)" : "the event names no contact");
  const at = sfInstant(r.StartDateTime) ?? sfInstant(r.SystemModstamp);
  if (!at) return skip(r, "the event has no start time");
  return {
    ok: true,
    value: {
      recordId: `Event:${id(r.Id)}`,
      sourceKey: `event:${text(r.EventSubtype) ?? "Event"}`,
      contactRecordId: who,
      occurredAt: at,
      metadata: { description: text(r.Subject)?.slice(0, 1000) ?? null, crmRecordId: id(r.Id) },
    },
  };
}

/** One activity per member and status, so Registered and later Attended both count. */
export function mapCampaignMember(r: SfRow): Mapped<ActivityIn> {
  const who = contactId(r.ContactId);
  if (!who) return skip(r, "the campaign member is not a contact (a lead)");
  const status = text(r.Status);
  if (!status) return skip(r, "the campaign member has no status");
  const campaign = r.Campaign as { Name?: unknown } | null | undefined;
  return {
    ok: true,
    value: {
      recordId: `CampaignMember:${id(r.Id)}:${status}`,
      sourceKey: `campaign:${status}`,
      contactRecordId: who,
      occurredAt: sfInstant(r.SystemModstamp)!,
      metadata: { description: text(campaign?.Name) ?? null, campaignId: id(r.CampaignId) },
    },
  };
}

/** Deleted rows of queryAll; a merge's losers carry the winner in MasterRecordId. */
export function mapDeleted(r: SfRow): DeletedIn {
  return { recordId: id(r.Id)!, mergedInto: id(r.MasterRecordId) };
}
