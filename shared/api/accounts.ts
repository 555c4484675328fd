import { z } from "zod";
import { CRM_PATTERN } from "../domain/crm";
import { IdSchema, optionalText, PageQuery, requiredName, safeString } from "./common";

export const CrmSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(CRM_PATTERN, "must be salesforce, hubspot, dynamics, pipedrive, zoho or custom:<host>");

/** `https://www.Acme.com/about` → `acme.com`; null when it is not a domain. */
export function normaliseDomain(input: string): string | null {
  const s =
    input
      .trim()
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, "")
      .replace(/^www\./, "")
      .split(/[/?#:]/)[0] ?? "";
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(s) ? s : null;
}

export const DomainSchema = z
  .string()
  .max(253)
  .transform((v, ctx) => {
    const d = normaliseDomain(v);
    if (!d) {
      ctx.addIssue({ code: "custom", message: "must be a web domain such as acme.com" });
      return z.NEVER;
    }
    return d;
  });

export const CrmLinkSchema = z.object({
  crm: CrmSchema,
  recordId: safeString().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
});

export const AccountSearchQuery = PageQuery.extend({
  q: safeString().trim().max(200).optional(),
});

export const AccountLookupQuery = z
  .object({
    crm: CrmSchema.optional(),
    recordId: safeString().trim().min(1).max(100).optional(),
    domain: DomainSchema.optional(),
    name: safeString().trim().min(1).max(200).optional(),
  })
  .refine((q) => (q.crm === undefined) === (q.recordId === undefined), {
    message: "crm and recordId go together: give both, or neither",
    path: ["recordId"],
  })
  .refine((q) => q.recordId !== undefined || q.domain !== undefined || q.name !== undefined, {
    message: "give crm + recordId, domain or name to look an account up",
    path: ["recordId"],
  });

export const CreateAccountBody = z.object({
  name: requiredName(200),
  domain: DomainSchema.nullish().transform((v) => v ?? null),
  industry: optionalText(100),
  marketSegment: optionalText(100),
  country: optionalText(2),
  annualRevenue: z
    .number()
    .min(0)
    .nullish()
    .transform((v) => v ?? null),
  parentId: IdSchema.nullish().transform((v) => v ?? null),
  // Stored as a 32-bit integer: a larger count is refused here rather than by the database.
  openOpportunitiesCount: z.number().int().min(0).max(1_000_000, "must be at most 1 000 000").default(0),
  openOpportunitiesAmount: z.number().min(0).default(0),
  /** ISO 4217 code of the amounts, e.g. EUR. */
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 currency code such as EUR")
    .nullish()
    .transform((v) => v ?? null),
  crmLinks: z.array(CrmLinkSchema).max(20).default([]),
});
export type CreateAccountInput = z.infer<typeof CreateAccountBody>;

export const LinkAccountBody = CrmLinkSchema;

export interface Account {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  marketSegment: string | null;
  country: string | null;
  annualRevenue: number | null;
  parentId: string | null;
  openOpportunities: { count: number; amount: number };
  /** ISO 4217 code of the account's amounts; null when unknown. */
  currency: string | null;
  crmLinks: Array<{ crm: string; recordId: string }>;
  peopleCount: number;
  createdAt: string;
  updatedAt: string;
}

/** How a lookup matched: by CRM record id, by domain or by name (name matches may be ambiguous). */
export interface AccountLookupResult {
  matchedBy: "crm" | "domain" | "name" | null;
  accounts: Account[];
}
