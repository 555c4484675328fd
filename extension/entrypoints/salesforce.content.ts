import { defineContentScript } from "wxt/utils/define-content-script";
import { salesforceAdapter } from "../crm/salesforce";
import { runBuiltinCrm } from "../utils/content/run-content-script";

/** Salesforce pages: this script bundles only the Salesforce adapter (content script size budget: 10 KB gzip). */
export default defineContentScript({
  matches: [...salesforceAdapter.matches],
  runAt: "document_idle",
  main: (ctx) => runBuiltinCrm(ctx, salesforceAdapter),
});
