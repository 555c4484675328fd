import { z } from "zod";
import { IdSchema, optionalText, PageQuery, requiredText } from "./common";

export const PERSON_STATUSES = ["active", "left_company", "bounced"] as const;

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "must be an email address such as anna@acme.com" }));

export const CreatePersonBody = z.object({
  accountId: IdSchema.nullish().transform((v) => v ?? null),
  firstName: requiredText(100),
  lastName: z.string().trim().max(100).default(""),
  email: EmailSchema.nullish().transform((v) => v ?? null),
  phone: optionalText(50),
  jobTitle: optionalText(200),
  department: optionalText(100),
  seniority: optionalText(50),
  country: optionalText(2),
  source: z.string().trim().min(1).max(50).default("manual"),
  status: z.enum(PERSON_STATUSES).default("active"),
  attributes: z.record(z.string().max(100), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).default({}),
});
export type CreatePersonInput = z.infer<typeof CreatePersonBody>;

export const AccountPeopleQuery = PageQuery.extend({ q: z.string().trim().max(200).optional() });

export interface Person {
  id: string;
  accountId: string | null;
  firstName: string;
  lastName: string;
  name: string;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  department: string | null;
  seniority: string | null;
  country: string | null;
  source: string;
  status: (typeof PERSON_STATUSES)[number];
  attributes: Record<string, string | number | boolean | null>;
  score: number;
  scoreComputedAt: string | null;
}

export interface CreatePersonResult {
  person: Person;
  /** True when an existing person with the same email was returned instead of creating one. */
  matched: boolean;
}
