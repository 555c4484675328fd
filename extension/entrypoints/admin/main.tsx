import { render } from "preact";
import { browser } from "wxt/browser";
import { AdminApp } from "../../admin/AdminApp";
import { listenToHash } from "../../admin/router";
import { language } from "../../models/locale";
import { loadSettings } from "../../utils/settings";
import "../../components/panel.css";
import "../../admin/admin.css";

language.subscribe((lang) => {
  document.documentElement.lang = lang;
});
listenToHash();
render(
  <AdminApp loadSettings={loadSettings} openSettings={() => void browser.runtime.openOptionsPage()} />,
  document.getElementById("app")!,
);
