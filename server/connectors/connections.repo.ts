import {
  type Connection,
  ConnectionSettings,
  type ConnectionSettingsT,
  type ConnectorCrm,
  type SkippedRecord,
  type SyncRun,
  type WritebackSummary,
} from "../../shared/api/connections";
import type { Config } from "../config";
import type { Db } from "../db/create-db";
import { parseJson, toJson } from "../db/json";
import type { CrmConnectionsTable, CrmSyncRunsTable } from "../db/schema";
import { connectorKey, decryptSecret, encryptSecret } from "./crypto";

export type ConnectionRow = CrmConnectionsTable;

/** Every secret a connection may hold; stored only inside the encrypted envelope. */
export interface Secrets {
  clientSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  password?: string;
  securityToken?: string;
  privateKey?: string;
}

export const sealSecrets = (config: Config, s: Secrets): string => encryptSecret(connectorKey(config), toJson(s));
export function openSecrets(config: Config, row: Pick<ConnectionRow, "secrets">): Secrets {
  return row.secrets ? (JSON.parse(decryptSecret(connectorKey(config), row.secrets)) as Secrets) : {};
}

export const settingsOf = (row: Pick<ConnectionRow, "settings">): ConnectionSettingsT =>
  ConnectionSettings.parse(parseJson(row.settings, {}));

export function toSyncRun(r: CrmSyncRunsTable): SyncRun {
  return {
    id: r.id,
    connectionId: r.connection_id,
    kind: r.kind as SyncRun["kind"],
    trigger: r.trigger as SyncRun["trigger"],
    status: r.status as SyncRun["status"],
    stream: r.stream,
    progress: { fetched: r.fetched, written: r.written, deleted: r.deleted, skipped: r.skipped_count, apiCalls: r.api_calls },
    skipped: parseJson<SkippedRecord[]>(r.skipped, []),
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

const EMPTY_OUTBOX: WritebackSummary = { queued: 0, failed: 0, sent: 0, failures: [] };

/** The write-back outbox of each connection: counts by status and the latest rows with an error. */
export async function writebackSummaries(db: Db, connectionIds: string[]): Promise<Map<string, WritebackSummary>> {
  const out = new Map<string, WritebackSummary>();
  if (connectionIds.length === 0) return out;
  const counts = await db
    .selectFrom("crm_writeback_outbox")
    .select(["connection_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("connection_id", "in", connectionIds)
    .groupBy(["connection_id", "status"])
    .execute();
  for (const c of counts) {
    const s = out.get(c.connection_id) ?? { ...EMPTY_OUTBOX, failures: [] };
    if (c.status === "queued" || c.status === "failed" || c.status === "sent") s[c.status] = Number(c.n);
    out.set(c.connection_id, s);
  }
  for (const id of connectionIds) {
    const rows = await db
      .selectFrom("crm_writeback_outbox")
      .select(["record_id", "value", "attempts", "status", "last_error", "next_attempt_at", "created_at"])
      .where("connection_id", "=", id)
      .where("status", "in", ["queued", "failed"])
      .where("last_error", "is not", null)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(20)
      .execute();
    if (rows.length === 0) continue;
    const s = out.get(id) ?? { ...EMPTY_OUTBOX, failures: [] };
    s.failures = rows.map((r) => ({
      recordId: r.record_id,
      value: r.value,
      attempts: r.attempts,
      status: r.status as "queued" | "failed",
      error: r.last_error ?? "",
      at: r.created_at,
    }));
    out.set(id, s);
  }
  return out;
}

export function toConnection(
  config: Config,
  row: ConnectionRow,
  lastRun: CrmSyncRunsTable | null,
  outbox: WritebackSummary = EMPTY_OUTBOX,
): Connection {
  let stored: string[] = [];
  try {
    stored = Object.entries(openSecrets(config, row))
      .filter(([, v]) => typeof v === "string" && v !== "")
      .map(([k]) => k)
      .sort();
  } catch {
    stored = [];
  }
  return {
    id: row.id,
    crm: row.crm as ConnectorCrm,
    name: row.name,
    authKind: row.auth_kind as Connection["authKind"],
    baseUrl: row.base_url,
    loginUrl: row.login_url,
    clientId: row.client_id,
    username: row.username,
    secretsStored: stored,
    status: row.status as Connection["status"],
    statusReason: row.status_reason,
    settings: settingsOf(row),
    lastSyncAt: row.last_sync_at,
    lastRun: lastRun ? toSyncRun(lastRun) : null,
    writebackOutbox: outbox,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getConnectionRow(db: Db, id: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom("crm_connections").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function latestRuns(db: Db, connectionIds: string[]): Promise<Map<string, CrmSyncRunsTable>> {
  const out = new Map<string, CrmSyncRunsTable>();
  for (const id of connectionIds) {
    const r = await db
      .selectFrom("crm_sync_runs")
      .selectAll()
      .where("connection_id", "=", id)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (r) out.set(id, r);
  }
  return out;
}

export async function setConnectionStatus(db: Db, id: string, status: Connection["status"], reason: string | null, now: string) {
  await db.updateTable("crm_connections").set({ status, status_reason: reason, updated_at: now }).where("id", "=", id).execute();
}

/** Stores refreshed tokens (sealed) without touching the other secrets. */
export async function saveTokens(
  db: Db,
  config: Config,
  id: string,
  tokens: { accessToken?: string | null; refreshToken?: string | null },
  now: string,
) {
  const row = await getConnectionRow(db, id);
  if (!row) return;
  const s = openSecrets(config, row);
  if (tokens.accessToken) s.accessToken = tokens.accessToken;
  if (tokens.refreshToken) s.refreshToken = tokens.refreshToken;
  await db
    .updateTable("crm_connections")
    .set({ secrets: sealSecrets(config, s), updated_at: now })
    .where("id", "=", id)
    .execute();
}
