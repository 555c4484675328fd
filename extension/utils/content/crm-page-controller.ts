/**
 * The content script's logic: read the CRM page with its adapter (again on single-page navigation and DOM changes,
 * debounced), report it to the background and keep one inline control after each visible contact.
 * It never calls the server and never sees the token: everything goes through background messages.
 */
// Direct module imports (not the crm index, which lists every adapter): each CRM's content script bundles only its own.
import type { CustomAdapterConfig } from "../../crm/custom-adapter";
import { OWN_UI_ATTRIBUTE } from "../../crm/dom";
import { usePageWords } from "../../crm/labels";
import { matchesAny } from "../../crm/match-pattern";
import type { AccountPage, CrmAdapter } from "../../crm/types";
import type { ContactState, ContentTexts, PageTarget, ReportedPage, Request, RequestType, Response } from "../messages";
import { type ContactControl, type ControlTexts, createContactControl, createPageNotice } from "./contact-control";

export type Sender = <K extends RequestType>(request: Request<K>) => Promise<Response<K>>;

export interface ControllerOptions {
  window: Window;
  send: Sender;
  /**
   * The adapters this content script serves, given the user's self-hosted CRM configurations (from the background).
   * A built-in CRM's script passes its one adapter; the self-hosted CRMs' script builds adapters from the configs.
   */
  adapters(customCrms: readonly CustomAdapterConfig[]): readonly CrmAdapter[];
  /** how long DOM changes must settle before re-reading, in ms */
  debounceMs?: number;
  /** Subscribes to the background's "report again" notices (a group picked in the panel, a token saved …). */
  onRefresh?(listener: () => void): () => void;
  /** first delay before asking again while the server is unreachable, in ms (doubles up to 16×) */
  retryMs?: number;
}

/** A stable key for a contact within a page: CRM contact id, else email, else name (+ position for duplicates). */
export function contactKey(c: { crmContactId: string | null; email: string | null; name: string }, index: number): string {
  return c.crmContactId ?? c.email ?? `${c.name}#${index}`;
}

export function toReportedPage(url: string, page: AccountPage): ReportedPage {
  return {
    url,
    crm: page.crm,
    recordId: page.recordId,
    name: page.name,
    domain: page.domain,
    contacts: page.contacts.map((c, i) => ({
      key: contactKey(c, i),
      name: c.name,
      email: c.email,
      title: c.title,
      phone: c.phone,
      crmContactId: c.crmContactId,
    })),
  };
}

/** The control's strings from the background's translated templates. */
export function controlTexts(s: ContentTexts): ControlTexts {
  const fill = (template: string, group: string, role: string) => template.replace("{group}", group).replace("{role}", role);
  return {
    ...s,
    inGroupAs: (role) => fill(s.inGroupAs, "", role),
    inNamedGroupAs: (group, role) => fill(s.inNamedGroupAs, group, role),
    addAs: (role) => fill(s.addAs, "", role),
    addTo: (group) => fill(s.addTo, group, ""),
    addToAs: (group, role) => fill(s.addToAs, group, role),
  };
}

/** Reads the page with the first adapter serving the URL; null when none does or it is not an account record. */
export function readWith(adapters: readonly CrmAdapter[], href: string, doc: Document): AccountPage | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  const adapter = adapters.find((a) => matchesAny(a.matches, url) && (a.servesUrl?.(url) ?? true));
  return adapter?.read(url, doc) ?? null;
}

/**
 * Is `url` on the host of one of the user's self-hosted CRM configurations? A configuration takes over its host: the
 * built-in CRM's script then stands down (the self-hosted CRMs' script, registered for that host, reads the page).
 */
export function hostTakenOver(customCrms: readonly CustomAdapterConfig[], url: { host: string; hostname: string }): boolean {
  return customCrms.some((c) => {
    const host = typeof c.host === "string" ? c.host.trim().toLowerCase() : "";
    return host !== "" && (host === url.host.toLowerCase() || host === url.hostname.toLowerCase());
  });
}

