import { defineContentScript } from "wxt/utils/define-content-script";
import { dynamicsAdapter } from "../crm/dynamics";
import { runBuiltinCrm } from "../utils/content/run-content-script";

/** Dynamics pages: this script bundles only the Dynamics adapter (content script size budget: 10 KB gzip). */
export default defineContentScript({
  matches: [...dynamicsAdapter.matches],
  runAt: "document_idle",
  main: (ctx) => runBuiltinCrm(ctx, dynamicsAdapter),
});
