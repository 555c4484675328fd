/**
 * The message protocol between content scripts / extension pages and the background (the only caller of the server).
 * Every response is a {@link Result}; errors carry a kind the UI turns into a state or a message.
 */
import type { Account, AccountLookupResult } from "../../shared/api/accounts";
import type { Email, EmailPreview, SendEmailResult, Workspace } from "../../shared/api/emails";
import type { GroupDetails, GroupScores, GroupSummary, MemberDetails } from "../../shared/api/groups";
import type { MemberChangeResult } from "../../shared/api/members";
import type { Person } from "../../shared/api/people";
import type { SolutionInterest } from "../../shared/api/solution-interests";
import type { TemplateRole } from "../../shared/api/templates";
import type { GroupStage, NextRole, Timeline } from "../admin/screens/group/group-api";
import type { CrmId } from "../crm";
import type { PageWords } from "../crm/labels";
import type { Settings } from "./settings";
import type { SsoStatus } from "./sso/sso-client";

/** A contact read from the page, without its DOM anchor; `key` identifies it within the page report. */
export interface ReportedContact {
  key: string;
  name: string;
  email: string | null;
  title: string | null;
  phone: string | null;
  crmContactId: string | null;
}

export interface ReportedPage {
  url: string;
  crm: CrmId;
  recordId: string;
  name: string | null;
  domain: string | null;
  contacts: ReportedContact[];
}

export type ErrorKind =
  | "unconfigured"
  | "unreachable"
  | "unauthorized"
  | "forbidden"
  | "incompatible"
  | "not-found"
  | "invalid"
  | "server"
  | "rejected";

