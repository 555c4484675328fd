import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * A component whose code loads when it is first rendered (a separate chunk): for what the side panel's first
 * screen does not show — the organisation's sign-in, the email compose — so the panel's first load stays within
 * its 35 KB gzip budget (docs/performance.md). Renders nothing for the moment the chunk takes to load; `preload()`
 * fetches it ahead (after the first paint) so a click opens it at once.
 */
type View<P> = (props: P) => JSX.Element;

export function lazyComponent<P extends object>(load: () => Promise<View<P>>) {
  let loaded: View<P> | null = null;
  let loading: Promise<View<P>> | null = null;
  const fetchOnce = () => {
    loading ??= load().then((c) => {
      loaded = c;
      return c;
    });
    return loading;
  };
  function Lazy(props: P) {
    const [Component, setComponent] = useState<View<P> | null>(() => loaded);
    useEffect(() => {
      if (Component) return;
      let live = true;
      void fetchOnce().then((c) => live && setComponent(() => c));
      return () => {
        live = false;
      };
    }, [Component]);
    return Component ? <Component {...props} /> : null;
  }
  /** Loads the code ahead of the first render (e.g. when the screen that opens it appears), so it opens at once. */
  Lazy.preload = () => void fetchOnce();
  return Lazy;
}
