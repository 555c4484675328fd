import { defineContentScript } from "wxt/utils/define-content-script";
import { hubspotAdapter } from "../crm/hubspot";
import { runBuiltinCrm } from "../utils/content/run-content-script";

/** Hubspot pages: this script bundles only the Hubspot adapter (content script size budget: 10 KB gzip). */
export default defineContentScript({
  matches: [...hubspotAdapter.matches],
  runAt: "document_idle",
  main: (ctx) => runBuiltinCrm(ctx, hubspotAdapter),
});
