import { resolve } from "node:path";
import { z } from "zod";
import { isValidTimeZone } from "../shared/scoring/days";

/** The only reader of the environment. Every setting has a default that works out of the box. */
const EnvSchema = z.object({
  QUORUM_HOST: z.string().min(1).default("127.0.0.1"),
  QUORUM_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  QUORUM_DATA_DIR: z.string().min(1).default("./data"),
  /** `postgres://…` for PostgreSQL; otherwise a SQLite file path (default `<data dir>/quorum.sqlite`). */
  DATABASE_URL: z.string().optional(),
  QUORUM_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
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
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string; poolSize: number };
  timeZone: string;
  scoringModel: "count" | "weighted";
  windowDays: number;
  bootstrapToken: string | null;
  demoData: boolean;
  log: "silent" | "info";
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
      ? ({ kind: "postgres", url, poolSize: e.QUORUM_PG_POOL_SIZE } as const)
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
  };
}
