/**
 * The preview frame's document: the rendered HTML behind a Content-Security-Policy that lets nothing
 * load from the network (images, CSS backgrounds, fonts) unless `remote` is true, and never scripts.
 * The frame is also sandboxed without scripts; the policy is what keeps tracking pixels from firing
 * (the recipient's address would reach whoever serves them) until the user asks for remote images.
 */
export function previewDocument(html: string, remote: boolean): string {
  const img = remote ? "data: cid: https: http:" : "data: cid:";
  const font = remote ? "data: https: http:" : "data:";
  const policy = `default-src 'none'; img-src ${img}; font-src ${font}; style-src 'unsafe-inline'; media-src 'none'`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${policy}"></head><body>${html}</body></html>`;
}

/** Whether the HTML asks for anything from the network (images, backgrounds, fonts): then the preview offers to load it. */
export function hasRemoteContent(html: string): boolean {
  return (
    /\b(?:src|srcset|background|poster)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html) ||
    /url\(\s*["']?\s*(?:https?:)?\/\//i.test(html)
  );
}
