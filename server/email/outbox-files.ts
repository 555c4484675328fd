import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../shared/errors";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { validate } from "../http/validate";

/** One `.eml` file of the file transport, newest first in lists. */
export interface OutboxFile {
  file: string;
  date: string;
  to: string;
  subject: string;
  size: number;
}

const FileParam = z.object({
  file: z.string().regex(/^[\w.-]{1,200}\.eml$/, "must be the name of an .eml file from GET /api/outbox"),
});
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** A header of a message's head (unfolded); "" when absent. */
function header(head: string, name: string): string {
  const m = new RegExp(`^${name}: (.*(?:\\n[ \\t].*)*)`, "im").exec(head);
  return m?.[1]?.replace(/\r?\n[ \t]+/g, " ").trim() ?? "";
}

function emlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".eml"))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/**
 * The file outbox (`QUORUM_EMAIL_TRANSPORT=file`), mounted at /api/outbox for admins only: the messages
 * hold recipients' addresses and personal content, so they are read with an admin token (the admin
 * console's Emails → Outbox), never from an open page. With SMTP in use the list is empty and says so.
 */
export const outboxFileRoutes = (deps: Deps) => {
  const transport = deps.config.email.transport;
  const dir = transport.kind === "file" ? transport.dir : null;
  return new Hono<AuthEnv>()
    .get("/", requires("outbox:read"), validate("query", ListQuery), (c) => {
      const all = dir ? emlFiles(dir) : [];
      const items: OutboxFile[] = all.slice(0, c.req.valid("query").limit).map((file) => {
        const path = join(dir!, file);
        const head = readFileSync(path, "utf8").split(/\r?\n\r?\n/, 1)[0] ?? "";
        return {
          file,
          date: header(head, "Date"),
          to: header(head, "To"),
          subject: header(head, "Subject"),
          size: statSync(path).size,
        };
      });
      return c.json({ transport: transport.kind, dir, total: all.length, items }, 200);
    })
    .get("/:file", requires("outbox:read"), validate("param", FileParam), (c) => {
      const { file } = c.req.valid("param");
      if (!dir || !emlFiles(dir).includes(file)) throw notFound("Outbox file", file);
      return c.body(readFileSync(join(dir, file), "utf8"), 200, { "content-type": "message/rfc822; charset=utf-8" });
    });
};
