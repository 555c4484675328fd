import { defineContentScript } from "wxt/utils/define-content-script";
import { startCrmPageController } from "../utils/content/crm-page-controller";
import { SAAS_CRM_MATCHES } from "../utils/crm-hosts";
import { send } from "../utils/send";

export default defineContentScript({
  matches: [...SAAS_CRM_MATCHES],
  runAt: "document_idle",
  main(ctx) {
    const controller = startCrmPageController({ window, send });
    ctx.onInvalidated(() => controller.stop());
  },
});
