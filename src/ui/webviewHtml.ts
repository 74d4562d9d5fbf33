// The one HTML shell every webview of the extension loads: a strict Content Security Policy (no inline script or
// style; the script runs only with this page's nonce), the bundled stylesheet and script from dist/, and an empty
// #app the script renders into. Each panel names only what differs. A panel may send its first view with the HTML
// (a JSON data block, src/shared/protocol/firstView.ts), so the webview paints without a round trip to the host.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { FIRST_VIEW_ID, firstViewJson } from '../shared/protocol';

export interface WebviewPage {
  /** Bundled files in dist/, e.g. 'wizard.js' and 'wizard.css'. */
  script: string;
  style: string;
  title: string;
  /** Extra img-src sources (the timeline's PNG export draws its SVG through a data: image). */
  imgSrc?: string[];
  /** The first view, drawn by the script as soon as it runs (a freshly created panel only). */
  firstView?: unknown;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    ...(page.imgSrc?.length ? [`img-src ${page.imgSrc.join(' ')}`] : []),
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(page.style)}">
<title>${escapeTitle(page.title)}</title>
</head>
<body>
<div id="app"></div>
${page.firstView === undefined ? '' : `<script type="application/json" id="${FIRST_VIEW_ID}">${firstViewJson(page.firstView)}</script>\n`}<script nonce="${nonce}" src="${asset(page.script)}"></script>
</body>
</html>`;
}

function escapeTitle(title: string): string {
  return title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