export interface ActionError {
  kind: ErrorKind;
  message: string;
  status?: number;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export interface Me {
  id: string;
  name: string;
  role: string;
  apiVersion: string;
}

/** What a contact's inline control shows. */
export interface ContactState {
  key: string;
  member: { personId: string; roleKey: string; roleName: string } | null;
  /** the role the template's rules pre-choose for this contact from what the page shows; the button adds with it */
  suggested?: RoleChoice | null;
}

/** What the inline controls on a page add to, or why they cannot work. */
export type PageTarget =
  | {
      status: "ready";
      groupId: string;
      groupName: string;
      /** the group's solution interest, shown on the controls when the account has several groups; else null */
      label: string | null;
    }
  | {
      status: "unavailable";
      /** one translated line saying why and what to do; null: show nothing (nothing the rep can do on the page) */
      message: string | null;
      /** the reason may pass (server down): ask again after a while */
      retry: boolean;
    };

export interface PanelContext {
  tabId: number | null;
  page: ReportedPage | null;
}

/** Why a member is flagged as stale (`GET /groups/:id/stale-members`). */
export type StaleReason = "left_company" | "bounced" | "no_activity_in_window";

export interface StaleMembers {
  groupId: string;
  /** the engagement window: days (YYYY-MM-DD) in the organisation's time zone */
  window: { from: string; to: string };
  items: Array<{ personId: string; name: string; roleKey: string; reasons: StaleReason[] }>;
}

/** Sets of members that are likely the same person (`GET /groups/:id/duplicates`). */
export interface DuplicateMembers {
  groupId: string;
  items: Array<{ reason: "same_email" | "same_name"; key: string; personIds: string[] }>;
}

/** The quick checks on a group's members: stale members and likely duplicates. */
export interface MemberFlags {
  groupId: string;
  stale: StaleMembers;
  duplicates: DuplicateMembers;
}

export interface AccountResolution {
  lookup: AccountLookupResult;
  groups: GroupSummary[];
  /** the group the user last picked for this account (remembered by the background), if any */
  selectedGroupId?: string | null;
}

export type { GroupStage, NextRole, Timeline };

/** request type → [request fields, response data] */
export interface Protocol {
  // content script → background
  "page/report": [{ page: ReportedPage | null }, { target: PageTarget; states: ContactState[] }];
  "content/config": [{ _?: never }, { customCrms: Settings["customCrms"]; texts: ContentTexts; words: PageWords }];
  "contact/assign": [{ contactKey: string; roleKey?: string }, { state: ContactState; roles: RoleChoice[] | null }];
  "contact/undo": [{ contactKey: string }, ContactState];
  // extension pages → background
  "settings/get": [{ _?: never }, Settings];
  "settings/save": [{ settings: Settings }, Settings];
  "connection/test": [{ serverUrl: string; token: string }, Me];
  "custom-crms/register": [{ _?: never }, number];
  "panel/context": [{ _?: never }, PanelContext];
  "panel/select-group": [{ accountId: string; groupId: string }, null];
  "account/resolve": [{ page: ReportedPage }, AccountResolution];
  "account/search": [{ q: string }, Account[]];
  "account/create": [{ page: ReportedPage }, AccountResolution];
  "account/link": [{ accountId: string; page: ReportedPage }, AccountResolution];
  "group/details": [{ groupId: string }, GroupDetails];
  "group/scores": [{ groupId: string }, GroupScores];
  "group/recompute": [{ groupId: string }, GroupScores];
  "group/flags": [{ groupId: string }, MemberFlags];
  "group/create": [{ accountId: string; solutionInterestId: string }, GroupSummary];
  "group/member": [{ groupId: string; personId: string }, MemberDetails];
  "group/template-roles": [{ templateId: string }, TemplateRole[]];
  "group/next-role": [{ groupId: string }, NextRole];
  "group/timeline": [{ groupId: string; before?: string }, Timeline];
  "group/stage": [{ groupId: string }, GroupStage];
  "group/change-stage": [{ groupId: string; stageId: string }, GroupStage];
  "members/assign": [{ groupId: string; members: Array<{ personId: string; roleKey: string }> }, MemberChangeResult];
  "members/remove": [{ groupId: string; personIds: string[] }, MemberChangeResult];
  "members/change-role": [{ groupId: string; changes: Array<{ personId: string; roleKey: string }> }, MemberChangeResult];
  "account/people": [{ accountId: string; q: string }, Person[]];
  "emails/workspaces": [{ _?: never }, Workspace[]];
  "emails/list": [{ workspaceId: string }, Email[]];
  "emails/preview": [{ emailId: string; groupId: string; personId: string }, EmailPreview];
  "emails/send": [{ groupId: string; emailId: string; personIds: string[]; idempotencyKey: string }, SendEmailResult];
  "solution-interests/list": [{ _?: never }, SolutionInterest[]];
  // single sign-on (extension/utils/sso): the background signs in, renews and signs out; pages only ask
  "sso/status": [{ _?: never }, SsoStatus];
  "sso/sign-in": [{ interactive?: boolean }, SsoStatus];
  "sso/sign-out": [{ _?: never }, null];
  /** a current access token for extension pages that call the server themselves (the admin console) */
  "sso/access-token": [{ _?: never }, string];
}

/** The inline control's strings, translated by the background so content scripts carry no catalogue. */
export interface ContentTexts {
  add: string;
  adding: string;
  /** contains "{role}" */
  inGroupAs: string;
  undo: string;
  chooseRole: string;
  cancel: string;
  /** "{role}" */
  addAs: string;
  /** "{group}" */
  addTo: string;
  /** "{group}", "{role}" */
  addToAs: string;
  /** "{group}", "{role}" */
  inNamedGroupAs: string;
}

export interface RoleChoice {
  key: string;
  name: string;
}

export type RequestType = keyof Protocol;
export type Request<K extends RequestType = RequestType> = { [T in K]: { type: T } & Protocol[T][0] }[K];
export type Response<K extends RequestType> = Result<Protocol[K][1]>;

/** Requests only content scripts may send (from a CRM tab); every other request needs the extension's own origin. */
export const CONTENT_REQUESTS: ReadonlySet<RequestType> = new Set([
  "page/report",
  "content/config",
  "contact/assign",
  "contact/undo",
]);

/** Broadcast from the background to extension pages when a tab's page or a group's membership changed. */
export type Broadcast = { type: "broadcast/page"; tabId: number } | { type: "broadcast/group"; groupId: string };

/** Sent by the background to a CRM tab's content script: what the controls show may have changed; report again. */
export type TabNotice = { type: "content/refresh" };
