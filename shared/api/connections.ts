import { z } from "zod";
import { requiredText } from "./common";

/** CRMs Quorum can sync with (a connection each). */
export const CONNECTOR_CRMS = ["salesforce", "hubspot"] as const;
export type ConnectorCrm = (typeof CONNECTOR_CRMS)[number];

const secret = (what: string) => z.string().trim().min(1, `must not be empty: give the ${what}`).max(10_000);
const HttpUrl = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\/[^\s/?#]+(:\d+)?(\/[^\s?#]*)?$/, "must be an http(s) URL such as https://mycompany.my.salesforce.com")
  .transform((u) => u.replace(/\/+$/, ""));

/** How a connection signs in. */
export const ConnectionAuth = z.discriminatedUnion("kind", [
  /** OAuth 2.0 authorization code (Salesforce connected app with PKCE, HubSpot public app); sign in from the Connections screen. */
  z.object({
    kind: z.literal("oauth"),
    clientId: secret("OAuth client id"),
    clientSecret: secret("OAuth client secret").optional(),
  }),
  /** HubSpot private-app access token. */
  z.object({ kind: z.literal("private_app"), accessToken: secret("private-app access token") }),
  /** Salesforce OAuth username-password flow (connected app); the security token is appended to the password. */
  z.object({
    kind: z.literal("password"),
    clientId: secret("connected app's consumer key"),
    clientSecret: secret("connected app's consumer secret"),
    username: secret("Salesforce username").max(200),
    password: secret("password"),
    securityToken: z.string().trim().max(200).default(""),
  }),
  /** Salesforce OAuth 2.0 JWT bearer flow: the connected app's certificate signs for `username`. */
  z.object({
    kind: z.literal("jwt"),
    clientId: secret("connected app's consumer key"),
    username: secret("Salesforce username").max(200),
    privateKey: secret("PEM private key").regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "must be a PEM private key"),
  }),
]);
export type ConnectionAuthT = z.infer<typeof ConnectionAuth>;

export const WRITEBACK_TARGETS = ["contact_field", "opportunity_contact_role"] as const;

export const ConnectionSettings = z
  .object({
    /** Minutes between scheduled syncs; null: the server default (QUORUM_SYNC_INTERVAL_MINUTES); 0: on demand only. */
    syncIntervalMinutes: z.number().int().min(0).max(10_080).nullable().default(null),
    writeback: z
      .object({
        enabled: z.boolean().default(false),
        /** HubSpot: always a contact property. Salesforce: a Contact field, or the OpportunityContactRole of the account's open opportunity. */
        target: z.enum(WRITEBACK_TARGETS).default("contact_field"),
        /** Contact property/field holding the buying role (HubSpot default `hs_buying_role`). */
        field: z
          .string()
          .trim()
          .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, "must be an API field name such as hs_buying_role or Buying_Role__c")
          .nullable()
          .default(null),
        /** Quorum role key → CRM value; a role without an entry is not written. */
        roleMapping: z
          .record(
            z.string().trim().min(1).max(64),
            z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
          )
          .default({}),
      })
      .prefault({}),
  })
  .prefault({});
export type ConnectionSettingsT = z.infer<typeof ConnectionSettings>;

export const CreateConnectionBody = z.object({
  crm: z.enum(CONNECTOR_CRMS, { message: "must be salesforce or hubspot" }),
  name: requiredText(100),
  /** Salesforce instance URL / HubSpot API base URL; default the vendor's production URL. */
  baseUrl: HttpUrl.optional(),
  /** Salesforce login URL (test.salesforce.com for sandboxes) / HubSpot OAuth host; default the vendor's. */
  loginUrl: HttpUrl.optional(),
  auth: ConnectionAuth,
  settings: ConnectionSettings,
});
export type CreateConnectionInput = z.infer<typeof CreateConnectionBody>;

export const UpdateConnectionBody = z
  .object({
    name: requiredText(100).optional(),
    baseUrl: HttpUrl.optional(),
    loginUrl: HttpUrl.optional(),
    auth: ConnectionAuth.optional(),
    settings: ConnectionSettings.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "give at least one field to change", path: ["name"] });
export type UpdateConnectionInput = z.infer<typeof UpdateConnectionBody>;

export const StartSyncBody = z.object({ kind: z.enum(["incremental", "full"]).default("incremental") }).prefault({});

export const ActivityMappingBody = z.object({
  items: z
    .array(
      z.object({
        sourceKey: z.string().trim().min(1).max(100),
        /** Activity type id; null: not imported. */
        typeId: z.string().trim().min(1).max(100).nullable(),
      }),
    )
    .min(1, "must contain at least one mapping")
    .max(200),
});

export type ConnectionStatus = "connected" | "needs_sign_in" | "error";

export interface Connection {
  id: string;
  crm: ConnectorCrm;
  name: string;
  authKind: ConnectionAuthT["kind"];
  baseUrl: string;
  loginUrl: string | null;
  clientId: string | null;
  username: string | null;
  /** Which secrets are stored (never their values). */
  secretsStored: string[];
  status: ConnectionStatus;
  statusReason: string | null;
  settings: ConnectionSettingsT;
  lastSyncAt: string | null;
  lastRun: SyncRun | null;
  /** The role write-back outbox: rows waiting or failed, and the latest failures with the CRM's reason. */
  writebackOutbox: WritebackSummary;
  createdAt: string;
  updatedAt: string;
}

export interface WritebackFailure {
  /** The CRM record (contact) the role was for. */
  recordId: string;
  /** The value Quorum tried to write (null: clear). */
  value: string | null;
  attempts: number;
  /** `queued`: retried later; `failed`: given up. */
  status: "queued" | "failed";
  error: string;
  at: string;
}

export interface WritebackSummary {
  queued: number;
  failed: number;
  sent: number;
  /** Up to 20 rows with an error, newest first. */
  failures: WritebackFailure[];
}

export type SyncRunStatus = "queued" | "running" | "done" | "failed" | "paused" | "needs_sign_in";

export interface SkippedRecord {
  stream: string;
  recordId: string;
  reason: string;
}

export interface SyncRun {
  id: string;
  connectionId: string;
  kind: "full" | "incremental";
  trigger: "manual" | "schedule" | "cli";
  status: SyncRunStatus;
  stream: string | null;
  progress: { fetched: number; written: number; deleted: number; skipped: number; apiCalls: number };
  skipped: SkippedRecord[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ActivityMapping {
  crm: ConnectorCrm;
  sourceKey: string;
  /** What the key means, in English (the admin screen translates the known ones). */
  label: string;
  typeId: string | null;
}
