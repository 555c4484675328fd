/**
 * The side panel's state: which account page the active tab shows, how it resolved on the server and the current
 * group's details, scores and next step. Module-level signals; every server call goes through the background (`send`).
 * While the server does not answer, whatever was loaded stays visible and the model retries on its own with backoff.
 */
import { batch, signal } from "@preact/signals";
import type { Account } from "../../shared/api/accounts";
import type { GroupDetails, GroupScores, GroupSummary } from "../../shared/api/groups";
import { currentGroup, orderGroups } from "../utils/background/account-context";
import type { ActionError, Me, MemberFlags, NextRole, ReportedPage, Request, RequestType, Response } from "../utils/messages";
import { isConfigured } from "../utils/settings";
import { setLanguage } from "./locale";

export type PanelStatus =
  | { kind: "loading" }
  | { kind: "unconfigured" }
  | { kind: "unreachable"; serverUrl: string }
  | { kind: "unauthorized" }
  | { kind: "incompatible"; message: string }
  | { kind: "not-account" }
  | { kind: "unknown-account"; page: ReportedPage }
  | { kind: "ambiguous"; page: ReportedPage; accounts: Account[] }
  | { kind: "no-group"; page: ReportedPage; account: Account }
  | { kind: "error"; error: ActionError }
  | { kind: "ready" };

/** Whether the server answers; `since` is when the data on screen was loaded. */
export type Connection = { state: "ok" } | { state: "reconnecting"; loadedAt: string | null };

export type Send = <K extends RequestType>(request: Request<K>) => Promise<Response<K>>;

