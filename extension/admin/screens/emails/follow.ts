import { navigate } from "../../router";

/** Follows an in-console link without a page load (keeps the route signal in step in tests and in the app). */
export const follow =
  (href: string, replace = false) =>
  (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href, { replace });
  };
