import { createHash, createHmac } from "node:crypto";
import type { Config } from "../config";
import { loadOrCreateSecret } from "../secrets/secret-file";

/** The key token hashes are made with: QUORUM_TOKEN_SECRET, or `<data dir>/token-secret.key` (generated, 0600). */
export type TokenKey = Buffer;

export const TOKEN_SECRET = { env: "QUORUM_TOKEN_SECRET", file: "token-secret.key", bytes: 32 } as const;

const keys = new WeakMap<Config, TokenKey>();

/** The token key of this configuration (read or generated once per Config object). */
export function tokenKey(config: Config): TokenKey {
  let key = keys.get(config);
  if (!key) {
    key = loadOrCreateSecret(config, TOKEN_SECRET);
    keys.set(config, key);
  }
  return key;
}

/**
 * What is stored of a token: HMAC-SHA256 keyed with the server secret, so a copy of the database alone
 * (a backup, a leaked dump) is not enough to test guesses against the hashes.
 */
export const hashToken = (key: TokenKey, token: string): string => createHmac("sha256", key).update(token).digest("hex");

/** The scheme of rows written before migration 0009: a bare SHA-256, checked once and then upgraded. */
export const legacyHashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export const HASH_SCHEME = "hmac-sha256";
export const LEGACY_HASH_SCHEME = "sha256";
