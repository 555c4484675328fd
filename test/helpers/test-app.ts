import { randomBytes } from "node:crypto";
import pg from "pg";
import { createApp } from "../../server/app";
import { tokenKey } from "../../server/auth/token-secret";
import { createUserWithToken } from "../../server/auth/tokens.repo";
import { openDatabase } from "../../server/bootstrap";
import { type Config, loadConfig } from "../../server/config";
import type { Deps } from "../../server/deps";
import { type DetailsFeed, type DetailsFeedOptions, startDetailsFeed } from "../../server/groups/details-feed";

export interface TestContext {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  tokens: { admin: string; marketer: string; sales: string };
  /** The clock the app reads; tests move it. */
  clock: { now: Date };
  /** JSON request as `token` (admin by default); returns status and parsed body. */
  call: <T = any>(method: string, path: string, body?: unknown, token?: string | null) => Promise<{ status: number; body: T }>;
  close: () => Promise<void>;
  /** PostgreSQL with `detailsFeed`: the app's details feed (server/groups/details-feed.ts). */
  feed?: DetailsFeed;
}

/**
 * A real app on a real SQLite database (in memory, migrated like production) with one token per
 * role. `DATABASE_URL` switches the suite to another database.
 */
export async function createTestContext(
  options: { now?: Date; env?: Record<string, string>; detailsFeed?: DetailsFeedOptions } = {},
): Promise<TestContext> {
  const pgUrl = process.env.QUORUM_TEST_DATABASE_URL;
  const schema = pgUrl ? await createPgSchema(pgUrl) : null;
  const config: Config = loadConfig({
    QUORUM_DATA_DIR: "./data/test",
    DATABASE_URL: pgUrl && schema ? withSearchPath(pgUrl, schema) : ":memory:",
    QUORUM_PG_POOL_SIZE: "4",
    QUORUM_LOG: "silent",
    // A file database (PostgreSQL here) would otherwise generate the token secret into ./data/test.
    QUORUM_TOKEN_SECRET: "test-token-secret-0123456789abcdef0123456789",
    // The extension and console tests bind their clients to the app as http://quorum.test (Host check).
    QUORUM_ALLOWED_HOSTS: "quorum.test",
    ...options.env,
  });
  const db = await openDatabase(config);
  const clock = { now: options.now ?? new Date("2026-11-23T12:00:00.000Z") };
  const deps: Deps = { db, config, clock: () => clock.now };
  const feed =
    options.detailsFeed && config.database.kind === "postgres"
      ? await startDetailsFeed(config.database, options.detailsFeed)
      : undefined;
  const app = createApp(deps, { detailsFeed: feed });
  const now = clock.now.toISOString();
  const make = async (role: "admin" | "marketer" | "sales") =>
    (await createUserWithToken(db, { name: `${role} tester`, role, tokenName: role, now, key: tokenKey(config) })).token;
  const tokens = { admin: await make("admin"), marketer: await make("marketer"), sales: await make("sales") };
  const call: TestContext["call"] = async (method, path, body, token = tokens.admin) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const close = async () => {
    await feed?.close();
    await db.destroy();
    if (pgUrl && schema) await dropPgSchema(pgUrl, schema);
  };
  return { app, deps, tokens, clock, call, close, feed };
}

/** QUORUM_TEST_DATABASE_URL=postgres://… runs the suite on PostgreSQL: one fresh schema per test context. */
async function createPgSchema(url: string): Promise<string> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return schema;
}

async function dropPgSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}
