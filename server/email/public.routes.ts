import { Hono } from "hono";
import type { Deps } from "../deps";
import { escapeHtml } from "./render";
import { optOut, unsubscribeSecret, verifyUnsubscribeToken } from "./unsubscribe";

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}button{font:inherit;padding:.4rem 1rem}</style></head>
<body>${body}</body></html>`;

/**
 * Public pages, outside `/api` and without a token:
 * - `/unsubscribe/:token`: GET shows a confirmation button, POST (the button, or a mail client's
 *   RFC 8058 one-click `List-Unsubscribe=One-Click`) opts the person out. The token is an HMAC per recipient.
 * The file outbox is not public: admins read it at /api/outbox (server/email/outbox-files.ts).
 */
export const publicEmailRoutes = (deps: Deps) => {
  const personOf = async (token: string) => verifyUnsubscribeToken(await unsubscribeSecret(deps), token);
  const invalid = page("Link not valid", "<h1>This unsubscribe link is not valid</h1><p>Copy the whole link from the email.</p>");

  return new Hono()
    .get("/unsubscribe/:token", async (c) => {
      if (!(await personOf(c.req.param("token")))) return c.html(invalid, 404);
      return c.html(
        page(
          "Unsubscribe",
          `<h1>Unsubscribe from sales emails</h1><form method="post"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
    })
    .post("/unsubscribe/:token", async (c) => {
      const personId = await personOf(c.req.param("token"));
      if (!personId || !(await optOut(deps.db, personId, deps.clock().toISOString(), "unsubscribe-link")))
        return c.html(invalid, 404);
      return c.html(page("Unsubscribed", "<h1>You are unsubscribed</h1><p>You will get no more sales emails from us.</p>"));
    });
};
