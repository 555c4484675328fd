/**
 * The content scripts' shared start-up. Each built-in CRM has its own content script (salesforce.content.ts …) that
 * bundles only its adapter; self-hosted CRMs share one (custom.content.ts) registered at run time for granted hosts.
 */
import { browser } from "wxt/browser";
import type { CustomAdapterConfig } from "../../crm/custom-adapter";
import type { CrmAdapter } from "../../crm/types";
import type { TabNotice } from "../messages";
import { send } from "../send";
import { hostTakenOver, startCrmPageController } from "./crm-page-controller";

/** The background's "report again" notices to this tab (see TabNotice). */
function onRefresh(listener: () => void): () => void {
  const onMessage = (message: unknown) => {
    if ((message as TabNotice | null)?.type === "content/refresh") listener();
  };
  browser.runtime.onMessage.addListener(onMessage);
  return () => browser.runtime.onMessage.removeListener(onMessage);
}

interface ContextLike {
  onInvalidated(cb: () => void): unknown;
}

function run(ctx: ContextLike, adapters: (customCrms: readonly CustomAdapterConfig[]) => readonly CrmAdapter[]): void {
  const controller = startCrmPageController({ window, send, adapters, onRefresh });
  ctx.onInvalidated(() => controller.stop());
}

/** A built-in CRM's page: its adapter, unless a self-hosted configuration took over this host. */
export function runBuiltinCrm(ctx: ContextLike, adapter: CrmAdapter): void {
  run(ctx, (customCrms) => (hostTakenOver(customCrms, window.location) ? [] : [adapter]));
}

/**
 * What WXT's content-script context gives the built-in scripts, for a script outside WXT's runtime: a script injected
 * again (the extension was reloaded or updated) tells the one already on the page to stop.
 */
export function replaceableContext(name: string): ContextLike {
  const id = `${Date.now()}:${Math.random()}`;
  const stops: Array<() => void> = [];
  const onStarted = (e: Event) => {
    if ((e as CustomEvent<unknown>).detail === id) return;
    document.removeEventListener(name, onStarted);
    for (const stop of stops) stop();
  };
  document.dispatchEvent(new CustomEvent(name, { detail: id }));
  document.addEventListener(name, onStarted);
  return { onInvalidated: (cb) => stops.push(cb) };
}

/** A self-hosted CRM's page: adapters built from the user's configurations (invalid ones are skipped). */
export function runCustomCrm(ctx: ContextLike, createAdapter: (config: CustomAdapterConfig) => CrmAdapter): void {
  run(ctx, (customCrms) =>
    customCrms.flatMap((c) => {
      try {
        return [createAdapter(c)];
      } catch {
        return [];
      }
    }),
  );
}
