/**
 * Renders an admin screen against a REAL Quorum app (in-memory SQLite, migrated like production; see createTestContext)
 * through the same typed client the console uses: the client's fetch is bound to the app in process.
 * Use in `// @vitest-environment happy-dom` test files.
 */
import type { ComponentChildren } from "preact";
import { render } from "preact";
import { act } from "preact/test-utils";
import { createAdminApi } from "../../../extension/admin/api";
import { parseRoute, type Route } from "../../../extension/admin/router";
import { type AdminSession, SessionContext } from "../../../extension/admin/session";
import { createTestContext, type TestContext } from "../../helpers/test-app";

export interface AdminHarness {
  ctx: TestContext;
  session: AdminSession;
  root: HTMLElement;
  /** Renders `node` inside the session provider (replacing what was rendered). */
  mount: (node: ComponentChildren) => void;
  route: (hash: string) => Route;
  /** Lets pending promises and re-renders settle (server calls are in process, so a few ticks suffice). */
  settle: (times?: number) => Promise<void>;
  /** Waits until `check` passes (re-throws its last error after `ms`). */
  waitFor: <T>(check: () => T, ms?: number) => Promise<T>;
  close: () => Promise<void>;
}

export async function createAdminHarness(
  options: { role?: "admin" | "marketer" | "sales"; now?: Date; env?: Record<string, string> } = {},
): Promise<AdminHarness> {
  const ctx = await createTestContext({
    ...(options.now ? { now: options.now } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const token = ctx.tokens[options.role ?? "admin"];
  const boundFetch: typeof fetch = async (input, init) =>
    ctx.app.fetch(input instanceof Request ? input : new Request(String(input), init));
  const api = createAdminApi("http://quorum.test", token, boundFetch);
  const me = (await (await api.me.$get()).json()) as AdminSession["me"];
  const session: AdminSession = { api, me, serverUrl: "http://quorum.test", token };
  const root = document.createElement("div");
  document.body.append(root);
  const settle = async (times = 8) => {
    for (let i = 0; i < times; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
  };
  return {
    ctx,
    session,
    root,
    mount: (node) => act(() => render(<SessionContext.Provider value={session}>{node}</SessionContext.Provider>, root)),
    route: (hash) => parseRoute(hash),
    settle,
    async waitFor(check, ms = 3000) {
      const until = Date.now() + ms;
      for (;;) {
        try {
          return check();
        } catch (e) {
          if (Date.now() > until) throw e;
          await settle(2);
        }
      }
    },
    async close() {
      act(() => render(null, root));
      root.remove();
      await ctx.close();
    },
  };
}
