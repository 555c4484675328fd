import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";

describe("email configuration", () => {
  it("defaults to the file outbox under the data dir, links on the server's own address, 3 emails per 7 days", () => {
    const c = loadConfig({ QUORUM_DATA_DIR: "./data/x", QUORUM_PORT: "9000" });
    expect(c.email).toEqual({
      transport: { kind: "file", dir: resolve("./data/x/outbox") },
      from: "Quorum <quorum@localhost>",
      publicUrl: "http://127.0.0.1:9000",
      secret: null,
      cap: 3,
      capDays: 7,
      maxAttempts: 8,
    });
  });

  it.each([
    [
      { QUORUM_SMTP_URL: "smtp://ann%40x.com:p%3Ass@mail.example.com:2525" },
      { host: "mail.example.com", port: 2525, secure: false, requireTls: true, auth: { user: "ann@x.com", pass: "p:ss" } },
    ],
    [{ QUORUM_SMTP_URL: "smtps://mail.example.com" }, { host: "mail.example.com", port: 465, secure: true, requireTls: false }],
    [{ QUORUM_SMTP_URL: "smtp://127.0.0.1:25?security=none" }, { port: 25, secure: false, requireTls: false, auth: null }],
    [
      {
        QUORUM_SMTP_HOST: "relay",
        QUORUM_SMTP_SECURITY: "tls",
        QUORUM_SMTP_PORT: "465",
        QUORUM_SMTP_USER: "u",
        QUORUM_SMTP_PASSWORD: "p",
      },
      { host: "relay", port: 465, secure: true, requireTls: false, auth: { user: "u", pass: "p" } },
    ],
  ])("reads SMTP settings %o", (env, expected) => {
    expect(loadConfig(env).email.transport).toMatchObject({ kind: "smtp", ...expected });
  });

  it.each([
    [{ QUORUM_SMTP_URL: "mail.example.com" }, "QUORUM_SMTP_URL"],
    [{ QUORUM_EMAIL_TRANSPORT: "smtp" }, "QUORUM_EMAIL_TRANSPORT"],
    [{ QUORUM_EMAIL_CAP: "-1" }, "QUORUM_EMAIL_CAP"],
    [{ QUORUM_EMAIL_SECRET: "short" }, "QUORUM_EMAIL_SECRET"],
  ])("refuses %o naming the variable", (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });

  it("keeps the file outbox when QUORUM_EMAIL_TRANSPORT=file even with SMTP settings", () => {
    expect(loadConfig({ QUORUM_EMAIL_TRANSPORT: "file", QUORUM_SMTP_HOST: "relay" }).email.transport.kind).toBe("file");
  });
});
