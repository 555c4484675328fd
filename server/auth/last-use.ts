import type { Db } from "../db/create-db";
import { recordTokenUse } from "./tokens.repo";

/** A token's last use is written at most this often (ms) by one process; in between it is only remembered. */
export const LAST_USE_WRITE_MS = 60_000;
const REMEMBERED_MAX = 10_000;

/**
 * Records token use without a write per request: the first use a process sees is written at once,
 * later ones only when the last write for that token is a minute old. So `last_used_at` is at most a
 * minute behind the true last use, and a token used all day costs one small UPDATE a minute.
 * A failed write (a busy database) is dropped: the next one a minute later catches up.
 */
export function lastUseRecorder(db: Db, log: (msg: string, err: unknown) => void = () => {}) {
  const written = new Map<string, number>();
  return async function record(tokenId: string, now: Date): Promise<void> {
    const last = written.get(tokenId);
    if (last !== undefined && now.getTime() - last < LAST_USE_WRITE_MS) return;
    written.delete(tokenId);
    written.set(tokenId, now.getTime());
    if (written.size > REMEMBERED_MAX) written.delete(written.keys().next().value!);
    try {
      await recordTokenUse(db, tokenId, now.toISOString());
    } catch (err) {
      log("Could not record a token's last use", err);
    }
  };
}
