import { defineContentScript } from "wxt/utils/define-content-script";
import { zohoAdapter } from "../crm/zoho";
import { runBuiltinCrm } from "../utils/content/run-content-script";

/** Zoho pages: this script bundles only the Zoho adapter (content script size budget: 10 KB gzip). */
export default defineContentScript({
  matches: [...zohoAdapter.matches],
  runAt: "document_idle",
  main: (ctx) => runBuiltinCrm(ctx, zohoAdapter),
});
