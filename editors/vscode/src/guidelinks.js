'use strict';
// Links to the local copy of the guide. By default synclens links warnings
// and hovers to file:///…/<page>.html#<anchor> in a copy of the guide it
// writes to the user cache directory, and its "Open guide" action asks the
// editor to show <page>.md at the section's heading. VS Code would open
// either in a text editor: the page's HTML source, or markdown with
// {#anchor} on every heading. So such links become links to the
// synclens.showGuide command, and such showDocument requests are answered
// by it: the section, rendered, in a tab (guideview.js). Other links (a
// docsBaseURL served over http) are left alone.

const fs = require('fs');
const path = require('path');
const { fileURLToPath, pathToFileURL } = require('url');

const COMMAND = 'synclens.showGuide';
const ANCHOR = /^[\w.-]*$/;

// page.md path -> Map(1-based line -> anchor), or null if unreadable.
const cache = new Map();

function headingAnchors(mdPath) {
  if (cache.has(mdPath)) return cache.get(mdPath);
  let anchors = null;
  try {
    const lines = fs.readFileSync(mdPath, 'utf8').split(/\r?\n/);
    anchors = new Map();
    lines.forEach((line, i) => {
      const m = /^#{1,6}\s.*\{#([^}\s]+)\}\s*$/.exec(line);
      if (m) anchors.set(i + 1, m[1]);
    });
  } catch {
    anchors = null;
  }
  cache.set(mdPath, anchors);
  return anchors;
}

// A file of a local copy of the guide: <cache>/synclens/docs/<version>/<page>.
// Nothing else is shown, whoever asks (the command can be linked to).
function inGuideCopy(file) {
  const docs = path.dirname(path.dirname(file));
  return path.basename(docs) === 'docs' && path.basename(path.dirname(docs)) === 'synclens';
}

function filePath(url) {
  try {
    return fileURLToPath(`file://${url.host}${url.pathname}`);
  } catch {
    return undefined;
  }
}

/**
 * The page and section a link to the local guide's HTML points at, or
 * undefined when the link is not one.
 * @param {string} href
 * @returns {{htmlPath: string, anchor: string} | undefined}
 */
function guideTarget(href) {
  if (typeof href !== 'string' || !href.startsWith('file:')) return undefined;
  let url;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const anchor = decodeURIComponent(url.hash.replace(/^#/, ''));
  const htmlPath = filePath(url);
  if (!htmlPath || !htmlPath.endsWith('.html') || !ANCHOR.test(anchor) || !inGuideCopy(htmlPath) || !fs.existsSync(htmlPath)) return undefined;
  return { htmlPath, anchor };
}

/**
 * The section of the local guide that a showDocument of <page>.md at a
 * heading line (0-based) shows, or undefined.
 * @param {string} uri
 * @param {number} line
 */
function markdownTarget(uri, line) {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  let mdPath;
  try {
    mdPath = filePath(new URL(uri));
  } catch {
    return undefined;
  }
  if (!mdPath || !mdPath.endsWith('.md') || !inGuideCopy(mdPath)) return undefined;
  const htmlPath = mdPath.slice(0, -'.md'.length) + '.html';
  const anchors = headingAnchors(mdPath);
  if (!anchors || !fs.existsSync(htmlPath)) return undefined;
  return { htmlPath, anchor: anchors.get(line + 1) || '' };
}

/** The command: link that shows a target. */
function commandLink(target) {
  return `command:${COMMAND}?${encodeURIComponent(JSON.stringify([target.htmlPath, target.anchor]))}`;
}

/** Rewrites every local guide link in markdown text. */
function rewriteMarkdown(text) {
  if (typeof text !== 'string' || !text.includes('file:')) return text;
  return text.replace(/\]\((file:[^)\s]+)\)/g, (all, href) => {
    const target = guideTarget(href);
    return target ? `](${commandLink(target)})` : all;
  });
}

/**
 * The vscode-languageclient middleware: diagnostics' code links and hover
 * cards link to the command, and showDocument of the guide's markdown
 * shows the section with it.
 * @param {typeof import('vscode')} vscode
 * @param {(htmlPath: string, anchor: string) => boolean} show
 */
function middleware(vscode, show) {
  return {
    handleDiagnostics(uri, diagnostics, next) {
      for (const d of diagnostics) {
        const code = d.code;
        if (code && typeof code === 'object' && code.target) {
          const target = guideTarget(code.target.toString(true));
          if (target) d.code = { value: code.value, target: vscode.Uri.parse(commandLink(target), true) };
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
    window: {
      async showDocument(params, token, next) {
        const line = params.selection ? params.selection.start.line : 0;
        const target = markdownTarget(params.uri, line);
        if (target && show(target.htmlPath, target.anchor)) return { success: true };
        return next(params, token);
      },
    },
  };
}

/**
 * The target of synclens.showGuide's arguments, or undefined if they do not
 * name a section of a local copy of the guide.
 */
function commandTarget(htmlPath, anchor) {
  if (typeof htmlPath !== 'string' || !path.isAbsolute(htmlPath)) return undefined;
  return guideTarget(`${pathToFileURL(htmlPath).href}#${encodeURIComponent(typeof anchor === 'string' ? anchor : '')}`);
}

module.exports = { COMMAND, guideTarget, commandTarget, markdownTarget, commandLink, rewriteMarkdown, middleware };
