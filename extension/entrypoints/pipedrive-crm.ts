import { defineUnlistedScript } from "wxt/utils/define-unlisted-script";
import { pipedriveAdapter } from "../crm/pipedrive";
import { replaceableContext, runBuiltinCrm } from "../utils/content/run-content-script";

/**
 * Pipedrive pages: this script bundles only the Pipedrive adapter. Declared in the manifest by wxt.config.ts (content_scripts,
 * from the adapter's match patterns); an unlisted script rather than a WXT content script, so it skips WXT's
 * content-script runtime (about 1 KB gzip) and stays within the 10 KB budget.
 */
export default defineUnlistedScript(() => runBuiltinCrm(replaceableContext("quorum:pipedrive"), pipedriveAdapter));
