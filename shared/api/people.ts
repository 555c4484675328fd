import { z } from "zod";
import { IdSchema, optionalName, optionalText, PageQuery, requiredName, safeString } from "./common";

export const PERSON_STATUSES = ["active", "left_company", "bounced"] as const;

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "must be an email address such as anna@acme.com" }));

/** Custom attributes are served back with the person everywhere: these keep a person's row small. */
export const ATTRIBUTE_LIMITS = { keys: 50, keyLength: 100, valueLength: 1000, totalBytes: 16_384 } as const;

export const PersonAttributes = z
  .record(
    safeString()
      .min(1, "attribute names must not be empty")
      .max(ATTRIBUTE_LIMITS.keyLength, `attribute names must be at most ${ATTRIBUTE_LIMITS.keyLength} characters`),
    z.union([
      safeString().max(ATTRIBUTE_LIMITS.valueLength, `must be at most ${ATTRIBUTE_LIMITS.valueLength} characters`),
      z.number(),
      z.boolean(),
      z.null(),
    ]),
  )
  .superRefine((attrs, ctx) => {
    const keys = Object.keys(attrs).length;
    if (keys > ATTRIBUTE_LIMITS.keys)
      ctx.addIssue({
        code: "custom",
        message: `has ${keys} attributes; at most ${ATTRIBUTE_LIMITS.keys} are allowed`,
      });
    const bytes = new TextEncoder().encode(JSON.stringify(attrs)).length;
    if (bytes > ATTRIBUTE_LIMITS.totalBytes)
      ctx.addIssue({
        code: "custom",
        message: `take ${bytes} bytes as JSON; at most ${ATTRIBUTE_LIMITS.totalBytes} bytes are allowed`,
      });
  });

export const CreatePersonBody = z.object({
  accountId: IdSchema.nullish().transform((v) => v ?? null),
  firstName: requiredName(100),
  lastName: optionalName(100).default(""),
  email: EmailSchema.nullish().transform((v) => v ?? null),
  phone: optionalText(50),
  jobTitle: optionalText(200),
  department: optionalText(100),
  seniority: optionalText(50),
  country: optionalText(2),
  source: safeString().trim().min(1).max(50).default("manual"),
  status: z.enum(PERSON_STATUSES).default("active"),
  attributes: PersonAttributes.default({}),
});
export type CreatePersonInput = z.infer<typeof CreatePersonBody>;

export const AccountPeopleQuery = PageQuery.extend({ q: safeString().trim().max(200).optional() });

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
