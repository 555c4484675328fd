import { useT } from "../../i18n";
import { EXPIRY_CHOICES, type ExpiryChoice } from "./expiry";
import { messages } from "./messages";

const LABEL = { never: "expiryNever", "30": "expiry30", "90": "expiry90", "365": "expiry365", date: "expiryDate" } as const;

/** "Expires": never, in 30/90/365 days, or on a date; the error (if any) is tied to the field. */
export function ExpiryField(props: {
  idPrefix: string;
  choice: ExpiryChoice;
  date: string;
  error: string | null;
  onChoice: (c: ExpiryChoice) => void;
  onDate: (d: string) => void;
}) {
  const t = useT(messages);
  const errorId = `${props.idPrefix}-expiry-error`;
  return (
    <>
      <label class="field">
        <span>{t("expires")}</span>
        <select
          name="expiry"
          value={props.choice}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? errorId : undefined}
          onChange={(e) => props.onChoice(e.currentTarget.value as ExpiryChoice)}
        >
          {EXPIRY_CHOICES.map((c) => (
            <option key={c} value={c}>
              {t(LABEL[c])}
            </option>
          ))}
        </select>
        {props.error && (
          <span id={errorId} class="field-error">
            {props.error}
          </span>
        )}
      </label>
      {props.choice === "date" && (
        <label class="field">
          <span>{t("expiryOn")}</span>
          <input type="date" name="expiryDate" value={props.date} onInput={(e) => props.onDate(e.currentTarget.value)} />
        </label>
      )}
    </>
  );
}
