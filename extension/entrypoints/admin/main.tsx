import { render } from "preact";
import { browser } from "wxt/browser";
import { AdminApp } from "../../admin/AdminApp";
import { listenToHash } from "../../admin/router";
import { language } from "../../models/locale";
import { createConsoleApi, loadConsoleSettings } from "../../sso/admin-credentials";
import "../../components/panel.css";
import "../../admin/admin.css";

language.subscribe((lang) => {
  document.documentElement.lang = lang;
});
listenToHash();
render(
  <AdminApp
    loadSettings={loadConsoleSettings}
    createApi={createConsoleApi}
    openSettings={() => void browser.runtime.openOptionsPage()}
  />,
  document.getElementById("app")!,
);
