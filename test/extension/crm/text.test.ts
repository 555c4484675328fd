// @vitest-environment happy-dom
/** Sanitising untrusted page text: whitespace, invisible characters, caps, e-mails, phones, domains. */
import { describe, expect, it } from "vitest";
import {
  cleanText,
  emailFromMailto,
  normaliseDomain,
  parseEmail,
  parsePhone,
  phoneFromTelHref,
} from "../../../extension/crm/text";

describe("normaliseDomain", () => {
  it.each<[string | null, string | null]>([
    ["https://www.Acme.com/about", "acme.com"],
    ["http://www.acme.com", "acme.com"],
    ["www.acme.co.uk", "acme.co.uk"],
    ["acme.com/", "acme.com"],
    ["ACME.COM", "acme.com"],
    ["https://shop.acme.com:8443/x?y#z", "shop.acme.com"],
    ["//www.acme.com/path", "acme.com"],
    ["acme.com:8080", "acme.com"],
    ["https://user:pw@www.acme.com/", "acme.com"],
    ["  www.acme.com.  ", "acme.com"],
    ["https://bücher.de", "xn--bcher-kva.de"],
    ["acme", null],
    ["localhost", null],
    ["http://192.168.1.10/", null],
    ["mailto:sales@acme.com", null],
    ["javascript:alert(1)", null],
    ["ftp://files.acme.com", null],
    ["not a domain at all", null],
    ["-acme.com", null],
    ["", null],
    [null, null],
  ])("%s → %s", (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });
});

describe("cleanText", () => {
  it("trims, collapses whitespace (incl. NBSP and newlines) and strips invisible/bidi characters", () => {
    expect(cleanText("  Jane\u00a0\n\t Smith  ")).toBe("Jane Smith");
    expect(cleanText("Ja\u200bne\u202e Smith\u0000")).toBe("Jane Smith");
    expect(cleanText(" \u200b \n")).toBeNull();
    expect(cleanText(null)).toBeNull();
  });

  it("caps to a number of code points without splitting surrogate pairs", () => {
    expect(cleanText("x".repeat(500))).toHaveLength(200);
    expect(cleanText("😀".repeat(300))).toBe("😀".repeat(200));
    expect(cleanText("abc def", 4)).toBe("abc");
  });
});

describe("e-mail and phone", () => {
  it.each<[string, string | null]>([
    ["mailto:Jane.Smith@Globex.com", "jane.smith@globex.com"],
    ["MAILTO:jane%40globex.com?subject=Hi", "jane@globex.com"],
    ["mailto:a@b.com,c@d.com", "a@b.com"],
    ["mailto:", null],
    ["mailto:not-an-email", null],
    ["https://globex.com", null],
  ])("emailFromMailto(%s) → %s", (href, expected) => {
    expect(emailFromMailto(href)).toBe(expected);
  });

  it.each<[string, string | null]>([
    ["tel:+14155550101", "+14155550101"],
    ["tel:(415)%20555-0199", "(415) 555-0199"],
    ["callto:+1 570 555 0150", "+1 570 555 0150"],
    ["tel:+1-212-555-0144;ext=12", "+1-212-555-0144;ext=12"],
    ["tel:", null],
    ["tel:call-me", null],
    ["mailto:a@b.com", null],
  ])("phoneFromTelHref(%s) → %s", (href, expected) => {
    expect(phoneFromTelHref(href)).toBe(expected);
  });

  it("rejects over-long or non-phone text and invalid e-mails", () => {
    expect(parsePhone("12")).toBeNull();
    expect(parsePhone("-")).toBeNull();
    expect(parsePhone("555 0100 x204")).toBe("555 0100 x204");
    expect(parsePhone("1".repeat(41))).toBeNull();
    expect(parseEmail("a b@c.com")).toBeNull();
    expect(parseEmail(`${"a".repeat(65)}@c.com`)).toBeNull();
    expect(parseEmail("<script>@x.com")).toBeNull();
  });
});
