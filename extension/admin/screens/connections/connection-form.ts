/**
 * The Connections screen's pure logic: which sign-in fields each CRM and method needs, the request
 * body a form makes, the role mapping's `role = CRM value` lines, and whether a run is still moving.
 */
import type { ConnectionAuthT, ConnectorCrm, SyncRun } from "../../../../shared/api/connections";

export type AuthKind = ConnectionAuthT["kind"];

export const AUTH_KINDS: Record<ConnectorCrm, AuthKind[]> = {
  salesforce: ["oauth", "password", "jwt"],
  hubspot: ["private_app", "oauth"],
};

export type FieldName = "clientId" | "clientSecret" | "username" | "password" | "securityToken" | "privateKey" | "accessToken";

export const AUTH_FIELDS: Record<AuthKind, FieldName[]> = {
  oauth: ["clientId", "clientSecret"],
  private_app: ["accessToken"],
  password: ["clientId", "clientSecret", "username", "password", "securityToken"],
  jwt: ["clientId", "username", "privateKey"],
};

export interface ConnectionForm {
  crm: ConnectorCrm;
  name: string;
  authKind: AuthKind;
  baseUrl: string;
  loginUrl: string;
  fields: Partial<Record<FieldName, string>>;
}

export const emptyForm = (crm: ConnectorCrm = "salesforce"): ConnectionForm => ({
  crm,
  name: crm === "salesforce" ? "Salesforce" : "HubSpot",
  authKind: AUTH_KINDS[crm][0]!,
  baseUrl: "",
  loginUrl: "",
  fields: {},
});

/** The POST /api/connections body; blank optional fields are left out so the server's defaults apply. */
export function createBody(f: ConnectionForm) {
  const auth: Record<string, string> = { kind: f.authKind };
  for (const k of AUTH_FIELDS[f.authKind]) {
    const v = (f.fields[k] ?? "").trim();
    if (v !== "" || (k !== "clientSecret" && k !== "securityToken")) auth[k] = k === "privateKey" ? (f.fields[k] ?? "") : v;
  }
  return {
    crm: f.crm,
    name: f.name.trim(),
    ...(f.baseUrl.trim() ? { baseUrl: f.baseUrl.trim() } : {}),
    ...(f.loginUrl.trim() ? { loginUrl: f.loginUrl.trim() } : {}),
    auth,
  };
}

/** `decision-maker = DECISION_MAKER` lines → mapping; problems name the line. */
export function parseRoleMapping(text: string): {
  mapping: Record<string, string>;
  errors: Array<{ line: number; text: string }>;
} {
  const mapping: Record<string, string> = {};
  const errors: Array<{ line: number; text: string }> = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^([^=]+?)\s*=\s*(.+)$/.exec(line);
    if (!m) errors.push({ line: i + 1, text: line });
    else mapping[m[1]!.trim()] = m[2]!.trim();
  });
  return { mapping, errors };
}

export const formatRoleMapping = (mapping: Record<string, string>) =>
  Object.entries(mapping)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");

/** A run that is queued, running or paused keeps the screen polling. */
export const isActive = (run: SyncRun | null | undefined) =>
  run !== null && run !== undefined && ["queued", "running", "paused"].includes(run.status);
