import { render } from "preact";
import { OptionsApp } from "../../components/options/OptionsApp";
import { send } from "../../utils/send";
import "../../components/panel.css";

render(<OptionsApp send={send} />, document.getElementById("app")!);
