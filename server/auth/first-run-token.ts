import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config";
import type { Db } from "../db/create-db";
import { ensurePrivateDir, PRIVATE_FILE_MODE } from "../secrets/private-files";
import { tokenKey } from "./token-secret";
import { createUserWithToken } from "./tokens.repo";

/** Where the first-run admin token is kept (0600 in the 0700 data directory). */
export const adminTokenFile = (config: Config) => join(config.dataDir, "admin-token.txt");

/**
 * First run (or the file was deleted): creates an admin user with a token and keeps the token in
 * `<data dir>/admin-token.txt`. Returns the token only when it was created now, so the caller prints
 * it once; on later starts it returns null (the token stays in the file, and is not printed again).
 */
export async function ensureFirstRunAdminToken(db: Db, config: Config): Promise<string | null> {
  const file = adminTokenFile(config);
  if (existsSync(file)) return null;
  const { token } = await createUserWithToken(db, {
    name: "Admin",
    role: "admin",
    tokenName: "first-run admin",
    now: new Date().toISOString(),
    key: tokenKey(config),
  });
  ensurePrivateDir(config.dataDir);
  writeFileSync(file, `${token}\n`, { mode: PRIVATE_FILE_MODE });
  return token;
}
