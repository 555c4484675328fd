/**
 * The small inline control injected after each contact on a CRM page: a shadow root (the CRM's CSS cannot reach it),
 * built with DOM calls only (page text is untrusted: never as markup). Its host carries OWN_UI_ATTRIBUTE so adapters skip it.
 */
import { OWN_UI_ATTRIBUTE } from "../../crm/dom";
import type { ContactState, RoleChoice } from "../messages";

export interface ControlTexts {
  add: string;
  adding: string;
  inGroupAs(role: string): string;
  undo: string;
  chooseRole: string;
  failed(message: string): string;
  cancel: string;
}

export interface ControlHandlers {
  assign(roleKey?: string): Promise<{ state?: ContactState; roles?: RoleChoice[] | null; error?: string }>;
  undo(): Promise<{ state?: ContactState; error?: string }>;
}

export interface ContactControl {
  host: HTMLElement;
  update(state: ContactState): void;
}

const STYLE = `
:host { all: initial; display: inline-block; vertical-align: middle; margin-inline-start: 6px; font: 12px/1.4 system-ui, sans-serif; }
.q { display: inline-flex; align-items: center; gap: 4px; max-width: 240px; }
button, select { font: inherit; border: 1px solid #4f46e5; border-radius: 4px; background: #fff; color: #3730a3; padding: 1px 6px; cursor: pointer; }
button.primary { background: #4f46e5; color: #fff; }
button:focus-visible, select:focus-visible { outline: 2px solid #f59e0b; outline-offset: 1px; }
button[disabled] { opacity: .6; cursor: progress; }
.member { color: #065f46; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.error { color: #b91c1c; }
`;

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: Record<string, unknown> = {},
): HTMLElementTagNameMap[K] {
  return Object.assign(doc.createElement(tag), props);
}

export function createContactControl(
  doc: Document,
  contactKey: string,
  contactName: string,
  texts: ControlTexts,
  handlers: ControlHandlers,
): ContactControl {
  const host = doc.createElement("span");
  host.setAttribute(OWN_UI_ATTRIBUTE, "contact-control");
  host.dataset.quorumContact = contactKey;
  const root = host.attachShadow({ mode: "open" });
  root.append(el(doc, "style", { textContent: STYLE }));
  const box = el(doc, "span", { className: "q" });
  root.append(box);

  let state: ContactState = { key: contactKey, member: null };
  let error: string | null = null;

  const render = (busy = false, roles: RoleChoice[] | null = null) => {
    box.replaceChildren();
    if (roles) {
      const select = el(doc, "select", { title: texts.chooseRole });
      select.setAttribute("aria-label", `${texts.chooseRole}: ${contactName}`);
      select.append(el(doc, "option", { value: "", textContent: texts.chooseRole }));
      for (const r of roles) select.append(el(doc, "option", { value: r.key, textContent: r.name }));
      const ok = el(doc, "button", { className: "primary", textContent: texts.add, type: "button" });
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
      box.append(el(doc, "span", { className: "member", textContent: `✓ ${texts.inGroupAs(state.member.roleName)}` }));
      const undo = el(doc, "button", { textContent: texts.undo, type: "button", disabled: busy });
      undo.setAttribute("aria-label", `${texts.undo}: ${contactName}`);
      undo.addEventListener("click", () => void run(() => handlers.undo()));
      box.append(undo);
    } else {
      const add = el(doc, "button", {
        className: "primary",
        textContent: busy ? texts.adding : `+ ${texts.add}`,
        type: "button",
      });
      add.disabled = busy;
      add.setAttribute("aria-label", `${texts.add}: ${contactName}`);
      add.addEventListener("click", () => void run(() => handlers.assign()));
      box.append(add);
    }
    if (error) box.append(el(doc, "span", { className: "error", role: "alert", textContent: texts.failed(error) }));
  };

  async function run(action: () => Promise<{ state?: ContactState; roles?: RoleChoice[] | null; error?: string }>) {
    error = null;
    render(true);
    const res = await action();
    if (res.error) error = res.error;
    if (res.state) state = res.state;
    render(false, res.roles ?? null);
  }

  render();
  return {
    host,
    update(next) {
      state = next;
      render();
    },
  };
}
