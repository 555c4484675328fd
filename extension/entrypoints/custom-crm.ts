import { defineUnlistedScript } from "wxt/utils/define-unlisted-script";
import { customAdapter } from "../crm/custom-adapter";
import { replaceableContext, runCustomCrm } from "../utils/content/run-content-script";

/**
 * The content script of self-hosted CRMs configured in the options page. Not in the manifest: the background registers
 * this file at run time (scripting.registerContentScripts) for each host the user granted
 * (utils/background/register-custom-crms.ts). An unlisted script rather than a WXT content script: it skips WXT's
 * content-script runtime (about 1 KB gzip), which keeps it within the 10 KB budget with the URL-pattern code it needs.
 */
// The background sends checked configurations only (content/config), so this script carries the adapter builder without
// the checks and their messages.
export default defineUnlistedScript(() => runCustomCrm(replaceableContext("quorum:custom-crm"), customAdapter));
