import { browser } from "wxt/browser";
import type { Request, RequestType, Response } from "./messages";

/** Sends one request to the background and returns its result; a dead background becomes an error result. */
export async function send<K extends RequestType>(request: Request<K>): Promise<Response<K>> {
  try {
    const res = (await browser.runtime.sendMessage(request)) as Response<K> | undefined;
    return res ?? { ok: false, error: { kind: "server", message: "No answer from the extension's background." } };
  } catch (e) {
    return { ok: false, error: { kind: "server", message: e instanceof Error ? e.message : String(e) } };
  }
}
