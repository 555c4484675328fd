import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config";

/**
 * CRM credentials at rest: AES-256-GCM with a random 96-bit nonce per value; the envelope is
 * `v1.<nonce>.<ciphertext>.<tag>` (base64url). The key comes from QUORUM_CONNECTOR_KEY, else it is
 * generated once into `<data dir>/connector-key` with mode 0600.
 *
 * Integration note: the `security` helper is adding `server/secrets/secret-file.ts`
 * (`loadOrCreateSecret`); `connectorKey` is the one function to switch over to it.
 */
const cache = new Map<string, Buffer>();

function decodeKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw new Error("QUORUM_CONNECTOR_KEY must be 32 bytes (64 hex characters or base64)");
  return key;
}

/** The 32-byte key for connector secrets (see above). */
export function connectorKey(config: Config): Buffer {
  if (config.connectors.key) return decodeKey(config.connectors.key);
  const file = join(config.dataDir, "connector-key");
  const cached = cache.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    // `wx`: two processes starting at once cannot both write a key; the loser reads the winner's.
    try {
      writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  chmodSync(file, 0o600);
  const key = decodeKey(readFileSync(file, "utf8"));
  cache.set(file, key);
  return key;
}

export function encryptSecret(key: Buffer, plain: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", nonce.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** Throws when the envelope was altered or was written with another key. */
export function decryptSecret(key: Buffer, envelope: string): string {
  const [v, nonce, body, tag] = envelope.split(".");
  if (v !== "v1" || !nonce || body === undefined || !tag) throw new Error("not a Quorum secret envelope");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
