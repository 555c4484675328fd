import { randomBytes } from "node:crypto";
import type { Deps } from "../deps";
import { ensureSetting } from "../email/email.repo";

const SETTING = "sso.signing_key";
const keys = new WeakMap<Deps["db"], Promise<Uint8Array>>();

/**
 * The key that signs Quorum's access tokens (HMAC-SHA256): QUORUM_SSO_SIGNING_KEY, else 32 random bytes generated once
 * and kept in the database, so every server process on the same database accepts the others' tokens. The one place
 * that knows where the key lives (the lead may point it at server/secrets' loadOrCreateSecret at integration).
 */
export function loadSigningKey(deps: Pick<Deps, "db" | "config">): Promise<Uint8Array> {
  const configured = deps.config.sso?.signingKey;
  if (configured) return Promise.resolve(new TextEncoder().encode(configured));
  let key = keys.get(deps.db);
  if (!key) {
    key = ensureSetting(deps.db, SETTING, () => randomBytes(32).toString("base64url")).then((v) => new TextEncoder().encode(v));
    keys.set(deps.db, key);
    key.catch(() => keys.delete(deps.db));
  }
  return key;
}
