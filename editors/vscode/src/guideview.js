'use strict';
// The guide, rendered, in a VS Code tab. synclens writes a local copy of the
// guide as HTML pages (and their markdown) to the user's cache directory;
// this shows a page's HTML in a webview scrolled to a section, which works
// the same in desktop VS Code and in VS Code in a browser (code-server,
// Codespaces), where a file: URL could not be opened. Links between pages
// stay in the tab; links to the web open in the browser.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const PAGE = /^[\w-]+\.html$/; // a page of the guide: no directories

/**
 * @param {typeof import('vscode')} vscode
 */
function create(vscode) {
  /** @type {import('vscode').WebviewPanel | undefined} */
  let panel;
  let dir = '';

  /** The page's HTML with a content security policy and the link script. */
  function page(html, anchor) {
    const nonce = crypto.randomBytes(16).toString('base64');
    const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${nonce}';">`;
    const script = `<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
const go = (a) => { const el = a && document.getElementById(a); if (el) el.scrollIntoView(); else window.scrollTo(0, 0); };
go(${JSON.stringify(anchor)});
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute('href');
  if (href.startsWith('#')) go(decodeURIComponent(href.slice(1)));
  else if (/^[a-z][a-z0-9+.-]*:/i.test(href)) vscode.postMessage({ external: href });
  else { const i = href.indexOf('#'); vscode.postMessage({ page: i < 0 ? href : href.slice(0, i), anchor: i < 0 ? '' : decodeURIComponent(href.slice(i + 1)) }); }
});
</script>`;
    const withCsp = /<head>/i.test(html) ? html.replace(/<head>/i, `<head>\n${csp}`) : csp + html;
    return /<\/body>/i.test(withCsp) ? withCsp.replace(/<\/body>/i, `${script}\n</body>`) : withCsp + script;
  }

  /**
   * Shows a page of the local guide at a section.
   * @param {string} htmlPath the page's file
   * @param {string} anchor the section's id ('' for the top)
   * @returns {boolean} whether it was shown
   */
  function show(htmlPath, anchor) {
    if (!/^[\w.-]*$/.test(anchor)) anchor = '';
    let html;
    try {
      html = fs.readFileSync(htmlPath, 'utf8');
    } catch {
      return false;
    }
    dir = path.dirname(htmlPath);
    const title = (/<title>([^<]*)<\/title>/i.exec(html) || [])[1] || 'synclens guide';
    if (!panel) {
      panel = vscode.window.createWebviewPanel('synclens.guide', title, vscode.ViewColumn.Active, {
        enableScripts: true,
        enableFindWidget: true,
        localResourceRoots: [],
      });
      panel.onDidDispose(() => { panel = undefined; });
      panel.webview.onDidReceiveMessage((m) => {
        if (m && typeof m.external === 'string' && /^https?:/i.test(m.external)) {
          vscode.env.openExternal(vscode.Uri.parse(m.external, true));
        } else if (m && typeof m.page === 'string' && PAGE.test(m.page)) {
          show(path.join(dir, m.page), typeof m.anchor === 'string' ? m.anchor : '');
        }
      });
    }
    panel.title = title.replace(/ · synclens guide$/, '');
    panel.webview.html = page(html, anchor);
    panel.reveal();
    return true;
  }

  return { show };
}

module.exports = { create };
