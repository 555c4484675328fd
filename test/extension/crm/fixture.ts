/**
 * Loading saved CRM pages (test/fixtures/crm/*.html) into a happy-dom Window at a given URL.
 *
 * happy-dom 20.0 does NOT parse declarative shadow DOM: a `<template shadowrootmode="open">` stays an inert
 * <template> (checked by a test in salesforce.test.ts). So, like a browser would, {@link hydrateDeclarativeShadowRoots}
 * turns each such template into a real shadow root of its parent with `attachShadow`, innermost roots included.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Window } from "happy-dom";
import { usePageWords } from "../../../extension/crm/labels";
import type { PageContact } from "../../../extension/crm/types";
import { PAGE_WORDS } from "../../../extension/crm/words";

usePageWords(PAGE_WORDS);

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/crm");

export function fixtureHtml(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

export interface LoadedPage {
  window: Window;
  document: Document;
  url: URL;
  /** the page URL changes without reloading (single-page navigation) */
  navigate(url: string): URL;
  close(): Promise<void>;
}

/** Attach a shadow root for every `<template shadowrootmode>` under `root` (recursively); returns how many. */
export function hydrateDeclarativeShadowRoots(root: Document | ShadowRoot | Element): number {
  let count = 0;
  for (const template of Array.from(root.querySelectorAll<HTMLTemplateElement>("template[shadowrootmode]"))) {
    const host = template.parentElement;
    if (!host || host.shadowRoot) continue;
    const shadow = host.attachShadow({ mode: template.getAttribute("shadowrootmode") === "closed" ? "closed" : "open" });
    shadow.appendChild(template.content);
    template.remove();
    count += 1 + hydrateDeclarativeShadowRoots(shadow);
  }
  return count;
}

export interface LoadOptions {
  /** attach the fixture's declarative shadow roots (default true) */
  declarativeShadowDom?: boolean;
  /** edit the saved HTML before loading it */
  transform?: (html: string) => string;
}

export function loadFixture(name: string, url: string, options: LoadOptions = {}): LoadedPage {
  const window = new Window({
    url,
    settings: { disableCSSFileLoading: true, disableJavaScriptFileLoading: true, disableIframePageLoading: true },
  });
  const document = window.document as unknown as Document;
  const html = fixtureHtml(name);
  document.write(options.transform ? options.transform(html) : html);
  if (options.declarativeShadowDom !== false) hydrateDeclarativeShadowRoots(document);
  return {
    window,
    document,
    url: new URL(url),
    navigate(next: string) {
      window.happyDOM.setURL(next);
      return new URL(window.location.href);
    },
    close: () => window.happyDOM.close(),
  };
}

/** Remove every class attribute, in the light DOM and in all (open) shadow roots. */
export function stripClasses(root: Document | ShadowRoot): number {
  let count = 0;
  for (const el of Array.from(root.querySelectorAll("*"))) {
    if (el.hasAttribute("class")) {
      el.removeAttribute("class");
      count++;
    }
    if (el.shadowRoot) count += stripClasses(el.shadowRoot);
  }
  return count;
}

/** Give every element different, random-looking class names (a new CRM build). */
export function renameClasses(root: Document | ShadowRoot, salt = "zz"): void {
  for (const el of Array.from(root.querySelectorAll("*"))) {
    const cls = el.getAttribute("class");
    if (cls !== null) {
      el.setAttribute(
        "class",
        cls
          .split(/\s+/)
          .filter(Boolean)
          .map((c, i) => `${salt}${(c.length * 31 + i).toString(36)}`)
          .join(" "),
      );
    }
    if (el.shadowRoot) renameClasses(el.shadowRoot, salt);
  }
}

export type ContactSummary = Omit<PageContact, "anchor">;

export function summarise(contacts: readonly PageContact[]): ContactSummary[] {
  return contacts.map(({ anchor: _anchor, ...rest }) => rest);
}
