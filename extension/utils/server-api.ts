/**
 * The background's calls to the Quorum server through the typed client. Every failure becomes an {@link ApiError} with a
 * kind the UI can act on: unreachable, wrong token (401), incompatible server version, or the server's own message.
 */
import type { Account, AccountLookupResult, CreateAccountInput } from "../../shared/api/accounts";
import type { Page } from "../../shared/api/common";
import type { Email, EmailPreview, SendEmailResult, Workspace } from "../../shared/api/emails";
import type { GroupDetails, GroupScores, GroupSummary, MemberDetails } from "../../shared/api/groups";
import type { MemberChangeResult } from "../../shared/api/members";
import type { CreatePersonResult, Person } from "../../shared/api/people";
import type { SolutionInterest } from "../../shared/api/solution-interests";
import type { RoleTemplate } from "../../shared/api/templates";
import { createApiClient } from "../api/client";
import type { Language } from "./i18n";
import type { ActionError, DuplicateMembers, ErrorKind, GroupStage, Me, NextRole, StaleMembers, Timeline } from "./messages";

/** The API major version this extension speaks. */
export const EXTENSION_API_MAJOR = 1;

const REQUEST_TIMEOUT_MS = 15_000;

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  constructor(kind: ErrorKind, message: string, status?: number) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.status = status;
  }
  toJSON(): ActionError {
    return { kind: this.kind, message: this.message, ...(this.status === undefined ? {} : { status: this.status }) };
  }
}

interface ResponseLike {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

function kindOf(status: number): ErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 400 || status === 409 || status === 422) return "invalid";
  return "server";
}

/** Awaits a client call; throws ApiError("unreachable") on network failure, ApiError(kind by status) on a non-2xx answer. */
export async function expectOk<T>(call: Promise<ResponseLike>): Promise<T> {
  let res: ResponseLike;
  try {
    res = await call;
  } catch (e) {
    throw new ApiError("unreachable", e instanceof Error ? e.message : String(e));
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = (body as { error?: { message?: string } } | null)?.error;
    throw new ApiError(kindOf(res.status), err?.message ?? `HTTP ${res.status}`, res.status);
  }
  return body as T;
}

/** major(version) === the extension's major; "1.4.0" → true. */
export function isCompatible(apiVersion: string): boolean {
  return Number.parseInt(apiVersion.split(".")[0] ?? "", 10) === EXTENSION_API_MAJOR;
}

