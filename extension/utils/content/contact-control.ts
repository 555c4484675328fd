/**
 * The small inline control injected after each contact on a CRM page: a shadow root (the CRM's CSS cannot reach it),
 * built with DOM calls only (page text is untrusted: never as markup). Its host carries OWN_UI_ATTRIBUTE so adapters
 * skip it. The button says what one click does ("Add as Decision maker", "Add to Security as Influencer" on an
 * account with several groups); after adding it offers an inline undo.
 */
import { OWN_UI_ATTRIBUTE } from "../../crm/dom";
import type { ContactState, RoleChoice } from "../messages";

export interface ControlTexts {
  add: string;
  adding: string;
  inGroupAs(role: string): string;
  inNamedGroupAs(group: string, role: string): string;
  addAs(role: string): string;
  addTo(group: string): string;
  addToAs(group: string, role: string): string;
  undo: string;
  chooseRole: string;
  cancel: string;
}

export interface ControlHandlers {
  assign(roleKey?: string): Promise<{ state?: ContactState; roles?: RoleChoice[] | null; error?: string }>;
  undo(): Promise<{ state?: ContactState; error?: string }>;
}

export interface ContactControl {
  host: HTMLElement;
  /** `group`: the group's short name when the account has several (the control names the group it adds to) */
  update(state: ContactState, group: string | null): void;
}

const STYLE = `
:host { all: initial; display: inline-block; vertical-align: middle; margin-inline-start: 6px; font: 12px/1.4 system-ui, sans-serif; }
.q { display: inline-flex; align-items: center; gap: 4px; max-width: 40em; }
button, select { font: inherit; border: 1px solid #4f46e5; border-radius: 4px; background: #fff; color: #3730a3; padding: 1px 6px; cursor: pointer; max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button.primary { background: #4f46e5; color: #fff; }
button:focus-visible, select:focus-visible { outline: 2px solid #f59e0b; outline-offset: 1px; }
button[disabled] { opacity: .6; cursor: progress; }
.member { color: #065f46; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.note { color: #374151; max-width: 36em; }
.error { color: #b91c1c; }
`;

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: Record<string, unknown> = {},
): HTMLElementTagNameMap[K] {
  return Object.assign(doc.createElement(tag), props);
}

function shadowHost(doc: Document, kind: string): { host: HTMLElement; box: HTMLElement } {
  const host = doc.createElement("span");
  host.setAttribute(OWN_UI_ATTRIBUTE, kind);
  const root = host.attachShadow({ mode: "open" });
  const box = el(doc, "span", { className: "q" });
  root.append(el(doc, "style", { textContent: STYLE }), box);
  return { host, box };
}

/** The one line shown once on a page where the controls cannot work, saying why and what to do. */
export function createPageNotice(doc: Document, message: string): HTMLElement {
  const { host, box } = shadowHost(doc, "page-notice");
  box.append(el(doc, "span", { className: "note", role: "status", textContent: `Quorum: ${message}`, title: message }));
  return host;
}

export function createContactControl(
  doc: Document,
  contactKey: string,
  contactName: string,
  texts: ControlTexts,
  handlers: ControlHandlers,
): ContactControl {
  const { host, box } = shadowHost(doc, "contact-control");
  host.dataset.quorumContact = contactKey;

  let state: ContactState = { key: contactKey, member: null };
  let group: string | null = null;
  let error: string | null = null;

  const render = (busy = false, roles: RoleChoice[] | null = null) => {
    box.replaceChildren();
    if (roles) {
      const select = el(doc, "select", { title: texts.chooseRole });
      select.setAttribute("aria-label", `${texts.chooseRole}: ${contactName}`);
      select.append(el(doc, "option", { value: "", textContent: texts.chooseRole }));
      for (const r of roles) select.append(el(doc, "option", { value: r.key, textContent: r.name }));
      const ok = el(doc, "button", { className: "primary", textContent: group ? texts.addTo(group) : texts.add, type: "button" });
      ok.addEventListener("click", () => {
        if (select.value) void run(() => handlers.assign(select.value));
      });
      const cancel = el(doc, "button", { textContent: texts.cancel, type: "button" });
      cancel.addEventListener("click", () => render());
      box.append(select, ok, cancel);
      select.focus();
      return;
    }
    if (state.member) {
      const role = state.member.roleName;
      box.append(
        el(doc, "span", {
          className: "member",
          textContent: `✓ ${group ? texts.inNamedGroupAs(group, role) : texts.inGroupAs(role)}`,
        }),
      );
      const undo = el(doc, "button", { textContent: texts.undo, type: "button", disabled: busy });
      undo.setAttribute("aria-label", `${texts.undo}: ${contactName}`);
      undo.addEventListener("click", () => void run(() => handlers.undo()));
      box.append(undo);
    } else {
      const role = state.suggested?.name;
      const label = role ? (group ? texts.addToAs(group, role) : texts.addAs(role)) : group ? texts.addTo(group) : texts.add;
      const add = el(doc, "button", { className: "primary", textContent: busy ? texts.adding : `+ ${label}`, type: "button" });
      add.disabled = busy;
      add.title = label;
      add.setAttribute("aria-label", `${label}: ${contactName}`);
      add.addEventListener("click", () => void run(() => handlers.assign(state.suggested?.key)));
      box.append(add);
    }
    if (error) box.append(el(doc, "span", { className: "error", role: "alert", textContent: error, title: error }));
  };

  async function run(action: () => Promise<{ state?: ContactState; roles?: RoleChoice[] | null; error?: string }>) {
    error = null;
    render(true);
    const res = await action();
    if (res.error) error = res.error;
    if (res.state) state = { ...res.state, suggested: res.state.suggested ?? state.suggested ?? null };
    render(false, res.roles ?? null);
  }

  render();
  return {
    host,
    update(next, nextGroup) {
      state = next;
      group = nextGroup;
      render();
    },
  };
}
