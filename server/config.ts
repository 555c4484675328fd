import { resolve } from "node:path";
import { z } from "zod";
import { isValidTimeZone } from "../shared/scoring/days";
import { SSO_ENV, type SsoConfig, ssoConfig } from "./sso/sso.config";

/**
 * Environment variables that carry server secrets (see server/secrets/secret-file.ts): each is optional
 * (a secret is generated into the data directory otherwise) and, when set, at least 32 characters.
 */
export const SECRET_VARIABLES = ["QUORUM_TOKEN_SECRET", "QUORUM_CONNECTOR_KEY"] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

const secretSchema = z
  .string()
  .min(32, "must be at least 32 characters (e.g. the output of `openssl rand -base64 32`)")
  .optional();

/** `QUORUM_ALLOWED_HOSTS`: comma-separated host names (optionally `:port`) a reverse proxy sends in Host. */
const HOST_ENTRY = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\*\.[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;

/** The only reader of the environment. Every setting has a default that works out of the box. */
const EnvSchema = z.object({
  QUORUM_HOST: z.string().min(1).default("127.0.0.1"),
  QUORUM_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  QUORUM_DATA_DIR: z.string().min(1).default("./data"),
  /** `postgres://…` for PostgreSQL; otherwise a SQLite file path (default `<data dir>/quorum.sqlite`). */
  DATABASE_URL: z.string().optional(),
  QUORUM_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * PostgreSQL: connections of `serve`'s background worker thread for jobs, recomputes and syncs (they take turns on
   * them), so background SQL keeps at most this many database processes busy beside the requests'.
   */
  QUORUM_PG_WORKER_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(1),
  /**
   * PostgreSQL: `on` lets each server serve cached group details without a database read while it listens to the
   * database's change notifications, and makes writes wait until every server has heard of them
   * (server/groups/details-feed.ts); `off` reads each request's version from the database instead.
   */
  QUORUM_PG_DETAILS_FEED: z.enum(["on", "off"], { message: "must be on or off" }).default("on"),
  /** PostgreSQL: longest a single statement may run, in ms (`statement_timeout`; 0 = no limit). */
  QUORUM_PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /** PostgreSQL: a session idle inside a transaction this long (ms) is ended (`idle_in_transaction_session_timeout`; 0 = never). */
  QUORUM_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  QUORUM_TIME_ZONE: z
    .string()
    .default("UTC")
    .refine(isValidTimeZone, "must be an IANA time zone such as UTC or Europe/Amsterdam"),
  QUORUM_SCORING_MODEL: z.enum(["count", "weighted"]).default("count"),
  QUORUM_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  QUORUM_BOOTSTRAP_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{24,128}$/, "must be 24–128 characters of A–Z, a–z, 0–9, _ or -")
    .optional(),
  /** `false` to start with an empty database instead of the demo data set. */
  QUORUM_DEMO_DATA: z.enum(["true", "false"]).default("true"),
  QUORUM_LOG: z.enum(["silent", "info"]).default("info"),
  /** `file` (default: .eml files under `<data dir>/outbox/`) or `smtp` (needs QUORUM_SMTP_URL or QUORUM_SMTP_HOST). */
  QUORUM_EMAIL_TRANSPORT: z.enum(["file", "smtp"]).optional(),
  QUORUM_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must look like smtp://user:pass@host:587 or smtps://host:465")
    .optional(),
  QUORUM_SMTP_HOST: z.string().min(1).optional(),
  QUORUM_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** `starttls` (upgrade on 587, required), `tls` (implicit TLS, usually 465) or `none` (local relays only). */
  QUORUM_SMTP_SECURITY: z.enum(["starttls", "tls", "none"]).default("starttls"),
  QUORUM_SMTP_USER: z.string().min(1).optional(),
  QUORUM_SMTP_PASSWORD: z.string().min(1).optional(),
  QUORUM_EMAIL_FROM: z.string().min(3).default("Quorum <quorum@localhost>"),
  /** Where unsubscribe links point; default `http://<host>:<port>`. */
  QUORUM_PUBLIC_URL: z.url({ message: "must be a URL such as https://quorum.example.com" }).optional(),
  /** Signs unsubscribe links; default: a random secret generated once and kept in the database. */
  QUORUM_EMAIL_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  QUORUM_EMAIL_CAP: z.coerce.number().int().min(0).max(1000).default(3),
  QUORUM_EMAIL_CAP_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Hours between scheduled maintenance jobs per solution interest (0 = only on demand). */
  QUORUM_MAINTENANCE_INTERVAL_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  /** A job claimed by a process that stops making progress for this long is taken over (crash recovery). */
  QUORUM_JOB_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  /** Accounts (creation) or groups (maintenance) a job handles per transaction. */
  QUORUM_JOB_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(100),
  /** How often each server process checks whether a scheduled task's period is due (score roll-over, maintenance). */
  QUORUM_SCHEDULE_TICK_SECONDS: z.coerce.number().min(0.05).max(3600).default(15),
  /** OpenAI-compatible chat completions base URL (e.g. http://127.0.0.1:11434/v1) for generated summaries; unset = deterministic text only. */
  QUORUM_LLM_URL: z.url({ message: "must be a URL such as http://127.0.0.1:11434/v1" }).optional(),
  QUORUM_LLM_MODEL: z.string().min(1).default("gpt-4o-mini"),
  QUORUM_LLM_API_KEY: z.string().min(1).optional(),
  QUORUM_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  QUORUM_EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  ...Object.fromEntries(SECRET_VARIABLES.map((name) => [name, secretSchema])),
  QUORUM_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((hosts) => hosts.every((h) => HOST_ENTRY.test(h)), {
      message: "must be a comma-separated list of host names, e.g. quorum.example.com,*.corp.example,10.0.0.5:8787",
    }),
  ...SSO_ENV,
  /** Minutes between scheduled CRM syncs of each connection (0 = on demand only). */
  QUORUM_SYNC_INTERVAL_MINUTES: z.coerce.number().min(0).max(10_080).default(15),
  /** Event webhooks (issue 14): how long concurrent messages are collected before one commit, and how many at most. */
  QUORUM_EVENTS_COMMIT_MS: z.coerce.number().min(0).max(1000).default(4),
  QUORUM_EVENTS_COMMIT_MAX: z.coerce.number().int().min(1).max(100_000).default(5000),
  /**
   * Where `serve` runs background work (jobs, recompute, schedules, outbox, CRM sync): `thread` (a worker
   * thread with its own database connection), `inline` (the request thread), `off` (a `quorum worker` process does).
   */
  QUORUM_WORKERS: z.enum(["thread", "inline", "off"], { message: "must be thread, inline or off" }).default("thread"),
  /** Nice value (0–19) of the background worker thread on Linux: under CPU contention requests go first. */
  QUORUM_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  database:
    | { kind: "sqlite"; file: string }
    | {
        kind: "postgres";
        url: string;
        poolSize: number;
        /** Connections of serve's background worker thread (QUORUM_PG_WORKER_POOL_SIZE). */
        workerPoolSize: number;
        /** Serve trusted cached details without a version read (QUORUM_PG_DETAILS_FEED). */
        detailsFeed: boolean;
        /** ms; 0 = no limit (defaults 30 000 and 60 000). */
        statementTimeoutMs?: number;
        idleInTransactionTimeoutMs?: number;
      };
  timeZone: string;
  scoringModel: "count" | "weighted";
  windowDays: number;
  bootstrapToken: string | null;
  demoData: boolean;
  log: "silent" | "info";
  email: EmailConfig;
  lifecycle: LifecycleConfig;
  /** Secrets given in the environment, by variable (only the ones set). */
  secrets: Partial<Record<SecretVariable, string>>;
  /** Extra Host names accepted besides the server's own (QUORUM_ALLOWED_HOSTS, lower case; `*.x` = any subdomain of x). */
  allowedHosts: string[];
  /** null: single sign-on is off (API tokens only). */
  sso: SsoConfig | null;
  connectors: ConnectorsConfig;
  /** Event webhooks' group commit (server/event-sources/group-commit.ts). */
  events: { commitMs: number; commitMax: number };
  /** QUORUM_WORKERS: where `serve` runs background work (server/workers/). */
  workers: "thread" | "inline" | "off";
  /** QUORUM_WORKER_NICE: the worker thread's nice value (Linux). */
  workerNice: number;
}

