import { randomBytes } from "node:crypto";
import type {
  Connection,
  ConnectionAuthT,
  CreateConnectionInput,
  SyncRun,
  UpdateConnectionInput,
} from "../../shared/api/connections";
import { notFound, QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import { isUniqueViolation } from "../db/errors";
import { newId } from "../db/ids";
import { toJson } from "../db/json";
import type { Deps } from "../deps";
import { listEvents } from "../events/events.repo";
import {
  type ConnectionRow,
  getConnectionRow,
  latestRuns,
  openSecrets,
  type Secrets,
  sealSecrets,
  setConnectionStatus,
  toConnection,
  toSyncRun,
  writebackSummaries,
} from "./connections.repo";
import { ConnectorError, defaultRetryPolicy } from "./errors";
import { buildConnector, DEFAULT_URLS } from "./registry";
import { enqueueRun, getRun, listRuns } from "./sync-runs.repo";

const AUTH_KINDS = { salesforce: ["oauth", "password", "jwt"], hubspot: ["oauth", "private_app"] } as const;

/** The field a refused credential is named by in a 400. */
const CREDENTIAL_FIELD: Record<ConnectionAuthT["kind"], string> = {
  oauth: "auth.clientId",
  private_app: "auth.accessToken",
  password: "auth.password",
  jwt: "auth.privateKey",
};

function secretsOf(auth: ConnectionAuthT): Secrets {
  switch (auth.kind) {
    case "oauth":
      return auth.clientSecret ? { clientSecret: auth.clientSecret } : {};
    case "private_app":
      return { accessToken: auth.accessToken };
    case "password":
      return { clientSecret: auth.clientSecret, password: auth.password, securityToken: auth.securityToken };
    case "jwt":
      return { privateKey: auth.privateKey };
  }
}

const invalid = (field: string, message: string) =>
  new QuorumError(400, "validation_failed", `Invalid request body: ${field} ${message}`, { issues: [{ field, message }] });

/**
 * Signs in with the stored credentials and asks who they are; a refusal becomes a 400 naming the
 * credential field and the CRM's reason, an unreachable CRM a 400 naming the URL.
 */
async function checkCredentials(deps: Deps, row: ConnectionRow): Promise<string> {
  const connector = await buildConnector(deps, row, { ...defaultRetryPolicy(), attempts: 2, baseMs: 500, maxWaitMs: 5_000 });
  try {
    await connector.signIn();
    const who = await connector.whoAmI();
    await connector.settle();
    return who;
  } catch (err) {
    await connector.settle();
    if (!(err instanceof ConnectorError)) throw err;
    const crm = row.crm === "salesforce" ? "Salesforce" : "HubSpot";
    if (err.kind === "auth")
      throw invalid(
        CREDENTIAL_FIELD[row.auth_kind as ConnectionAuthT["kind"]],
        `was refused by ${crm}: ${err.message} Check the credentials and try again.`,
      );
    if (err.kind === "transient")
      throw invalid(row.crm === "salesforce" ? "loginUrl" : "baseUrl", `could not be reached: ${err.message} Check the URL.`);
    throw invalid("auth", `did not work: ${err.message}`);
  }
}

export async function listConnections(deps: Deps): Promise<Connection[]> {
  const rows = await deps.db.selectFrom("crm_connections").selectAll().orderBy("created_at").execute();
  const runs = await latestRuns(
    deps.db,
    rows.map((r) => r.id),
  );
  const outboxes = await writebackSummaries(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toConnection(deps.config, r, runs.get(r.id) ?? null, outboxes.get(r.id)));
}

export async function getConnection(deps: Deps, id: string): Promise<Connection> {
  const row = await getConnectionRow(deps.db, id);
  if (!row) throw notFound("Connection", id);
  const runs = await latestRuns(deps.db, [id]);
  const outboxes = await writebackSummaries(deps.db, [id]);
  return toConnection(deps.config, row, runs.get(id) ?? null, outboxes.get(id));
}

/** The event-feed position now: write-back starts with changes made after it is switched on. */
async function feedEnd(deps: Deps): Promise<string | null> {
  let cursor: string | null = null;
  for (;;) {
    const page = await listEvents(deps.db, cursor ?? undefined, 1000, { settleWaitMs: 0 });
    if (page.items.length === 0) return cursor;
    cursor = page.next;
  }
}

export async function createConnection(deps: Deps, input: CreateConnectionInput, userId: string | null): Promise<Connection> {
  const kinds: readonly string[] = AUTH_KINDS[input.crm];
  if (!kinds.includes(input.auth.kind)) throw invalid("auth.kind", `must be one of ${kinds.join(", ")} for ${input.crm}`);
  const now = deps.clock().toISOString();
  const defaults = DEFAULT_URLS[input.crm];
  const row: ConnectionRow = {
    id: newId("con"),
    crm: input.crm,
    name: input.name,
    auth_kind: input.auth.kind,
    base_url: input.baseUrl ?? defaults.baseUrl ?? "",
    login_url: input.loginUrl ?? defaults.loginUrl,
    client_id: "clientId" in input.auth ? input.auth.clientId : null,
    username: "username" in input.auth ? input.auth.username : null,
    secrets: sealSecrets(deps.config, secretsOf(input.auth)),
    status: input.auth.kind === "oauth" ? "needs_sign_in" : "connected",
    status_reason: input.auth.kind === "oauth" ? "Sign in to the CRM to finish the connection." : null,
    settings: toJson(input.settings),
    writeback_cursor: await feedEnd(deps),
    last_sync_at: null,
    created_at: now,
    updated_at: now,
  };
  let who: string | null = null;
  if (input.auth.kind !== "oauth") who = await checkCredentials(deps, row);
  // Tokens the check obtained are kept (sealed) with the row.
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto("crm_connections").values(row).execute();
      await writeAudit(trx, [
        {
          at: now,
          actorUserId: userId,
          source: "manual",
          action: "connection.created",
          entityType: "connection",
          entityId: row.id,
          groupId: null,
          details: { crm: row.crm, authKind: row.auth_kind, signedInAs: who },
        },
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new QuorumError(409, "conflict", `There is already a ${input.crm} connection; edit it or delete it first.`, {
        crm: input.crm,
      });
    throw err;
  }
  return getConnection(deps, row.id);
}

export async function updateConnection(
  deps: Deps,
  id: string,
  input: UpdateConnectionInput,
  userId: string | null,
): Promise<Connection> {
  const row = await getConnectionRow(deps.db, id);
  if (!row) throw notFound("Connection", id);
  const now = deps.clock().toISOString();
  const next: ConnectionRow = { ...row, updated_at: now };
  if (input.name) next.name = input.name;
  if (input.baseUrl) next.base_url = input.baseUrl;
  if (input.loginUrl) next.login_url = input.loginUrl;
  if (input.settings) {
    const wasOn = JSON.parse(row.settings)?.writeback?.enabled === true;
    next.settings = toJson(input.settings);
    if (input.settings.writeback.enabled && !wasOn) next.writeback_cursor = await feedEnd(deps);
  }
  if (input.auth) {
    const kinds: readonly string[] = AUTH_KINDS[row.crm as keyof typeof AUTH_KINDS];
    if (!kinds.includes(input.auth.kind)) throw invalid("auth.kind", `must be one of ${kinds.join(", ")} for ${row.crm}`);
    next.auth_kind = input.auth.kind;
    next.client_id = "clientId" in input.auth ? input.auth.clientId : null;
    next.username = "username" in input.auth ? input.auth.username : null;
    next.secrets = sealSecrets(deps.config, secretsOf(input.auth));
    next.status = input.auth.kind === "oauth" ? "needs_sign_in" : "connected";
    next.status_reason = input.auth.kind === "oauth" ? "Sign in to the CRM to finish the connection." : null;
    if (input.auth.kind !== "oauth") await checkCredentials(deps, next);
  } else if (input.baseUrl || input.loginUrl) {
    if (next.auth_kind !== "oauth" || openSecrets(deps.config, next).refreshToken) await checkCredentials(deps, next);
  }
  const { id: _id, created_at: _c, ...values } = next;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable("crm_connections").set(values).where("id", "=", id).execute();
    await writeAudit(trx, [
      {
        at: now,
        actorUserId: userId,
        source: "manual",
        action: "connection.updated",
        entityType: "connection",
        entityId: id,
        groupId: null,
        details: { fields: Object.keys(input) },
      },
    ]);
  });
  return getConnection(deps, id);
}

