'use strict';
// Links to the local copy of the guide. By default synclens links warnings
// and hovers to file:///…/<page>.html#<anchor> in a copy of the guide it
// writes to the user cache directory. VS Code opens file: links in a text
// editor, which would show that page's HTML source. The copy holds the
// markdown of each page next to its HTML, with {#anchor} on each heading,
// so such links are rewritten to file:///…/<page>.md#L<line>: VS Code opens
// the markdown at the section's heading, as the "Open guide" code action
// does. Other links (a docsBaseURL served over http) are left alone.

const fs = require('fs');
const path = require('path');
const { fileURLToPath, pathToFileURL } = require('url');

// page.md path -> Map(anchor -> 1-based line), or null if unreadable.
const cache = new Map();

function headingLines(mdPath) {
  if (cache.has(mdPath)) return cache.get(mdPath);
  let anchors = null;
  try {
    const lines = fs.readFileSync(mdPath, 'utf8').split(/\r?\n/);
    anchors = new Map();
    lines.forEach((line, i) => {
      const m = /^#{1,6}\s.*\{#([^}\s]+)\}\s*$/.exec(line);
      if (m && !anchors.has(m[1])) anchors.set(m[1], i + 1);
    });
  } catch {
    anchors = null;
  }
  cache.set(mdPath, anchors);
  return anchors;
}

/**
 * Rewrites a link to a section of the local guide's HTML into a link to its
 * markdown at the heading line. Returns undefined when the link is not one.
 * @param {string} href
 */
function rewriteGuideLink(href) {
  if (typeof href !== 'string' || !href.startsWith('file:')) return undefined;
  let url;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const anchor = decodeURIComponent(url.hash.replace(/^#/, ''));
  if (!anchor || !url.pathname.endsWith('.html')) return undefined;
  let htmlPath;
  try {
    htmlPath = fileURLToPath(`file://${url.host}${url.pathname}`);
  } catch {
    return undefined;
  }
  const mdPath = htmlPath.slice(0, -'.html'.length) + '.md';
  const anchors = headingLines(mdPath);
  const line = anchors && anchors.get(anchor);
  if (!line) return undefined;
  return `${pathToFileURL(mdPath).href}#L${line}`;
}

/** Rewrites every local guide link in markdown text. */
function rewriteMarkdown(text) {
  if (typeof text !== 'string' || !text.includes('file:')) return text;
  return text.replace(/\]\((file:[^)\s]+)\)/g, (all, href) => {
    const to = rewriteGuideLink(href);
    return to ? `](${to})` : all;
  });
}

/**
 * The vscode-languageclient middleware that applies the rewrite to
 * diagnostics' code links and to hover cards.
 * @param {typeof import('vscode')} vscode
 */
function middleware(vscode) {
  return {
    handleDiagnostics(uri, diagnostics, next) {
      for (const d of diagnostics) {
        const code = d.code;
        if (code && typeof code === 'object' && code.target) {
          const to = rewriteGuideLink(code.target.toString(true));
          if (to) d.code = { value: code.value, target: vscode.Uri.parse(to, true) };
        }
      }
      next(uri, diagnostics);
    },
    async provideHover(document, position, token, next) {
      const hover = await next(document, position, token);
      if (hover && Array.isArray(hover.contents)) {
        for (const c of hover.contents) {
          if (c && typeof c.value === 'string' && !('language' in c)) { // not a code block
            c.value = rewriteMarkdown(c.value);
          }
        }
      }
      return hover;
    },
  };
}

module.exports = { rewriteGuideLink, rewriteMarkdown, middleware };
