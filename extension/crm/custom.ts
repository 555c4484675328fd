/**
 * Adapters for self-hosted CRMs that the user configures at run time: a host plus URL patterns for account pages and
 * contact links (see {@link compileUrlPattern}). Name, website and contact fields are read from generic stable markup:
 * schema.org `itemprop`, `data-field-name` / `data-name` field attributes (Twenty, EspoCRM style), labelled fields
 * (`<dt>`/`<dd>`, `<label for>`, `aria-labelledby`, table `headers`) and the page's `<h1>`.
 */
import { CRM_PATTERN } from "../../shared/domain/crm";
import { type CustomAdapterConfig, customAdapter } from "./custom-adapter";
import type { CrmAdapter } from "./types";
import type { UrlPattern } from "./url-pattern";
import { compileUrlPattern, UrlPatternError } from "./url-pattern-check";

export type { CustomAdapterConfig };

/** A custom CRM configuration is invalid; `field` names the offending field. */
export class CustomAdapterConfigError extends Error {
  readonly field: keyof CustomAdapterConfig | "config";
  constructor(field: keyof CustomAdapterConfig | "config", message: string) {
    super(`Invalid custom CRM config: ${field === "config" ? "" : `"${field}" `}${message}`);
    this.name = "CustomAdapterConfigError";
    this.field = field;
  }
}

function validateHost(raw: unknown): { host: string; hostname: string; port: string | null } {
  if (typeof raw !== "string") throw new CustomAdapterConfigError("host", "must be a string");
  const host = raw.trim().toLowerCase();
  if (host === "") throw new CustomAdapterConfigError("host", 'must not be empty; e.g. "crm.example.org"');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) {
    throw new CustomAdapterConfigError(
      "host",
      `must be a host name without "http://" or "https://", e.g. "crm.example.org" (got "${raw}")`,
    );
  }
  if (/[/?#]/.test(host))
    throw new CustomAdapterConfigError("host", `must be a host name without a path, e.g. "crm.example.org" (got "${raw}")`);
  if (host.includes("*")) throw new CustomAdapterConfigError("host", "must be one exact host name; wildcards are not supported");
  const port = /:(\d{1,5})$/.exec(host)?.[1] ?? null;
  if (!CRM_PATTERN.test(`custom:${host}`) || (port !== null && (Number(port) < 1 || Number(port) > 65535)) || host.length > 253) {
    throw new CustomAdapterConfigError(
      "host",
      `must be a host name such as "crm.example.org", optionally with a port ("crm.example.org:8443") (got "${raw}")`,
    );
  }
  return { host, hostname: port === null ? host : host.slice(0, -(port.length + 1)), port };
}

function compile(field: "accountPathPattern" | "contactLinkPattern", raw: unknown): UrlPattern {
  try {
    return compileUrlPattern(raw);
  } catch (e) {
    if (e instanceof UrlPatternError) throw new CustomAdapterConfigError(field, `${e.message} (got ${JSON.stringify(raw)})`);
    throw e;
  }
}

/** Validate a user's configuration; throws {@link CustomAdapterConfigError} naming the bad field. */
export function validateCustomAdapterConfig(config: unknown): {
  host: string;
  hostname: string;
  port: string | null;
  account: UrlPattern;
  contact: UrlPattern;
} {
  if (typeof config !== "object" || config === null) throw new CustomAdapterConfigError("config", "must be an object");
  const c = config as Partial<Record<keyof CustomAdapterConfig, unknown>>;
  const host = validateHost(c.host);
  const account = compile("accountPathPattern", c.accountPathPattern);
  const contact = compile("contactLinkPattern", c.contactLinkPattern);
  const base = `https://${host.host}`;
  if (contact.match(new URL(account.example(), base)) !== null || account.match(new URL(contact.example(), base)) !== null) {
    throw new CustomAdapterConfigError(
      "contactLinkPattern",
      `must not match the same URLs as "accountPathPattern" (${JSON.stringify(contact.source)} vs ${JSON.stringify(account.source)})`,
    );
  }
  return { ...host, account, contact };
}

/** An adapter for a self-hosted CRM; its id is `custom:<host>`. Throws {@link CustomAdapterConfigError}. */
export function createCustomAdapter(config: CustomAdapterConfig): CrmAdapter {
  validateCustomAdapterConfig(config);
  return customAdapter(config);
}