export async function deleteConnection(deps: Deps, id: string, userId: string | null): Promise<void> {
  const row = await getConnectionRow(deps.db, id);
  if (!row) throw notFound("Connection", id);
  const now = deps.clock().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("crm_connections").where("id", "=", id).execute();
    await writeAudit(trx, [
      {
        at: now,
        actorUserId: userId,
        source: "manual",
        action: "connection.deleted",
        entityType: "connection",
        entityId: id,
        groupId: null,
        details: { crm: row.crm },
      },
    ]);
  });
}

/** Signs in with what is stored and says who that is; the connection's status follows. */
export async function testConnection(deps: Deps, id: string): Promise<{ ok: true; signedInAs: string }> {
  const row = await getConnectionRow(deps.db, id);
  if (!row) throw notFound("Connection", id);
  const now = deps.clock().toISOString();
  try {
    const who = await checkCredentials(deps, row);
    await setConnectionStatus(deps.db, id, "connected", null, now);
    return { ok: true, signedInAs: who };
  } catch (err) {
    if (err instanceof QuorumError) {
      const reason = (err.details as { issues?: Array<{ message: string }> })?.issues?.[0]?.message ?? err.message;
      if (/refused/.test(reason)) await setConnectionStatus(deps.db, id, "needs_sign_in", reason, now);
    }
    throw err;
  }
}

export async function startSync(
  deps: Deps,
  id: string,
  kind: "full" | "incremental",
  trigger: "manual" | "cli" | "schedule",
  userId: string | null,
) {
  const row = await getConnectionRow(deps.db, id);
  if (!row) throw notFound("Connection", id);
  if (row.status === "needs_sign_in")
    throw new QuorumError(
      409,
      "conflict",
      `The connection needs a sign-in first: ${row.status_reason ?? "sign in from the Connections screen."}`,
      { status: row.status },
    );
  const { run, created } = await enqueueRun(deps.db, id, kind, trigger, userId, deps.clock().toISOString());
  return { run: toSyncRun(run), created };
}

export async function connectionRuns(deps: Deps, id: string, limit: number): Promise<SyncRun[]> {
  if (!(await getConnectionRow(deps.db, id))) throw notFound("Connection", id);
  return (await listRuns(deps.db, id, limit)).map(toSyncRun);
}

export async function syncRun(deps: Deps, runId: string): Promise<SyncRun> {
  const r = await getRun(deps.db, runId);
  if (!r) throw notFound("Sync run", runId);
  return toSyncRun(r);
}

export const newOAuthState = () => randomBytes(24).toString("base64url");
