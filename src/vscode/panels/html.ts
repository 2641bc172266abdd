/**
 * The page a panel's webview loads: nothing but the content security policy, the stylesheet and
 * the script. Everything the panel shows arrives later as messages and is put into the page as
 * text by the script, so no workspace value is ever part of this HTML except the title, which is
 * escaped. No `vscode` import: tests check the page as a string.
 */
export interface PanelPage {
  title: string;
  /** webview.cspSource: the origin the webview loads local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function panelHtml(page: PanelPage): string {
  const nonce = escapeHtml(page.nonce);
  // Images come as data: URLs from the host (artifact previews) or blob: URLs made by the page
  // (chart exports); styles only from the bundle. uPlot sizes its elements through the CSSOM
  // (element.style), which style-src does not govern, so no 'unsafe-inline' is needed.
  const csp = [
    "default-src 'none'",
    `img-src ${page.cspSource} data: blob:`,
    `style-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="loading">Loading…</p></main>
<script nonce="${nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A nonce for one page: 32 characters from a cryptographic source. */
export function makeNonce(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}
