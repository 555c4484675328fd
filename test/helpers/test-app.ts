import { createApp } from "../../server/app";
import { createUserWithToken } from "../../server/auth/tokens.repo";
import { openDatabase } from "../../server/bootstrap";
import { type Config, loadConfig } from "../../server/config";
import type { Deps } from "../../server/deps";

export interface TestContext {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  tokens: { admin: string; marketer: string; sales: string };
  /** The clock the app reads; tests move it. */
  clock: { now: Date };
  /** JSON request as `token` (admin by default); returns status and parsed body. */
  call: <T = any>(method: string, path: string, body?: unknown, token?: string | null) => Promise<{ status: number; body: T }>;
  close: () => Promise<void>;
}

/**
 * A real app on a real SQLite database (in memory, migrated like production) with one token per
 * role. `DATABASE_URL` switches the suite to another database.
 */
export async function createTestContext(options: { now?: Date; env?: Record<string, string> } = {}): Promise<TestContext> {
  const config: Config = loadConfig({
    QUORUM_DATA_DIR: "./data/test",
    DATABASE_URL: ":memory:",
    QUORUM_LOG: "silent",
    ...options.env,
  });
  const db = await openDatabase(config);
  const clock = { now: options.now ?? new Date("2026-11-23T12:00:00.000Z") };
  const deps: Deps = { db, config, clock: () => clock.now };
  const app = createApp(deps);
  const now = clock.now.toISOString();
  const make = async (role: "admin" | "marketer" | "sales") =>
    (await createUserWithToken(db, { name: `${role} tester`, role, tokenName: role, now })).token;
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
  return { app, deps, tokens, clock, call, close: () => db.destroy() };
}