export interface ConnectorsConfig {
  syncIntervalMinutes: number;
  /** Base of the OAuth redirect URI (`<publicUrl>/oauth/callback`). */
  publicUrl: string;
}

export interface LifecycleConfig {
  maintenanceIntervalHours: number;
  jobLeaseSeconds: number;
  jobBatchSize: number;
  scheduleTickSeconds: number;
  /** null: summaries are the deterministic text. */
  llm: { url: string; model: string; apiKey: string | null; timeoutMs: number } | null;
}

export interface EmailConfig {
  transport:
    | { kind: "file"; dir: string }
    | {
        kind: "smtp";
        /** nodemailer transport options: host, port, secure, requireTLS, auth. */
        host: string;
        port: number;
        secure: boolean;
        requireTls: boolean;
        auth: { user: string; pass: string } | null;
      };
  from: string;
  publicUrl: string;
  secret: string | null;
  /** At most `cap` sales emails per person in any `capDays` days, across all groups (0 = never send). */
  cap: number;
  capDays: number;
  maxAttempts: number;
}

type Env = z.infer<typeof EnvSchema>;

function smtpTransport(e: Env): EmailConfig["transport"] | null {
  if (e.QUORUM_SMTP_URL) {
    const u = new URL(e.QUORUM_SMTP_URL);
    const tls = u.protocol === "smtps:";
    const security = u.searchParams.get("security") ?? (tls ? "tls" : e.QUORUM_SMTP_SECURITY);
    return {
      kind: "smtp",
      host: u.hostname,
      port: u.port ? Number(u.port) : tls ? 465 : 587,
      secure: security === "tls",
      requireTls: security === "starttls",
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : null,
    };
  }
  if (e.QUORUM_SMTP_HOST) {
    return {
      kind: "smtp",
      host: e.QUORUM_SMTP_HOST,
      port: e.QUORUM_SMTP_PORT,
      secure: e.QUORUM_SMTP_SECURITY === "tls",
      requireTls: e.QUORUM_SMTP_SECURITY === "starttls",
      auth: e.QUORUM_SMTP_USER ? { user: e.QUORUM_SMTP_USER, pass: e.QUORUM_SMTP_PASSWORD ?? "" } : null,
    };
  }
  return null;
}

