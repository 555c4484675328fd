import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import type { Deps } from "../deps";
import { escapeHtml } from "./render";
import { optOut, unsubscribeSecret, verifyUnsubscribeToken } from "./unsubscribe";

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}button{font:inherit;padding:.4rem 1rem}</style></head>
<body>${body}</body></html>`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
export const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith("127.");

/**
 * Public pages, outside `/api` and without a token:
 * - `/unsubscribe/:token`: GET shows a confirmation button, POST (the button, or a mail client's
 *   RFC 8058 one-click `List-Unsubscribe=One-Click`) opts the person out. The token is an HMAC per recipient.
 * - `/outbox`: the file transport's `.eml` files, only when the file transport is in use and the server
 *   listens on loopback (the messages hold personal data; on any other address the page does not exist).
 */
export const publicEmailRoutes = (deps: Deps) => {
  const personOf = async (token: string) => verifyUnsubscribeToken(await unsubscribeSecret(deps), token);
  const invalid = page("Link not valid", "<h1>This unsubscribe link is not valid</h1><p>Copy the whole link from the email.</p>");
  const transport = deps.config.email.transport;
  const outboxDir = transport.kind === "file" && isLoopback(deps.config.host) ? transport.dir : null;
  const files = () => {
    if (!outboxDir) return [];
    try {
      return readdirSync(outboxDir)
        .filter((f) => f.endsWith(".eml"))
        .sort()
        .reverse();
    } catch {
      return [];
    }
  };

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
    })
    .get("/outbox", (c) => {
      if (!outboxDir) return c.notFound();
      const rows = files()
        .slice(0, 500)
        .map((f) => {
          const head = readFileSync(join(outboxDir, f), "utf8").split(/\r?\n\r?\n/, 1)[0] ?? "";
          const header = (name: string) =>
            new RegExp(`^${name}: (.*(?:\\n[ \\t].*)*)`, "im").exec(head)?.[1]?.replace(/\n[ \t]+/g, " ") ?? "";
          return `<tr><td>${escapeHtml(header("Date"))}</td><td>${escapeHtml(header("To"))}</td><td><a href="/outbox/${encodeURIComponent(f)}">${escapeHtml(header("Subject"))}</a></td><td>${statSync(join(outboxDir, f)).size} B</td></tr>`;
        });
      return c.html(
        page(
          "Outbox",
          `<h1>Outbox</h1><p>${files().length} messages in <code>${escapeHtml(outboxDir)}</code> (the file transport; set QUORUM_SMTP_URL to send for real).</p>
<table><thead><tr><th>Date</th><th>To</th><th>Subject</th><th>Size</th></tr></thead><tbody>${rows.join("")}</tbody></table>`,
        ),
      );
    })
    .get("/outbox/:file", (c) => {
      const file = c.req.param("file");
      if (!outboxDir || !/^[\w.-]+\.eml$/.test(file) || !files().includes(file)) return c.notFound();
      return c.body(readFileSync(join(outboxDir, file)), 200, { "content-type": "text/plain; charset=utf-8" });
    });
};