export function startCrmPageController(opts: ControllerOptions): { stop(): void; rescan(): Promise<void> } {
  const { window: win, send } = opts;
  const doc = win.document;
  const debounceMs = opts.debounceMs ?? 250;
  // Until the background answers (or if it cannot), the script's own adapters without self-hosted configurations.
  let adapters = opts.adapters([]);
  // The background's translated strings: no controls until they arrive (nor can the background add anyone before).
  let texts: ControlTexts | null = null;
  let signature = "";
  let current: { page: AccountPage; reported: ReportedPage } | null = null;
  let states = new Map<string, ContactState>();
  let target: PageTarget | null = null;
  const controls = new Map<string, ContactControl>();
  let notice: HTMLElement | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastUrl = win.location.href;
  let stopped = false;

  const ready = send({ type: "content/config" }).then((res) => {
    if (!res.ok) return;
    // The page-reading dictionary comes with the texts: content scripts carry no catalogue (see crm/words.ts).
    if (res.data.words) usePageWords(res.data.words);
    texts = controlTexts(res.data.texts);
    adapters = opts.adapters(res.data.customCrms);
  });

  const groupLabel = () => (target?.status === "ready" ? target.label : null);

  function clearControls(): void {
    for (const c of controls.values()) c.host.remove();
    controls.clear();
  }

  /** Where the controls cannot work: no controls, and at most one line saying why, after the first contact. */
  function placeNotice(): void {
    const message = target?.status === "unavailable" ? target.message : null;
    const anchor = current?.page.contacts[0]?.anchor;
    if (!message || !anchor) {
      notice?.remove();
      notice = null;
      return;
    }
    if (notice?.shadowRoot?.textContent?.includes(message) !== true) {
      notice?.remove();
      notice = createPageNotice(doc, message);
    }
    if (anchor.isConnected && anchor.nextSibling !== notice) anchor.after(notice);
  }

  function placeControls(): void {
    placeNotice();
    const t = texts;
    if (!current || target?.status !== "ready" || !t) {
      clearControls();
      return;
    }
    const wanted = new Set<string>();
    current.page.contacts.forEach((c, i) => {
      const key = contactKey(c, i);
      wanted.add(key);
      let control = controls.get(key);
      if (!control) {
        control = createContactControl(doc, key, c.name, t, {
          assign: async (roleKey) => {
            const res = await send({ type: "contact/assign", contactKey: key, ...(roleKey ? { roleKey } : {}) });
            if (!res.ok) return { error: res.error.message };
            states.set(key, { ...res.data.state, suggested: states.get(key)?.suggested ?? null });
            return { state: res.data.state, roles: res.data.roles };
          },
          undo: async () => {
            const res = await send({ type: "contact/undo", contactKey: key });
            if (!res.ok) return { error: res.error.message };
            states.set(key, { ...res.data, suggested: states.get(key)?.suggested ?? null });
            return { state: res.data };
          },
        });
        controls.set(key, control);
        control.update(states.get(key) ?? { key, member: null }, groupLabel());
      }
      // The CRM may re-render and drop our control, or move the anchor: keep it right after the anchor.
      if (c.anchor.isConnected && c.anchor.nextSibling !== control.host) c.anchor.after(control.host);
    });
    for (const [key, control] of controls) {
      if (!wanted.has(key)) {
        control.host.remove();
        controls.delete(key);
      }
    }
  }

  /** While the server is unreachable, ask again after 1, 2, 4 … 16 × retryMs. */
  function scheduleRetry(): void {
    clearTimeout(retryTimer);
    if (stopped || target?.status !== "unavailable" || !target.retry) {
      retries = 0;
      return;
    }
    const delay = (opts.retryMs ?? 15_000) * 2 ** Math.min(retries, 4);
    retries++;
    retryTimer = setTimeout(() => void refresh(), delay);
  }

  /** Report the page again even if it did not change (what the controls show may have). */
  function refresh(): Promise<void> {
    signature = "";
    return scan();
  }

  async function scan(): Promise<void> {
    await ready;
    if (stopped) return;
    const url = win.location.href;
    const page = readWith(adapters, url, doc);
    const reported = page ? toReportedPage(url, page) : null;
    const next = JSON.stringify(reported);
    current = page && reported ? { page, reported } : null;
    if (next !== signature) {
      signature = next;
      if (!page) clearControls();
      const res = await send({ type: "page/report", page: reported });
      if (stopped) return;
      if (res.ok) {
        const before = target?.status === "ready" ? `${target.groupId}|${target.label}` : null;
        target = res.data.target;
        states = new Map(res.data.states.map((s) => [s.key, s]));
        // Another group (picked in the panel) or a group name to show: rebuild the controls.
        if ((target.status === "ready" ? `${target.groupId}|${target.label}` : null) !== before) clearControls();
      } else {
        target = { status: "unavailable", message: null, retry: true };
      }
      scheduleRetry();
    }
    placeControls();
    for (const [key, control] of controls) {
      const s = states.get(key);
      if (s) control.update(s, groupLabel());
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void scan(), debounceMs);
  }

  const own = `[${OWN_UI_ATTRIBUTE}]`;
  const isOwn = (node: Node): boolean =>
    node.nodeType === 1 ? (node as Element).closest(own) !== null : (node.parentElement?.closest(own) ?? null) !== null;
  const observer = new MutationObserver((records) => {
    if (records.every((r) => isOwn(r.target) || [...r.addedNodes, ...r.removedNodes].every(isOwn))) return;
    schedule();
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
  // Content scripts cannot see the page's history.pushState: also watch the URL itself.
  const poll = setInterval(() => {
    if (win.location.href !== lastUrl) {
      lastUrl = win.location.href;
      schedule();
    }
  }, 300);
  win.addEventListener("popstate", schedule);
  win.addEventListener("hashchange", schedule);
  const unsubscribe = opts.onRefresh?.(() => void refresh());
  void scan();

  return {
    rescan: scan,
    stop() {
      stopped = true;
      observer.disconnect();
      clearInterval(poll);
      clearTimeout(timer);
      clearTimeout(retryTimer);
      unsubscribe?.();
      win.removeEventListener("popstate", schedule);
      win.removeEventListener("hashchange", schedule);
      clearControls();
      notice?.remove();
    },
  };
}