export function createServerApi(baseUrl: string, token: string, fetchImpl?: typeof fetch) {
  // A server that accepts the connection but never answers must not leave the panel loading forever.
  const timed: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const api = createApiClient(baseUrl, token, fetchImpl ?? timed).api;
  return {
    async me(): Promise<Me> {
      const me = await expectOk<Me>(api.me.$get());
      if (!isCompatible(me.apiVersion)) {
        throw new ApiError(
          "incompatible",
          `The server speaks API ${me.apiVersion}; this extension needs ${EXTENSION_API_MAJOR}.x. Update the server or the extension.`,
        );
      }
      return me;
    },
    lookupAccount: (query: { crm?: string; recordId?: string; domain?: string; name?: string }) =>
      expectOk<AccountLookupResult>(api.accounts.lookup.$get({ query })),
    searchAccounts: (q: string) => expectOk<Page<Account>>(api.accounts.$get({ query: { q, limit: "20" } as never })),
    createAccount: (json: Partial<CreateAccountInput> & { name: string }) =>
      expectOk<{ id: string }>(api.accounts.$post({ json: json as CreateAccountInput })),
    linkAccount: (id: string, crm: string, recordId: string) =>
      expectOk<unknown>(api.accounts[":id"].links.$post({ param: { id }, json: { crm, recordId } })),
    accountPeople: (id: string, q: string) =>
      expectOk<Page<Person>>(
        api.accounts[":id"].people.$get({ param: { id }, query: { ...(q ? { q } : {}), limit: "200" } as never }),
      ),
    createPerson: (json: {
      accountId: string;
      firstName: string;
      lastName: string;
      email: string | null;
      phone: string | null;
      jobTitle: string | null;
    }) => expectOk<CreatePersonResult>(api.people.$post({ json: json as never })),
    groupsForAccount: (accountId: string) =>
      expectOk<Page<GroupSummary>>(api.groups.$get({ query: { accountId, limit: "200" } as never })),
    createGroup: (accountId: string, solutionInterestId: string) =>
      expectOk<GroupSummary>(api.groups.$post({ json: { accountId, solutionInterestId } })),
    groupDetails: (id: string, lang: Language = "en") =>
      expectOk<GroupDetails>(api.groups[":id"].$get({ param: { id }, query: { lang } })),
    memberDetails: (id: string, personId: string, lang: Language = "en") =>
      expectOk<MemberDetails>(api.groups[":id"].members[":personId"].$get({ param: { id, personId }, query: { lang } })),
    assign: (id: string, members: Array<{ personId: string; roleKey: string }>) =>
      expectOk<MemberChangeResult>(api.groups[":id"].members.$post({ param: { id }, json: { members } })),
    remove: (id: string, personIds: string[]) =>
      expectOk<MemberChangeResult>(api.groups[":id"].members.remove.$post({ param: { id }, json: { personIds } })),
    changeRoles: (id: string, changes: Array<{ personId: string; roleKey: string }>) =>
      expectOk<MemberChangeResult>(api.groups[":id"].members.$patch({ param: { id }, json: { changes } })),
    scores: (id: string) => expectOk<GroupScores>(api.groups[":id"].scores.$get({ param: { id } })),
    staleMembers: (id: string) => expectOk<StaleMembers>(api.groups[":id"]["stale-members"].$get({ param: { id } })),
    duplicates: (id: string) => expectOk<DuplicateMembers>(api.groups[":id"].duplicates.$get({ param: { id } })),
    recompute: (id: string) => expectOk<unknown>(api.groups[":id"].scores.recompute.$post({ param: { id } })),
    solutionInterests: () => expectOk<{ items: SolutionInterest[] }>(api["solution-interests"].$get()),
    workspaces: () => expectOk<{ items: Workspace[] }>(api.workspaces.$get()),
    approvedEmails: (workspaceId: string) =>
      expectOk<{ items: Email[] }>(api.emails.$get({ query: { workspaceId, status: "approved" } })),
    previewEmail: (emailId: string, groupId: string, personId: string) =>
      expectOk<EmailPreview>(api.emails[":id"].preview.$post({ param: { id: emailId }, json: { groupId, personId } })),
    sendEmail: (groupId: string, emailId: string, personIds: string[], idempotencyKey: string) =>
      expectOk<SendEmailResult>(
        api.groups[":id"].emails.$post({ param: { id: groupId }, json: { emailId, personIds, idempotencyKey } }),
      ),
    nextRole: (id: string) => expectOk<NextRole>(api.groups[":id"]["next-role"].$get({ param: { id } })),
    timeline: (id: string, before?: string) =>
      expectOk<Timeline>(
        api.groups[":id"].timeline.$get({ param: { id }, query: { limit: "50", ...(before ? { before } : {}) } as never }),
      ),
    groupStage: (id: string) => expectOk<GroupStage>(api.groups[":id"].stage.$get({ param: { id } })),
    changeStage: async (id: string, stageId: string) => {
      await expectOk<unknown>(api.groups[":id"].stage.$post({ param: { id }, json: { stageId } }));
      return expectOk<GroupStage>(api.groups[":id"].stage.$get({ param: { id } }));
    },
    template: (id: string) => expectOk<RoleTemplate>(api["role-templates"][":id"].$get({ param: { id } })),
  };
}

export type ServerApi = ReturnType<typeof createServerApi>;
