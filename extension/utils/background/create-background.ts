/**
 * The background's request handling, independent of the WXT entry point so it can be tested with fakeBrowser: it holds
 * the token, is the only caller of the server, remembers each tab's CRM page and answers content scripts and panel pages.
 */

import type { GroupDetails } from "../../../shared/api/groups";
import type { TemplateRole } from "../../../shared/api/templates";
import { chooseRole, ruleSubject } from "../../../shared/domain/role-rules";
import { type CrmAdapter, createCustomAdapter } from "../../crm";
import { type Language, loadLanguage, pickLanguage, translate } from "../i18n";
import type {
  Broadcast,
  ContactState,
  ContentTexts,
  Protocol,
  ReportedPage,
  Request,
  RequestType,
  Response,
  Result,
} from "../messages";
import { ApiError, type ServerApi } from "../server-api";
import { isConfigured, type Settings } from "../settings";
import { splitName } from "../split-name";
import { currentGroup, resolveAccount } from "./account-context";
import { checkSender, type SenderLike } from "./sender";

export interface BackgroundDeps {
  loadSettings(): Promise<Settings>;
  saveSettings(s: Settings): Promise<void>;
  createApi(serverUrl: string, token: string): ServerApi;
  broadcast(message: Broadcast): void;
  /** Registers content scripts for the user's self-hosted CRMs; returns how many are active. */
  registerCustomCrms(settings: Settings): Promise<number>;
  activeTabId(): Promise<number | null>;
  browserLanguage(): string;
  ownId: string;
  ownOrigin: string;
}

type Handlers = { [K in RequestType]: (req: Request<K>, tabId: number | null) => Promise<Protocol[K][1]> };

function customAdapters(settings: Settings): CrmAdapter[] {
  const out: CrmAdapter[] = [];
  for (const c of settings.customCrms) {
    try {
      out.push(createCustomAdapter(c));
    } catch {
      // an invalid stored config never blocks the built-in CRMs
    }
  }
  return out;
}

function contentTexts(lang: Language): ContentTexts {
  return {
    add: translate(lang, "addToGroup"),
    adding: translate(lang, "adding"),
    inGroupAs: translate(lang, "inGroupAs"),
    undo: translate(lang, "undo"),
    chooseRole: translate(lang, "chooseRole"),
    failed: translate(lang, "actionFailed"),
    cancel: translate(lang, "cancel"),
  };
}

