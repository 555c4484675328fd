import { useEffect, useRef, useState } from "preact/hooks";
import { useT } from "../../i18n";
import { messages } from "./messages";

/**
 * A just-issued token, shown this once: read-only field, a copy button and the warning that it will not be shown again.
 * Takes the focus when it appears so keyboard and screen-reader users land on it.
 */
export function TokenReveal({ owner, token, onDone }: { owner: string; token: string; onDone: () => void }) {
  const t = useT(messages);
  const [copy, setCopy] = useState<"copied" | "failed" | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, [token]);

  async function copyToken() {
    try {
      await navigator.clipboard.writeText(token);
      setCopy("copied");
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopy("failed");
    }
  }

  return (
    <section class="token-reveal" aria-labelledby="token-reveal-title" data-testid="token-reveal">
      <h3 id="token-reveal-title" tabIndex={-1} ref={heading}>
        {t("revealTitle", { name: owner })}
      </h3>
      <p class="token-reveal-warning">{t("revealOnce", { name: owner })}</p>
      <div class="token-reveal-row">
        <label class="sr-only" for="token-reveal-value">
          {t("token")}
        </label>
        <input
          id="token-reveal-value"
          ref={input}
          class="token-value"
          data-testid="new-token"
          readOnly
          value={token}
          spellcheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="primary" onClick={() => void copyToken()}>
          {t("copy")}
        </button>
        <button type="button" onClick={onDone}>
          {t("done")}
        </button>
      </div>
      <p role="status" aria-live="polite" class="muted">
        {copy === "copied" ? t("copied") : copy === "failed" ? t("copyFailed") : ""}
      </p>
    </section>
  );
}
