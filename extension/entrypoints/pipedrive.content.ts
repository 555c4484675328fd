import { defineContentScript } from "wxt/utils/define-content-script";
import { pipedriveAdapter } from "../crm/pipedrive";
import { runBuiltinCrm } from "../utils/content/run-content-script";

/** Pipedrive pages: this script bundles only the Pipedrive adapter (content script size budget: 10 KB gzip). */
export default defineContentScript({
  matches: [...pipedriveAdapter.matches],
  runAt: "document_idle",
  main: (ctx) => runBuiltinCrm(ctx, pipedriveAdapter),
});
