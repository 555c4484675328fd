import { render } from "preact";
import { browser } from "wxt/browser";
import { PanelApp } from "../../components/PanelApp";
import { language } from "../../models/locale";
import { createPanelModel } from "../../models/panel-model";
import { send } from "../../utils/send";
import "../../components/panel.css";

const model = createPanelModel(send);
language.subscribe((lang) => {
  document.documentElement.lang = lang;
});
browser.runtime.onMessage.addListener((message: unknown) => {
  const type = (message as { type?: string } | null)?.type;
  if (type === "broadcast/page") void model.load();
  if (type === "broadcast/group") void model.refreshGroup();
  return undefined;
});
void model.load();
render(<PanelApp model={model} />, document.getElementById("app")!);