function emailConfig(e: Env, dataDir: string): EmailConfig {
  const smtp = smtpTransport(e);
  const kind = e.QUORUM_EMAIL_TRANSPORT ?? (smtp ? "smtp" : "file");
  if (kind === "smtp" && !smtp) {
    throw new Error(
      "Invalid configuration in the environment:\n  QUORUM_EMAIL_TRANSPORT: smtp needs QUORUM_SMTP_URL or QUORUM_SMTP_HOST",
    );
  }
  return {
    transport: kind === "smtp" && smtp ? smtp : { kind: "file", dir: resolve(dataDir, "outbox") },
    from: e.QUORUM_EMAIL_FROM,
    publicUrl: (
      e.QUORUM_PUBLIC_URL ?? `http://${e.QUORUM_HOST.includes(":") ? `[${e.QUORUM_HOST}]` : e.QUORUM_HOST}:${e.QUORUM_PORT}`
    ).replace(/\/+$/, ""),
    secret: e.QUORUM_EMAIL_SECRET ?? null,
    cap: e.QUORUM_EMAIL_CAP,
    capDays: e.QUORUM_EMAIL_CAP_DAYS,
    maxAttempts: e.QUORUM_EMAIL_MAX_ATTEMPTS,
  };
}

/** `:memory:` stays in memory; `sqlite:` prefixes are accepted; paths resolve against the working directory. */
function sqliteFile(url: string | undefined, dataDir: string): string {
  if (!url) return resolve(dataDir, "quorum.sqlite");
  const path = url.replace(/^sqlite:(\/\/)?/, "");
  return path === ":memory:" ? path : resolve(path);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.QUORUM_DATA_DIR);
  const url = e.DATABASE_URL?.trim();
  const database =
    url && /^postgres(ql)?:\/\//.test(url)
      ? ({
          kind: "postgres",
          url,
          poolSize: e.QUORUM_PG_POOL_SIZE,
          workerPoolSize: e.QUORUM_PG_WORKER_POOL_SIZE,
          detailsFeed: e.QUORUM_PG_DETAILS_FEED === "on",
          statementTimeoutMs: e.QUORUM_PG_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: e.QUORUM_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        } as const)
      : ({ kind: "sqlite", file: sqliteFile(url, dataDir) } as const);
  return {
    host: e.QUORUM_HOST,
    port: e.QUORUM_PORT,
    dataDir,
    database,
    timeZone: e.QUORUM_TIME_ZONE,
    scoringModel: e.QUORUM_SCORING_MODEL,
    windowDays: e.QUORUM_WINDOW_DAYS,
    bootstrapToken: e.QUORUM_BOOTSTRAP_TOKEN ?? null,
    demoData: e.QUORUM_DEMO_DATA === "true",
    log: e.QUORUM_LOG,
    email: emailConfig(e, dataDir),
    connectors: {
      syncIntervalMinutes: e.QUORUM_SYNC_INTERVAL_MINUTES,
      publicUrl: emailConfig(e, dataDir).publicUrl,
    },
    lifecycle: {
      maintenanceIntervalHours: e.QUORUM_MAINTENANCE_INTERVAL_HOURS,
      jobLeaseSeconds: e.QUORUM_JOB_LEASE_SECONDS,
      jobBatchSize: e.QUORUM_JOB_BATCH_SIZE,
      scheduleTickSeconds: e.QUORUM_SCHEDULE_TICK_SECONDS,
      llm: e.QUORUM_LLM_URL
        ? {
            url: e.QUORUM_LLM_URL.replace(/\/+$/, ""),
            model: e.QUORUM_LLM_MODEL,
            apiKey: e.QUORUM_LLM_API_KEY ?? null,
            timeoutMs: e.QUORUM_LLM_TIMEOUT_MS,
          }
        : null,
    },
    secrets: Object.fromEntries(
      SECRET_VARIABLES.flatMap((name) => {
        const value = (e as Record<string, unknown>)[name];
        return typeof value === "string" ? [[name, value]] : [];
      }),
    ),
    allowedHosts: e.QUORUM_ALLOWED_HOSTS,
    sso: ssoConfig(e),
    events: { commitMs: e.QUORUM_EVENTS_COMMIT_MS, commitMax: e.QUORUM_EVENTS_COMMIT_MAX },
    workers: e.QUORUM_WORKERS,
    workerNice: e.QUORUM_WORKER_NICE,
  };
}
