import sanitizeHtml from "sanitize-html";

/**
 * What an email's HTML may contain: the formatting, tables, images and links mail clients render, inline
 * styles and <style> blocks (emails are styled that way). Never scripts, event handlers, frames, forms,
 * objects, `javascript:` links or <meta>/<base>/<link>. Personalisation tokens (`{{person.firstName}}`)
 * are plain text and pass through.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    "img",
    "style",
    "center",
    "font",
    "span",
    "del",
    "ins",
    "small",
    "big",
    "u",
  ],
  nonTextTags: ["script", "textarea", "option", "noscript", "title"],
  allowedAttributes: {
    "*": ["style", "class", "id", "align", "valign", "width", "height", "bgcolor", "border", "dir", "lang", "title", "role"],
    a: ["href", "name", "target", "rel"],
    img: ["src", "alt", "width", "height"],
    table: ["cellpadding", "cellspacing", "border", "width", "bgcolor", "align"],
    td: ["colspan", "rowspan", "nowrap"],
    th: ["colspan", "rowspan", "nowrap", "scope"],
    font: ["color", "face", "size"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["http", "https", "data", "cid"] },
  allowProtocolRelative: false,
  // <style> cannot carry script in a mail client or in the console's preview (a sandboxed frame without scripts).
  allowVulnerableTags: true,
};

const ALLOWED = new Set(OPTIONS.allowedTags as string[]);
const DROPPED_SILENTLY = new Set(["html", "head", "body", "title", "meta"]);

/**
 * Cleans an email's HTML. `removed` names what was taken out (`<script>`, `onclick`, `javascript: link`),
 * so the editor can say so; structure a mail client ignores anyway (`<html>`, `<head>`, `<body>`) is
 * unwrapped without mention.
 */
export function sanitizeEmailHtml(html: string): { html: string; removed: string[] } {
  const removed = new Set<string>();
  const clean = sanitizeHtml(html, {
    ...OPTIONS,
    onOpenTag: (name, attribs) => {
      if (!ALLOWED.has(name)) {
        if (!DROPPED_SILENTLY.has(name)) removed.add(`<${name}>`);
        return;
      }
      for (const [attr, value] of Object.entries(attribs)) {
        if (/^on/i.test(attr)) removed.add(attr.toLowerCase());
        else if ((attr === "href" || attr === "src") && /^\s*(?:javascript|vbscript|data):/i.test(value) && name !== "img")
          removed.add(`${value.trim().split(":")[0]!.toLowerCase()}: link`);
      }
    },
  });
  return { html: clean, removed: [...removed].sort() };
}
