/**
 * The background's request handling, independent of the WXT entry point so it can be tested with fakeBrowser: it holds
 * the token, is the only caller of the server, remembers each tab's CRM page and answers content scripts and panel pages.
 */

import type { GroupDetails } from "../../../shared/api/groups";
import type { TemplateRole } from "../../../shared/api/templates";
import { chooseRole, ruleSubject } from "../../../shared/domain/role-rules";
import { type CrmAdapter, createCustomAdapter, PAGE_WORDS, validateCustomAdapterConfig } from "../../crm";
import { CONTROL_TEXTS } from "../content/control-texts";
import { type Language, loadLanguage, pickLanguage, translate } from "../i18n";
import type {
  Broadcast,
  ContactState,
  ContentTexts,
  Me,
  PageTarget,
  Protocol,
  ReportedPage,
  Request,
  RequestType,
  Response,
  Result,
  TabNotice,
} from "../messages";
import { ApiError, type ServerApi } from "../server-api";
import { isConfigured, type Settings } from "../settings";
import { splitName } from "../split-name";
import type { SsoClient } from "../sso/sso-client";
import { currentGroup, resolveAccount } from "./account-context";
import { actionLine, rights, suggestedRole, type Unavailable, unavailableTarget } from "./page-target";
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
  /** Tells a CRM tab's content script to report its page again (optional: tests without tabs leave it out). */
  notifyTab?(tabId: number, message: TabNotice): void;
  ownId: string;
  ownOrigin: string;
  /** Single sign-on (extension/utils/sso); without it only API tokens work. */
  sso?: SsoClient;
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

/** The inline control's strings in a language (sent to content scripts with content/config). */
export function contentTexts(lang: Language): ContentTexts {
  return {
    add: translate(lang, "addToGroup"),
    adding: translate(lang, "adding"),
    inGroupAs: translate(lang, "inGroupAs"),
    undo: translate(lang, "undo"),
    chooseRole: translate(lang, "chooseRole"),
    cancel: translate(lang, "cancel"),
    addAs: CONTROL_TEXTS[lang].addAs,
    addTo: CONTROL_TEXTS[lang].addTo,
    addToAs: CONTROL_TEXTS[lang].addToAs,
    inNamedGroupAs: CONTROL_TEXTS[lang].inNamedGroupAs,
  };
}

