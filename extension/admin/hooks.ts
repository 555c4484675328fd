/** Small hooks the console's editors share. */
import { useEffect, useState } from "preact/hooks";

/** While `dirty`, closing or reloading the page asks first. */
export function useUnsavedChangesPrompt(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);
}

/** `focus(id)` moves focus to the element with that id after the next render (e.g. a field just added or in error). */
export function useFocusRequest(): (id: string) => void {
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);
  return setFocusId;
}
