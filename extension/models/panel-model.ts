/**
 * The side panel's state: which account page the active tab shows, how it resolved on the server and the current
 * group's details and scores. Module-level signals; every server call goes through the background (`send`).
 */
import { batch, signal } from "@preact/signals";
import type { Account } from "../../shared/api/accounts";
import type { GroupDetails, GroupScores, GroupSummary } from "../../shared/api/groups";
import type { ActionError, MemberFlags, ReportedPage, Request, RequestType, Response } from "../utils/messages";
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
  | { kind: "error"; message: string }
  | { kind: "ready" };

export type Send = <K extends RequestType>(request: Request<K>) => Promise<Response<K>>;

export function createPanelModel(send: Send) {
  const status = signal<PanelStatus>({ kind: "loading" });
  const page = signal<ReportedPage | null>(null);
  const account = signal<Account | null>(null);
  const groups = signal<GroupSummary[]>([]);
  const groupId = signal<string | null>(null);
  const details = signal<GroupDetails | null>(null);
  const scores = signal<GroupScores | null>(null);
  /** stale members and likely duplicates of the current group (null until loaded, or when the server has none) */
  const flags = signal<MemberFlags | null>(null);
  const serverUrl = signal("");
  let generation = 0;

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
        return { kind: "error", message: error.message };
    }
  }

  /**
   * Loads the current group's details and paints them; the score explanations (a heavier request, needed only when a
   * breakdown is opened) follow without holding up the first paint. Previous data stays visible until the new arrives.
   */
  async function loadGroup(id: string, gen = generation): Promise<void> {
    // Details first: the server answers in order, and the summary must not queue behind the explanations.
    const detailsRequest = send({ type: "group/details", groupId: id });
    const scoresRequest = send({ type: "group/scores", groupId: id });
    const d = await detailsRequest;
    if (gen !== generation) return;
    if (!d.ok) {
      status.value = fail(d.error);
      return;
    }
    batch(() => {
      details.value = d.data;
      if (scores.value?.groupId !== id) scores.value = null;
      if (flags.value?.groupId !== id) flags.value = null;
      status.value = { kind: "ready" };
    });
    const s = await scoresRequest;
    if (gen !== generation || groupId.value !== id) return;
    scores.value = s.ok ? s.data : null;
    // The member checks (stale, duplicates) come last: they never compete with the summary or the scores.
    const f = await send({ type: "group/flags", groupId: id });
    // A server without the checks (or a failure) just shows no flags.
    if (gen === generation && groupId.value === id) flags.value = f.ok ? f.data : null;
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
    groups.value = list;
    if (list.length === 0) {
      status.value = { kind: "no-group", page: p, account: acc };
      return null;
    }
    // The group shown before, else the one the user picked for this account (also the one-click assign's target), else
    // the most recently modified.
    const keep =
      list.find((g) => g.id === groupId.value) ??
      list.find((g) => g.id === selectedGroupId) ??
      [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]!;
    groupId.value = keep.id;
    return keep.id;
  }

  /** Full reload: settings → active tab's page → account → groups → current group. */
  async function load(): Promise<void> {
    const gen = ++generation;
    const settings = await send({ type: "settings/get" });
    if (gen !== generation) return;
    if (!settings.ok) {
      status.value = fail(settings.error);
      return;
    }
    setLanguage(settings.data.language);
    serverUrl.value = settings.data.serverUrl;
    if (!isConfigured(settings.data)) {
      status.value = { kind: "unconfigured" };
      return;
    }
    const ctx = await send({ type: "panel/context" });
    if (gen !== generation) return;
    const p = ctx.ok ? ctx.data.page : null;
    const samePage = p !== null && page.value !== null && p.crm === page.value.crm && p.recordId === page.value.recordId;
    page.value = p;
    if (!p) {
      status.value = { kind: "not-account" };
      return;
    }
    if (!samePage || status.value.kind !== "ready") {
      status.value = { kind: "loading" };
      details.value = null;
      scores.value = null;
      flags.value = null;
    }
    const [me, res] = await Promise.all([
      send({ type: "connection/test", serverUrl: settings.data.serverUrl, token: settings.data.token }),
      send({ type: "account/resolve", page: p }),
    ]);
    if (gen !== generation) return;
    if (!me.ok) {
      status.value = fail(me.error);
      return;
    }
    if (!res.ok) {
      status.value = fail(res.error);
      return;
    }
    const id = applyResolution(p, res.data.lookup, res.data.groups, res.data.selectedGroupId ?? null);
    if (id) await loadGroup(id, gen);
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
    groups.value = [...groups.value, res.data];
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

  return {
    status,
    page,
    account,
    groups,
    groupId,
    details,
    scores,
    flags,
    serverUrl,
    send,
    load,
    selectGroup,
    refreshGroup,
    createAccount: (p: ReportedPage) => resolveWith({ type: "account/create", page: p }),
    linkAccount: (accountId: string, p: ReportedPage) => resolveWith({ type: "account/link", accountId, page: p }),
    createGroup,
    recompute,
  };
}

export type PanelModel = ReturnType<typeof createPanelModel>;