export function createBackground(deps: BackgroundDeps) {
  const pages = new Map<number, ReportedPage>();
  /** contact key → person id, per tab, for contacts assigned from the page */
  const assignedPeople = new Map<number, Map<string, string>>();
  const selectedGroups = new Map<string, string>();
  const templateRoles = new Map<string, TemplateRole[]>();
  let lastPageTab: number | null = null;

  /** The language the user reads: generated sentences from the server come in it. */
  async function uiLanguage(): Promise<Language> {
    const { language } = await deps.loadSettings();
    return language === "auto" ? pickLanguage(deps.browserLanguage()) : language;
  }

  async function api(): Promise<ServerApi> {
    const s = await deps.loadSettings();
    if (!isConfigured(s)) throw new ApiError("unconfigured", "Set the server address and API token in the settings.");
    return deps.createApi(s.serverUrl, s.token);
  }

  async function rolesOf(server: ServerApi, templateId: string): Promise<TemplateRole[]> {
    const cached = templateRoles.get(templateId);
    if (cached) return cached;
    const roles = (await server.template(templateId)).roles;
    templateRoles.set(templateId, roles);
    return roles;
  }

  /** The account and current group of a tab's page, or an ApiError saying why there is none. */
  async function tabContext(server: ServerApi, tabId: number) {
    const page = pages.get(tabId);
    if (!page) throw new ApiError("rejected", "This page is not a CRM account page.");
    const lookup = await resolveAccount(server, page);
    const account = lookup.matchedBy !== "name" || lookup.accounts.length === 1 ? lookup.accounts[0] : undefined;
    if (!account) throw new ApiError("rejected", "This account is not linked to Quorum yet: open the Quorum side panel.");
    const groups = (await server.groupsForAccount(account.id)).items;
    const group = currentGroup(groups, selectedGroups.get(account.id));
    if (!group) throw new ApiError("rejected", "This account has no buying group yet: create one in the Quorum side panel.");
    return { page, account, group };
  }

  function statesFor(tabId: number, page: ReportedPage, details: GroupDetails): ContactState[] {
    const known = assignedPeople.get(tabId) ?? new Map<string, string>();
    const byId = new Map(details.members.map((m) => [m.personId, m]));
    return page.contacts.map((c) => {
      const personId = known.get(c.key);
      const member =
        (personId ? byId.get(personId) : undefined) ??
        details.members.find(
          (m) =>
            (c.email !== null && m.email?.toLowerCase() === c.email.toLowerCase()) ||
            (c.email === null && m.name.toLowerCase() === c.name.toLowerCase()),
        );
      return {
        key: c.key,
        member: member ? { personId: member.personId, roleKey: member.roleKey, roleName: member.roleName } : null,
      };
    });
  }

  async function contactStates(tabId: number): Promise<ContactState[]> {
    const page = pages.get(tabId);
    if (!page) return [];
    try {
      const server = await api();
      const { group } = await tabContext(server, tabId);
      return statesFor(tabId, page, await server.groupDetails(group.id));
    } catch {
      return page.contacts.map((c) => ({ key: c.key, member: null }));
    }
  }

  /**
   * The details of the group a panel is about to show, requested as soon as the account is resolved so the panel's
   * own `group/details` right after finds them under way (one server round trip less before the first paint). Used
   * once, only within a few seconds, and dropped by any request that may change something.
   */
  let prefetched: { groupId: string; details: Promise<GroupDetails>; at: number; key: string } | null = null;
  /** Prefetched data belongs to one server and token: a changed setting makes it unusable. */
  const settingsKey = async () => {
    const s = await deps.loadSettings();
    return `${s.serverUrl}\n${s.token}\n${s.language}`;
  };
  const PREFETCH_MS = 3000;

  async function resolution(server: ServerApi, page: ReportedPage) {
    const lookup = await resolveAccount(server, page);
    const account = lookup.accounts.length === 1 ? lookup.accounts[0] : undefined;
    const groups = account ? (await server.groupsForAccount(account.id)).items : [];
    const selectedGroupId = account ? (selectedGroups.get(account.id) ?? null) : null;
    // The panel's choice when it has none yet: the picked group, else the first open one.
    const likely = currentGroup(groups, selectedGroupId);
    if (likely) {
      const details = server.groupDetails(likely.id, await uiLanguage());
      details.catch(() => {}); // a failure is reported to whoever uses it, never as an unhandled rejection
      prefetched = { groupId: likely.id, details, at: Date.now(), key: await settingsKey() };
    }
    return { lookup, groups, selectedGroupId };
  }

  /** A group changed: details fetched before are stale; tell the open panels. */
  function groupChanged(groupId: string): void {
    prefetched = null;
    deps.broadcast({ type: "broadcast/group", groupId });
  }

  async function takePrefetched(groupId: string): Promise<GroupDetails | null> {
    const p = prefetched;
    prefetched = null;
    if (!p || p.groupId !== groupId || Date.now() - p.at >= PREFETCH_MS || p.key !== (await settingsKey())) return null;
    return p.details;
  }

  /** Requests that only read: they leave a prefetched group's details usable. */
  const READS = new Set<string>([
    "content/config",
    "settings/get",
    "connection/test",
    "panel/context",
    "account/resolve",
    "account/search",
    "group/details",
    "group/scores",
    "group/flags",
    "group/member",
    "group/template-roles",
    "group/next-role",
    "group/timeline",
    "group/stage",
    "account/people",
    "emails/workspaces",
    "emails/list",
    "emails/preview",
    "solution-interests/list",
  ]);

  const handlers: Handlers = {
    "page/report": async (req, tabId) => {
      if (tabId === null) return [];
      if (req.page) {
        pages.set(tabId, req.page);
        lastPageTab = tabId;
      } else pages.delete(tabId);
      deps.broadcast({ type: "broadcast/page", tabId });
      return contactStates(tabId);
    },
    "content/config": async () => {
      const { customCrms } = await deps.loadSettings();
      const lang = await uiLanguage();
      await loadLanguage(lang);
      return { customCrms, texts: contentTexts(lang) };
    },
    "contact/assign": async (req, tabId) => {
      const server = await api();
      const { page, account, group } = await tabContext(server, tabId!);
      const contact = page.contacts.find((c) => c.key === req.contactKey);
      if (!contact) throw new ApiError("rejected", "This contact is no longer on the page.");
      const { person } = await server.createPerson({
        accountId: account.id,
        ...splitName(contact.name),
        email: contact.email,
        phone: contact.phone,
        jobTitle: contact.title,
      });
      const roles = await rolesOf(server, group.roleTemplate.id);
      const roleKey =
        req.roleKey ??
        chooseRole(ruleSubject({ jobTitle: person.jobTitle, email: person.email, score: person.score }), roles)?.role.key;
      if (!roleKey) {
        return { state: { key: contact.key, member: null }, roles: roles.map((r) => ({ key: r.key, name: r.name })) };
      }
      const result = await server.assign(group.id, [{ personId: person.id, roleKey }]);
      const skipped = result.skipped[0];
      if (skipped) throw new ApiError("rejected", skipped.reason);
      const known = assignedPeople.get(tabId!) ?? new Map<string, string>();
      known.set(contact.key, person.id);
      assignedPeople.set(tabId!, known);
      groupChanged(group.id);
      const roleName = roles.find((r) => r.key === roleKey)?.name ?? roleKey;
      return { state: { key: contact.key, member: { personId: person.id, roleKey, roleName } }, roles: null };
    },
    "contact/undo": async (req, tabId) => {
      const server = await api();
      const { group } = await tabContext(server, tabId!);
      const states = statesFor(tabId!, pages.get(tabId!)!, await server.groupDetails(group.id));
      const personId = states.find((s) => s.key === req.contactKey)?.member?.personId;
      if (!personId) return { key: req.contactKey, member: null };
      const result = await server.remove(group.id, [personId]);
      const skipped = result.skipped[0];
      if (skipped) throw new ApiError("rejected", skipped.reason);
      groupChanged(group.id);
      return { key: req.contactKey, member: null };
    },
    "settings/get": () => deps.loadSettings(),
    "settings/save": async (req) => {
      await deps.saveSettings(req.settings);
      const saved = await deps.loadSettings();
      await deps.registerCustomCrms(saved).catch(() => 0);
      deps.broadcast({ type: "broadcast/page", tabId: -1 });
      return saved;
    },
    "connection/test": (req) => deps.createApi(req.serverUrl, req.token).me(),
    "custom-crms/register": async () => deps.registerCustomCrms(await deps.loadSettings()),
    "panel/context": async (_req, panelTab) => {
      const active = await deps.activeTabId();
      // The real side panel (no tab of its own) follows the active tab strictly; the panel opened as a tab
      // (sidepanel.html in a tab, as the end-to-end tests do) shows the most recent CRM page instead of itself.
      const tabId = panelTab === null ? active : active !== null && pages.has(active) ? active : lastPageTab;
      return { tabId, page: tabId === null ? null : (pages.get(tabId) ?? null) };
    },
    "panel/select-group": async (req) => {
      selectedGroups.set(req.accountId, req.groupId);
      for (const tabId of pages.keys()) deps.broadcast({ type: "broadcast/page", tabId });
      return null;
    },
    "account/resolve": async (req) => resolution(await api(), req.page),
    "account/search": async (req) => (await (await api()).searchAccounts(req.q)).items,
    "account/create": async (req) => {
      const server = await api();
      await server.createAccount({
        name: req.page.name ?? req.page.domain ?? req.page.recordId,
        domain: req.page.domain,
        crmLinks: [{ crm: req.page.crm, recordId: req.page.recordId }],
      });
      return resolution(server, req.page);
    },
    "account/link": async (req) => {
      const server = await api();
      await server.linkAccount(req.accountId, req.page.crm, req.page.recordId);
      return resolution(server, req.page);
    },
    "group/details": async (req) =>
      (await takePrefetched(req.groupId)) ?? (await api()).groupDetails(req.groupId, await uiLanguage()),
    "group/scores": async (req) => (await api()).scores(req.groupId),
    "group/recompute": async (req) => {
      const server = await api();
      await server.recompute(req.groupId);
      return server.scores(req.groupId);
    },
    "group/flags": async (req) => {
      const server = await api();
      const [stale, duplicates] = await Promise.all([server.staleMembers(req.groupId), server.duplicates(req.groupId)]);
      return { groupId: req.groupId, stale, duplicates };
    },
    "group/create": async (req) => (await api()).createGroup(req.accountId, req.solutionInterestId),
    "group/member": async (req) => (await api()).memberDetails(req.groupId, req.personId, await uiLanguage()),
    "group/template-roles": async (req) => rolesOf(await api(), req.templateId),
    "group/next-role": async (req) => (await api()).nextRole(req.groupId),
    "group/timeline": async (req) => (await api()).timeline(req.groupId, req.before),
    "group/stage": async (req) => (await api()).groupStage(req.groupId),
    "group/change-stage": async (req) => changed(req.groupId, (await api()).changeStage(req.groupId, req.stageId)),
    "members/assign": async (req) => changed(req.groupId, (await api()).assign(req.groupId, req.members)),
    "members/remove": async (req) => changed(req.groupId, (await api()).remove(req.groupId, req.personIds)),
    "members/change-role": async (req) => changed(req.groupId, (await api()).changeRoles(req.groupId, req.changes)),
    "account/people": async (req) => (await (await api()).accountPeople(req.accountId, req.q)).items,
    "emails/workspaces": async () => (await (await api()).workspaces()).items,
    "emails/list": async (req) => (await (await api()).approvedEmails(req.workspaceId)).items,
    "emails/preview": async (req) => (await api()).previewEmail(req.emailId, req.groupId, req.personId),
    "emails/send": async (req) =>
      changed(req.groupId, (await api()).sendEmail(req.groupId, req.emailId, req.personIds, req.idempotencyKey)),
    "solution-interests/list": async () => (await (await api()).solutionInterests()).items,
  };

  async function changed<T>(groupId: string, p: Promise<T>): Promise<T> {
    const result = await p;
    groupChanged(groupId);
    return result;
  }

  /** Handles one message; unknown types and unchecked senders are refused. */
  async function handle(message: unknown, sender: SenderLike): Promise<Result<unknown>> {
    const type = (message as { type?: unknown } | null)?.type;
    if (typeof type !== "string" || !(type in handlers)) {
      return { ok: false, error: { kind: "rejected", message: "Unknown request." } };
    }
    if (!READS.has(type)) prefetched = null;
    const settings = await deps.loadSettings();
    const who = checkSender(type as RequestType, sender, deps.ownId, deps.ownOrigin, customAdapters(settings));
    if (who === null) return { ok: false, error: { kind: "rejected", message: "Request refused: unexpected sender." } };
    try {
      const handler = handlers[type as RequestType] as (req: unknown, tabId: number | null) => Promise<unknown>;
      // content requests get their tab; extension pages get the tab they are shown in, if any (null for the side panel)
      return { ok: true, data: await handler(message, who === "extension" ? (sender.tab?.id ?? null) : who) };
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toJSON() };
      return { ok: false, error: { kind: "server", message: e instanceof Error ? e.message : String(e) } };
    }
  }

  function forgetTab(tabId: number): void {
    pages.delete(tabId);
    assignedPeople.delete(tabId);
    if (lastPageTab === tabId) lastPageTab = null;
  }

  return { handle, forgetTab } as {
    handle: {
      <K extends RequestType>(message: Request<K>, sender: SenderLike): Promise<Response<K>>;
      (message: unknown, sender: SenderLike): Promise<Result<unknown>>;
    };
    forgetTab(tabId: number): void;
  };
}
