import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";

/**
 * Keyboard behaviour of an inline dialog (Send email, the remove confirmation): focus moves into it when it opens
 * (to `initial`, else its first control), Escape closes it, and focus goes back to whatever opened it.
 */
export function useDialog<T extends HTMLElement>(onClose: () => void, initial?: string): RefObject<T> {
  const ref = useRef<T>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const root = ref.current;
    const target =
      (initial ? root?.querySelector<HTMLElement>(initial) : null) ??
      root?.querySelector<HTMLElement>("button:not([disabled]), select, input, [tabindex]");
    target?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      close.current();
    };
    root?.addEventListener("keydown", onKey);
    return () => {
      root?.removeEventListener("keydown", onKey);
      // The opener may have been re-rendered away; then its replacement (same test id / id) takes the focus.
      if (opener?.isConnected) opener.focus();
      else if (opener?.id) document.getElementById(opener.id)?.focus();
    };
  }, []);
  return ref;
}