export function createBackground(deps: BackgroundDeps) {
  const pages = new Map<number, ReportedPage>();
  /** contact key → person id, per tab, for contacts assigned from the page */
  const assignedPeople = new Map<number, Map<string, string>>();
  const selectedGroups = new Map<string, string>();
  const templateRoles = new Map<string, TemplateRole[]>();
  let lastPageTab: number | null = null;

  async function api(): Promise<ServerApi> {
    const s = await deps.loadSettings();
    // SSO: without an API token, the signed-in session's access token (renewed here when it is about to expire).
    const token = s.token || (s.serverUrl && deps.sso ? await deps.sso.accessToken(s.serverUrl) : "");
    if (!isConfigured({ ...s, token }))
      throw new ApiError("unconfigured", "Set the server address and API token in the settings.");
    return deps.createApi(s.serverUrl, token);
  }

  /** The settings as extension pages see them, with whether a single sign-on session is open (never its tokens). */
  async function settingsForPages(): Promise<Settings> {
    const s = await deps.loadSettings();
    return deps.sso && s.serverUrl ? { ...s, sso: await deps.sso.status(s.serverUrl) } : s;
  }

  function requireSso(): SsoClient {
    if (!deps.sso) throw new ApiError("rejected", "Single sign-on is not available in this browser.");
    return deps.sso;
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

  /** The language the user reads (its catalogue loaded): generated sentences from the server come in it too. */
  async function language(): Promise<Language> {
    const { language } = await deps.loadSettings();
    const lang = language === "auto" ? pickLanguage(deps.browserLanguage()) : language;
    await loadLanguage(lang);
    return lang;
  }

  /** The user behind the token (for their rights), asked once per server and token. */
  let me: { key: string; me: Promise<Me> } | null = null;
  async function whoAmI(server: ServerApi): Promise<Me> {
    const key = await settingsKey();
    if (me?.key !== key) {
      me = { key, me: server.me() };
      me.me.catch(() => (me = null)); // a failure is not remembered
    }
    return me.me;
  }

  /** What a tab's inline controls add to (group, pre-chosen roles), or why they cannot work. */
  async function contentTarget(tabId: number): Promise<{ target: PageTarget; states: ContactState[] }> {
    const page = pages.get(tabId);
    if (!page) return { target: { status: "unavailable", message: null, retry: false }, states: [] };
    const lang = await language();
    const none = (why: Unavailable, mayCreate = false) => ({
      target: unavailableTarget(lang, why, mayCreate),
      states: page.contacts.map((c) => ({ key: c.key, member: null })),
    });
    try {
      const server = await api();
      const may = rights((await whoAmI(server)).role);
      if (!may.add) return none("no-right");
      const lookup = await resolveAccount(server, page);
      const account = lookup.matchedBy !== "name" || lookup.accounts.length === 1 ? lookup.accounts[0] : undefined;
      if (!account) return none("no-account", may.create);
      const groups = (await server.groupsForAccount(account.id)).items;
      const group = currentGroup(groups, selectedGroups.get(account.id));
      if (!group) return none("no-group", may.create);
      const [details, roles] = await Promise.all([server.groupDetails(group.id), rolesOf(server, group.roleTemplate.id)]);
      const byKey = new Map(page.contacts.map((c) => [c.key, c]));
      return {
        target: {
          status: "ready",
          groupId: group.id,
          groupName: group.name,
          label: groups.length > 1 ? group.solutionInterestName : null,
        },
        states: statesFor(tabId, page, details).map((s) => {
          const contact = byKey.get(s.key);
          return { ...s, suggested: contact ? suggestedRole(contact, roles) : null };
        }),
      };
    } catch (e) {
      return none(e instanceof ApiError ? e.kind : "server");
    }
  }

  /** A control's action failed: one line the rep can act on, in their language. */
  async function asActionError(e: unknown): Promise<never> {
    const lang = await language();
    if (e instanceof ApiError) throw new ApiError(e.kind, actionLine(lang, e.kind, e.message), e.status);
    throw new ApiError("server", actionLine(lang, "server", ""));
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
      const details = server.groupDetails(likely.id, await language());
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

  /**
   * One click on a CRM page: the contact becomes a person of the account (or is found again by e-mail) and a member of
   * the group with the role the button showed (the template's rules on what the page shows), else the role the rules
   * give the stored person, else the rep is asked to choose.
   */
  async function assignFromPage(contactKey: string, chosen: string | undefined, tabId: number) {
    const server = await api();
    const { page, account, group } = await tabContext(server, tabId);
    const contact = page.contacts.find((c) => c.key === contactKey);
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
      (chosen && roles.some((r) => r.key === chosen) ? chosen : undefined) ??
      chooseRole(
        ruleSubject({
          jobTitle: person.jobTitle ?? contact.title,
          department: person.department,
          seniority: person.seniority,
          email: person.email,
          score: person.score,
        }),
        roles,
      )?.role.key;
    if (!roleKey) {
      return { state: { key: contact.key, member: null }, roles: roles.map((r) => ({ key: r.key, name: r.name })) };
    }
    const result = await server.assign(group.id, [{ personId: person.id, roleKey }]);
    const skipped = result.skipped[0];
    if (skipped) throw new ApiError("rejected", skipped.reason);
    const known = assignedPeople.get(tabId) ?? new Map<string, string>();
    known.set(contact.key, person.id);
    assignedPeople.set(tabId, known);
    groupChanged(group.id);
    const roleName = roles.find((r) => r.key === roleKey)?.name ?? roleKey;
    return { state: { key: contact.key, member: { personId: person.id, roleKey, roleName } }, roles: null };
  }

  /** The inline undo: removes the member the page's control shows. */
  async function undoFromPage(contactKey: string, tabId: number): Promise<ContactState> {
    const server = await api();
    const { group } = await tabContext(server, tabId);
    const states = statesFor(tabId, pages.get(tabId)!, await server.groupDetails(group.id));
    const personId = states.find((s) => s.key === contactKey)?.member?.personId;
    if (!personId) return { key: contactKey, member: null };
    const result = await server.remove(group.id, [personId]);
    const skipped = result.skipped[0];
    if (skipped) throw new ApiError("rejected", skipped.reason);
    groupChanged(group.id);
    return { key: contactKey, member: null };
  }

  const handlers: Handlers = {
    "page/report": async (req, tabId) => {
      if (tabId === null) return { target: { status: "unavailable", message: null, retry: false }, states: [] };
      // CRMs the organisation did not enable (managed `enabledCrms`) are treated as no CRM page at all.
      const { enabledCrms } = await deps.loadSettings();
      if (req.page && enabledCrms && !req.page.crm.startsWith("custom:") && !(enabledCrms as string[]).includes(req.page.crm)) {
        req = { ...req, page: null };
      }
      if (req.page) {
        pages.set(tabId, req.page);
        lastPageTab = tabId;
      } else pages.delete(tabId);
      deps.broadcast({ type: "broadcast/page", tabId });
      return contentTarget(tabId);
    },
    "content/config": async () => ({
      // checked configurations only: the self-hosted CRMs' script builds adapters without checking (size budget)
      customCrms: (await deps.loadSettings()).customCrms.filter((c) => {
        try {
          validateCustomAdapterConfig(c);
          return true;
        } catch {
          return false;
        }
      }),
      texts: contentTexts(await language()),
      words: PAGE_WORDS,
    }),
    "contact/assign": (req, tabId) => assignFromPage(req.contactKey, req.roleKey, tabId!).catch(asActionError),
    "contact/undo": (req, tabId) => undoFromPage(req.contactKey, tabId!).catch(asActionError),
    "settings/get": () => settingsForPages(),
    "settings/save": async (req) => {
      await deps.saveSettings(req.settings);
      const saved = await deps.loadSettings();
      await deps.registerCustomCrms(saved).catch(() => 0);
      deps.broadcast({ type: "broadcast/page", tabId: -1 });
      return settingsForPages();
    },
    "connection/test": async (req) =>
      deps.createApi(req.serverUrl, req.token || ((await deps.sso?.accessToken(req.serverUrl)) ?? "")).me(),
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
      (await takePrefetched(req.groupId)) ?? (await api()).groupDetails(req.groupId, await language()),
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
    "group/member": async (req) => (await api()).memberDetails(req.groupId, req.personId, await language()),
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
    "sso/status": async () => requireSso().status((await deps.loadSettings()).serverUrl),
    "sso/sign-in": async (req) => {
      const status = await requireSso().signIn({ interactive: req.interactive !== false });
      deps.broadcast({ type: "broadcast/page", tabId: -1 });
      return status;
    },
    "sso/sign-out": async () => {
      await requireSso().signOut();
      deps.broadcast({ type: "broadcast/page", tabId: -1 });
      return null;
    },
    "sso/access-token": async () => {
      const token = await requireSso().accessToken((await deps.loadSettings()).serverUrl);
      if (!token) throw new ApiError("unauthorized", "Not signed in: sign in from the side panel or the options page.");
      return token;
    },
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
      const data = await handler(message, who === "extension" ? (sender.tab?.id ?? null) : who);
      // A change made in the panel or the settings (group picked, members changed, token saved) may change what the
      // controls on CRM pages show: ask their content scripts to report again.
      if (who === "extension" && !READS.has(type))
        for (const tab of pages.keys()) deps.notifyTab?.(tab, { type: "content/refresh" });
      return { ok: true, data };
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
