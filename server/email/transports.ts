import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { EmailConfig } from "../config";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../secrets/private-files";
import type { OutboxRow } from "./outbox.repo";

/** Delivers one message; resolves once the receiving side accepted it, rejects with its error otherwise. */
export interface MailTransport {
  kind: "smtp" | "file";
  send(row: OutboxRow): Promise<void>;
  close(): void;
}

/** A failure that retrying will not fix (a 5xx answer from the SMTP server). */
export function isPermanentFailure(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/** The nodemailer message for an outbox row: the stored Message-ID, date and one-click List-Unsubscribe. */
export function mailOptions(row: OutboxRow): Mail.Options {
  return {
    from: row.from_address,
    to: row.to_address,
    ...(row.reply_to ? { replyTo: row.reply_to } : {}),
    subject: row.subject,
    html: row.html_body,
    text: row.text_body,
    messageId: row.message_id,
    date: new Date(row.created_at),
    headers: {
      "List-Unsubscribe": { prepared: true, value: `<${row.unsubscribe_url}>` },
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "X-Quorum-Outbox-Id": row.id,
    },
  };
}

/** `connections`: how many SMTP connections the pool keeps (match the worker's concurrency). */
export function smtpTransport(t: Extract<EmailConfig["transport"], { kind: "smtp" }>, connections = 5): MailTransport {
  const transporter = nodemailer.createTransport({
    host: t.host,
    port: t.port,
    secure: t.secure,
    requireTLS: t.requireTls,
    ignoreTLS: !t.secure && !t.requireTls,
    ...(t.auth ? { auth: t.auth } : {}),
    pool: true,
    maxConnections: connections,
    // Bounded so one send always ends well inside the worker's lease.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: "smtp",
    async send(row) {
      const info = await transporter.sendMail(mailOptions(row));
      if (info.rejected.length > 0) throw Object.assign(new Error(`rejected: ${info.response}`), { responseCode: 550 });
    },
    close: () => transporter.close(),
  };
}

/** The `.eml` file of a message: named by outbox id, so a redelivery rewrites the same file. */
export const emlFileName = (row: Pick<OutboxRow, "id" | "created_at">) =>
  `${row.created_at.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${row.id}.eml`;

/** The embedded default: one readable `.eml` per message under `dir` (written atomically). */
export function fileTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "file",
    async send(row) {
      const info = await composer.sendMail(mailOptions(row));
      // Recipients and personal content: the directory is the owner's only, each file 0600.
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      const file = join(dir, emlFileName(row));
      writeFileSync(`${file}.tmp`, info.message as Buffer, { mode: PRIVATE_FILE_MODE });
      renameSync(`${file}.tmp`, file);
    },
    close: () => composer.close(),
  };
}

export function createTransport(config: EmailConfig): MailTransport {
  return config.transport.kind === "smtp" ? smtpTransport(config.transport) : fileTransport(config.transport.dir);
}
