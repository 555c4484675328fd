import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Config } from "../config";
import { loadOrCreateSecret } from "../secrets/secret-file";

/**
 * CRM credentials at rest: AES-256-GCM with a random 96-bit nonce per value; the envelope is
 * `v1.<nonce>.<ciphertext>.<tag>` (base64url). The key comes from QUORUM_CONNECTOR_KEY (any text of 32+
 * characters, through HKDF: give every server process the same), else it is generated once into
 * `<data dir>/connector.key` with mode 0600 (server/secrets/secret-file.ts).
 */
const keys = new WeakMap<Config, Buffer>();

/** The 32-byte key for connector secrets (see above). */
export function connectorKey(config: Config): Buffer {
  let key = keys.get(config);
  if (!key) {
    key = loadOrCreateSecret(config, { env: "QUORUM_CONNECTOR_KEY", file: "connector.key", bytes: 32 });
    keys.set(config, key);
  }
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