/** Waits between automatic retries while the server is down (ms); the last one repeats. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];

export function createPanelModel(
  send: Send,
  timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = globalThis,
) {
  const status = signal<PanelStatus>({ kind: "loading" });
  const page = signal<ReportedPage | null>(null);
  const account = signal<Account | null>(null);
  const groups = signal<GroupSummary[]>([]);
  const groupId = signal<string | null>(null);
  const details = signal<GroupDetails | null>(null);
  const scores = signal<GroupScores | null>(null);
  /** The roles to fill next with matching contacts (null until loaded). */
  const nextRole = signal<NextRole | null>(null);
  /** stale members and likely duplicates of the current group (null until loaded, or when the server has none) */
  const flags = signal<MemberFlags | null>(null);
  /** The signed-in user (role decides which actions the panel offers). */
  const me = signal<Me | null>(null);
  const connection = signal<Connection>({ state: "ok" });
  const loadedAt = signal<string | null>(null);
  const serverUrl = signal("");
  let generation = 0;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function fail(error: ActionError): PanelStatus {
    switch (error.kind) {
      case "unconfigured":
        return { kind: "unconfigured" };
      case "unreachable":
        return { kind: "unreachable", serverUrl: serverUrl.value };
      case "unauthorized":
        return { kind: "unauthorized" };
      case "incompatible":
        return { kind: "incompatible", message: error.message };
      default:
        return { kind: "error", error };
    }
  }

  /** A failed load: an unreachable server keeps the data on screen and retries with backoff; others replace it. */
  function failed(error: ActionError): void {
    if (error.kind === "unreachable") {
      if (status.value.kind === "ready") connection.value = { state: "reconnecting", loadedAt: loadedAt.value };
      else status.value = fail(error);
      scheduleRetry();
      return;
    }
    connection.value = { state: "ok" };
    status.value = fail(error);
  }

  function scheduleRetry(): void {
    if (retryTimer !== null) return;
    const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
    attempt++;
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      void load();
    }, delay);
  }

  function answered(): void {
    attempt = 0;
    if (retryTimer !== null) {
      timers.clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (connection.value.state !== "ok") connection.value = { state: "ok" };
  }

  /**
   * Loads the current group's details and paints them; the score explanations, the next step and the member checks
   * follow without holding up the first paint. Previous data stays visible until the new arrives.
   */
  async function loadGroup(id: string, gen = generation): Promise<void> {
    // Details first: the summary must not queue behind the heavier explanations.
    const detailsRequest = send({ type: "group/details", groupId: id });
    const scoresRequest = send({ type: "group/scores", groupId: id });
    const d = await detailsRequest;
    if (gen !== generation) return;
    if (!d.ok) return failed(d.error);
    answered();
    batch(() => {
      if (details.value?.group.id !== id) nextRole.value = null;
      details.value = d.data;
      loadedAt.value = new Date().toISOString();
      if (scores.value?.groupId !== id) scores.value = null;
      if (flags.value?.groupId !== id) flags.value = null;
      status.value = { kind: "ready" };
    });
    const nextRequest = send({ type: "group/next-role", groupId: id });
    const flagsRequest = send({ type: "group/flags", groupId: id });
    const [s, n, f] = await Promise.all([scoresRequest, nextRequest, flagsRequest]);
    if (gen !== generation || groupId.value !== id) return;
    batch(() => {
      scores.value = s.ok ? s.data : null;
      nextRole.value = n.ok ? n.data : null;
      // A server without the checks (or a failure) just shows no flags.
      flags.value = f.ok ? f.data : null;
    });
  }

  function applyResolution(
    p: ReportedPage,
    lookup: { accounts: Account[] },
    list: GroupSummary[],
    selectedGroupId: string | null = null,
  ): string | null {
    if (lookup.accounts.length === 0) {
      status.value = { kind: "unknown-account", page: p };
      return null;
    }
    if (lookup.accounts.length > 1) {
      status.value = { kind: "ambiguous", page: p, accounts: lookup.accounts };
      return null;
    }
    const acc = lookup.accounts[0]!;
    account.value = acc;
    // Open groups first: a rep works on those, not on Closed lost.
    groups.value = orderGroups(list);
    if (list.length === 0) {
      status.value = { kind: "no-group", page: p, account: acc };
      return null;
    }
    // The group shown before, else the one the user picked for this account (also the one-click assign's target),
    // else the first open one.
    const keep = list.find((g) => g.id === groupId.value) ?? currentGroup(list, selectedGroupId)!;
    groupId.value = keep.id;
    return keep.id;
  }

  /** Full reload: settings → active tab's page → account → groups → current group. */
  async function load(): Promise<void> {
    const gen = ++generation;
    // The active tab's page is asked for at once, beside the settings (one round trip to the background fewer).
    const contextRequest = send({ type: "panel/context" });
    const settings = await send({ type: "settings/get" });
    if (gen !== generation) return;
    if (!settings.ok) return failed(settings.error);
    // Loads the language's strings while the server is asked; awaited before anything is painted in it.
    const languageReady = setLanguage(settings.data.language);
    serverUrl.value = settings.data.serverUrl;
    if (!isConfigured(settings.data)) {
      await languageReady;
      status.value = { kind: "unconfigured" };
      return;
    }
    const ctx = await contextRequest;
    await languageReady;
    if (gen !== generation) return;
    const p = ctx.ok ? ctx.data.page : null;
    const samePage = p !== null && page.value !== null && p.crm === page.value.crm && p.recordId === page.value.recordId;
    page.value = p;
    if (!p) {
      status.value = { kind: "not-account" };
      return;
    }
    if (!samePage || status.value.kind !== "ready") {
      // Another account: nothing of the old one may stay (a kept view is only for the same page).
      if (!samePage || connection.value.state === "ok") status.value = { kind: "loading" };
      details.value = null;
      scores.value = null;
      flags.value = null;
      nextRole.value = null;
    }
    const [who, res] = await Promise.all([
      send({ type: "connection/test", serverUrl: settings.data.serverUrl, token: settings.data.token }),
      send({ type: "account/resolve", page: p }),
    ]);
    if (gen !== generation) return;
    if (!who.ok) return failed(who.error);
    if (!res.ok) return failed(res.error);
    me.value = who.data;
    const id = applyResolution(p, res.data.lookup, res.data.groups, res.data.selectedGroupId ?? null);
    if (id) await loadGroup(id, gen);
    else answered();
  }

  async function selectGroup(id: string): Promise<void> {
    groupId.value = id;
    const acc = account.value;
    if (acc) await send({ type: "panel/select-group", accountId: acc.id, groupId: id });
    await loadGroup(id);
  }

  async function refreshGroup(): Promise<void> {
    if (groupId.value) await loadGroup(groupId.value);
  }

  async function resolveWith(request: Request<"account/create"> | Request<"account/link">): Promise<ActionError | null> {
    const res = await send(request);
    if (!res.ok) return res.error;
    const id = applyResolution(request.page, res.data.lookup, res.data.groups, res.data.selectedGroupId ?? null);
    if (id) await loadGroup(id);
    return null;
  }

  async function createGroup(solutionInterestId: string): Promise<ActionError | null> {
    const acc = account.value;
    if (!acc) return { kind: "rejected", message: "No account" };
    const res = await send({ type: "group/create", accountId: acc.id, solutionInterestId });
    if (!res.ok) return res.error;
    groups.value = orderGroups([...groups.value, res.data]);
    await selectGroup(res.data.id);
    return null;
  }

  async function recompute(): Promise<ActionError | null> {
    const id = groupId.value;
    if (!id) return null;
    const res = await send({ type: "group/recompute", groupId: id });
    if (!res.ok) return res.error;
    await loadGroup(id);
    return null;
  }

  /** Stops the automatic retries (the panel is closing). */
  function dispose(): void {
    generation++;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
  }

  return {
    status,
    page,
    account,
    groups,
    groupId,
    details,
    scores,
    nextRole,
    flags,
    me,
    connection,
    loadedAt,
    serverUrl,
    send,
    load,
    selectGroup,
    refreshGroup,
    createAccount: (p: ReportedPage) => resolveWith({ type: "account/create", page: p }),
    linkAccount: (accountId: string, p: ReportedPage) => resolveWith({ type: "account/link", accountId, page: p }),
    createGroup,
    recompute,
    dispose,
  };
}

export type PanelModel = ReturnType<typeof createPanelModel>;
