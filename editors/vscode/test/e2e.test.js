'use strict';
// End to end: the real synclens binary driven over stdio with
// vscode-languageserver-protocol (the protocol library inside
// vscode-languageclient), sending the client capabilities that the
// extension's vscode-languageclient computes. It plays what VS Code does
// when a user opens a buggy Go file, hovers the Lock call, applies the
// quick fix, and changes the settings.
//
// SYNCLENS=<binary> skips the build. Waits are event-driven, with generous
// limits: the first load on a cold build cache compiles the standard
// library (24-60 s on 2 cores), and the race detector slows everything.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { pathToFileURL } = require('url');
const rpc = require('vscode-languageserver-protocol/node');
const { TextDocument } = require('vscode-languageserver-textdocument');
const h = require('./helpers');
const guideLinks = require('../src/guidelinks');

const FIRST_DIAGNOSTICS_MS = 5 * 60 * 1000; // cold GOCACHE + loaded machine
const STEP_MS = 60 * 1000;

/** A running synclens with a protocol connection to it. */
class Server {
  constructor(bin, cwd) {
    this.proc = spawn(bin, ['serve'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.conn = rpc.createProtocolConnection(
      new rpc.StreamMessageReader(this.proc.stdout),
      new rpc.StreamMessageWriter(this.proc.stdin),
    );
    this.diagnostics = []; // every publishDiagnostics, in order
    this.messages = []; // window/showMessage
    this.shown = []; // window/showDocument
    this.inlayRefreshes = 0; // workspace/inlayHint/refresh
    this.waiters = new Set();
    this.settings = { docsBaseURL: '', disabledChecks: [] };
    this.conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.push({ ...p, at: Date.now() });
      this.wake();
    });
    this.conn.onNotification(rpc.ShowMessageNotification.type, (p) => { this.messages.push(p); this.wake(); });
    this.conn.onNotification(rpc.LogMessageNotification.type, () => {});
    // Requests VS Code answers.
    this.conn.onRequest(rpc.RegistrationRequest.type, () => null);
    this.conn.onRequest(rpc.UnregistrationRequest.type, () => null);
    this.conn.onRequest(rpc.WorkDoneProgressCreateRequest.type, () => null);
    this.conn.onRequest(rpc.ConfigurationRequest.type, (p) => p.items.map((it) => (it.section === 'synclens' ? this.settings : null)));
    this.conn.onRequest(rpc.InlayHintRefreshRequest.type, () => { this.inlayRefreshes++; this.wake(); return null; });
    this.conn.onRequest(rpc.ShowDocumentRequest.type, (p) => { this.shown.push(p); this.wake(); return { success: true }; });
    this.conn.listen();
  }

  wake() {
    for (const w of this.waiters) w();
  }

  /** Resolves with the first value of check() that is not undefined. */
  waitFor(what, check, ms) {
    return new Promise((resolve, reject) => {
      let timer;
      const poll = () => {
        let v;
        try {
          v = check();
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (v !== undefined) {
          done();
          resolve(v);
        }
      };
      const done = () => { this.waiters.delete(poll); clearTimeout(timer); };
      timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${ms / 1000}s waiting for ${what}\nserver stderr:\n${this.stderr}`));
      }, ms);
      this.waiters.add(poll);
      this.exited.then(({ code, signal }) => {
        if (this.waiters.has(poll)) {
          done();
          reject(new Error(`synclens exited (code ${code}, signal ${signal}) while waiting for ${what}\nstderr:\n${this.stderr}`));
        }
      });
      poll();
    });
  }

  /** The next publishDiagnostics for uri after index `from` that satisfies pred. */
  nextDiagnostics(uri, from, pred, what, ms = STEP_MS) {
    return this.waitFor(what, () => {
      for (let i = from; i < this.diagnostics.length; i++) {
        const p = this.diagnostics[i];
        if (p.uri === uri && pred(p.diagnostics)) return p;
      }
      return undefined;
    }, ms);
  }
}

// The sample's bug. Other checks may flag other things in it one day; the
// test follows this one.
const CODE = 'unreleasedlock';
const ours = (diags) => diags.filter((d) => d.code === CODE);

/** Applies a WorkspaceEdit for one document to its text, as VS Code would. */
function applyWorkspaceEdit(edit, uri, version, text) {
  let edits = [];
  if (edit.documentChanges) {
    for (const dc of edit.documentChanges) {
      assert.ok(dc.textDocument, 'only text edits are expected, not file operations');
      assert.equal(dc.textDocument.uri, uri);
      assert.equal(dc.textDocument.version, version, 'the edit is pinned to the version the client has');
      edits = edits.concat(dc.edits);
    }
  } else {
    edits = edit.changes[uri];
  }
  assert.ok(edits.length > 0, 'the quick fix edits the document');
  return { edits, text: TextDocument.applyEdits(TextDocument.create(uri, 'go', version, text), edits) };
}

/**
 * The didChange content changes VS Code sends for edits applied to a
 * document: incremental, each range relative to the text after the
 * previous ones (applied from the end of the document backwards).
 */
function contentChanges(edits, text) {
  const doc = TextDocument.create('x', 'go', 0, text);
  const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
  return sorted.map((e) => ({ range: e.range, text: e.newText }));
}

test('synclens end to end with VS Code\'s client capabilities', { timeout: 15 * 60 * 1000 }, async (t) => {
  const bin = h.synclensBinary();
  const dir = h.copySample();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'cache.go');
  const uri = pathToFileURL(file).href;
  const buggy = fs.readFileSync(file, 'utf8');
  const fixed = fs.readFileSync(path.join(dir, 'cache.go.fixed'), 'utf8');
  const caps = h.languageClientCapabilities();

  // What the extension relies on, as vscode-languageclient 11 declares it.
  assert.equal(caps.textDocument.publishDiagnostics.codeDescriptionSupport, true);
  assert.deepEqual(caps.textDocument.hover.contentFormat, ['markdown', 'plaintext']);
  assert.ok(caps.textDocument.codeAction.codeActionLiteralSupport.codeActionKind.valueSet.includes('quickfix'));
  assert.equal(caps.textDocument.codeAction.isPreferredSupport, true);
  assert.equal(caps.window.showDocument.support, true);
  assert.equal(caps.workspace.workspaceEdit.documentChanges, true);
  assert.equal(caps.workspace.configuration, true);
  assert.equal(caps.workspace.inlayHint.refreshSupport, true);

  const s = new Server(bin, dir);
  t.after(() => { if (s.proc.exitCode === null) s.proc.kill('SIGKILL'); });
  const timings = {};
  const t0 = Date.now();

  // initialize, shaped like vscode-languageclient's.
  const init = await s.conn.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: '1.95.0' },
    locale: 'en',
    rootPath: dir,
    rootUri: pathToFileURL(dir).href,
    capabilities: caps,
    initializationOptions: { docsBaseURL: '', disabledChecks: [] },
    trace: 'off',
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: path.basename(dir) }],
  });
  timings.initialize = Date.now() - t0;
  const sc = init.capabilities;
  assert.equal(init.serverInfo.name, 'synclens');
  const sync = typeof sc.textDocumentSync === 'number' ? sc.textDocumentSync : sc.textDocumentSync.change;
  assert.equal(sync, rpc.TextDocumentSyncKind.Incremental);
  assert.ok(sc.hoverProvider);
  assert.ok(sc.inlayHintProvider);
  assert.ok(sc.codeActionProvider.codeActionKinds.includes('quickfix'));
  assert.ok(sc.executeCommandProvider.commands.includes('synclens.openGuide'));
  await s.conn.sendNotification(rpc.InitializedNotification.type, {});

  // Open the buggy file and wait for the warning.
  let version = 1;
  await s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'go', version, text: buggy },
  });
  const opened = Date.now();
  const first = await s.nextDiagnostics(uri, 0, (d) => ours(d).length > 0, 'the unreleasedlock warning', FIRST_DIAGNOSTICS_MS);
  timings.firstDiagnostics = Date.now() - opened;
  assert.equal(ours(first.diagnostics).length, 1, JSON.stringify(first.diagnostics));
  const diag = ours(first.diagnostics)[0];
  for (const d of first.diagnostics) assert.equal(d.source, 'synclens', 'synclens publishes only its own diagnostics');
  assert.equal(diag.source, 'synclens');
  assert.equal(diag.code, 'unreleasedlock');
  assert.match(diag.message, /c\.mu is locked here but not unlocked/);
  assert.equal(diag.range.start.line, 16, 'on the c.mu.Lock() line');
  assert.ok(diag.codeDescription && diag.codeDescription.href, 'the warning links to the guide');
  assert.match(diag.codeDescription.href, /^file:\/\/.*#unreleasedlock$/, 'by default, a local copy of the guide');
  const localGuide = new URL(diag.codeDescription.href);
  assert.ok(fs.existsSync(decodeURIComponent(localGuide.pathname)), `the linked page exists: ${localGuide.pathname}`);
  // The extension turns that link into its guide command, at the section.
  const target = guideLinks.guideTarget(diag.codeDescription.href);
  assert.ok(target && target.anchor === 'unreleasedlock' && target.htmlPath.endsWith('.html'), `the extension finds the section: ${diag.codeDescription.href}`);
  assert.match(fs.readFileSync(target.htmlPath, 'utf8'), /<h[1-6] id="unreleasedlock"/, 'the page has the section');

  // Hover on the Lock call.
  const lockLine = buggy.split('\n')[16];
  const hover = await s.conn.sendRequest(rpc.HoverRequest.type, {
    textDocument: { uri },
    position: { line: 16, character: lockLine.indexOf('Lock') + 1 },
  });
  assert.ok(hover, 'a hover card on c.mu.Lock()');
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /Mutex|Lock/);
  assert.match(hover.contents.value, /\[Guide: [^\]]+\]\(file:\/\/[^)]+#[\w-]+\)/, 'the card links to its guide section');
  assert.match(guideLinks.rewriteMarkdown(hover.contents.value), /\[Guide: [^\]]+\]\(command:synclens\.showGuide\?[^)]+\)/, 'which the extension points at its guide command');

  // The lightbulb: code actions for the warning, as VS Code asks for them.
  const actions = await s.conn.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri },
    range: diag.range,
    context: { diagnostics: [diag], triggerKind: rpc.CodeActionTriggerKind.Automatic },
  });
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix, `a preferred quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.title, 'Defer c.mu.Unlock() right after the lock');
  assert.deepEqual(fix.diagnostics.map((d) => d.code), ['unreleasedlock']);
  const guideAction = actions.find((a) => a.command && a.command.command === 'synclens.openGuide');
  assert.ok(guideAction, 'an "Open guide" action');
  assert.match(guideAction.title, /^Open guide: /);

  // "Open guide": the server asks VS Code to show the section's markdown.
  await s.conn.sendRequest(rpc.ExecuteCommandRequest.type, {
    command: guideAction.command.command,
    arguments: guideAction.command.arguments,
  });
  assert.equal(s.shown.length, 1, 'one window/showDocument');
  const shown = s.shown[0];
  assert.match(shown.uri, /^file:\/\/.*\.md$/);
  assert.equal(shown.takeFocus, true);
  const guideText = fs.readFileSync(decodeURIComponent(new URL(shown.uri).pathname), 'utf8').split('\n');
  assert.match(guideText[shown.selection.start.line], /^#+ /, 'the selection is a heading');

  // Apply the quick fix, then send the change as VS Code does.
  const applied = applyWorkspaceEdit(fix.edit, uri, version, buggy);
  assert.equal(applied.text, fixed);
  const beforeFix = s.diagnostics.length;
  version++;
  await s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: contentChanges(applied.edits, buggy),
  });
  let t1 = Date.now();
  await s.nextDiagnostics(uri, beforeFix, (d) => ours(d).length === 0, 'the warning to clear after the fix');
  timings.fixCleared = Date.now() - t1;

  // Undo: the warning is back.
  const beforeUndo = s.diagnostics.length;
  version++;
  await s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: [{ text: buggy }],
  });
  await s.nextDiagnostics(uri, beforeUndo, (d) => ours(d).length === 1, 'the warning after undo');

  // Settings: a new docs URL relinks the warning without re-analysis.
  let before = s.diagnostics.length;
  s.settings = { docsBaseURL: 'https://guide.example/synclens/', disabledChecks: [] };
  await s.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings: { synclens: s.settings } });
  const relinked = await s.nextDiagnostics(uri, before, (d) => ours(d).length === 1, 'the warning with the new docs URL');
  assert.match(ours(relinked.diagnostics)[0].codeDescription.href, /^https:\/\/guide\.example\/synclens\/[\w-]+\.html#unreleasedlock$/);

  // Disabling the check clears its warning at once.
  before = s.diagnostics.length;
  s.settings = { docsBaseURL: 'https://guide.example/synclens/', disabledChecks: ['unreleasedlock'] };
  t1 = Date.now();
  await s.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings: { synclens: s.settings } });
  await s.nextDiagnostics(uri, before, (d) => ours(d).length === 0, 'the warning to clear when the check is disabled');
  timings.disableCleared = Date.now() - t1;

  // Enabling it again brings it back.
  before = s.diagnostics.length;
  s.settings = { docsBaseURL: '', disabledChecks: [] };
  await s.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings: { synclens: s.settings } });
  await s.nextDiagnostics(uri, before, (d) => ours(d).length === 1, 'the warning when the check is enabled again');

  // Inlay hints: none by default here (no goroutine, no channel); the lock
  // hints once turned on, with a refresh asking VS Code to fetch them.
  const whole = { start: { line: 0, character: 0 }, end: { line: buggy.split('\n').length, character: 0 } };
  const inlays = () => s.conn.sendRequest(rpc.InlayHintRequest.type, { textDocument: { uri }, range: whole });
  assert.deepEqual(await inlays(), []);
  const refreshes = s.inlayRefreshes;
  s.settings = { docsBaseURL: '', disabledChecks: [], inlayHints: { heldLocks: true } };
  await s.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings: { synclens: s.settings } });
  await s.waitFor('an inlay hint refresh', () => (s.inlayRefreshes > refreshes ? true : undefined), STEP_MS);
  const locks = await inlays();
  assert.deepEqual(locks.map((h) => [h.position.line, h.label]), [[16, '🔒 c.mu'], [17, '🔒 c.mu']]);
  assert.equal(locks[0].position.character, buggy.split('\n')[16].length, 'at the end of the statement');
  assert.equal(locks[0].tooltip.kind, 'markdown');
  assert.match(locks[0].tooltip.value, /locked at line 17/);

  // shutdown, exit: exit code 0.
  await s.conn.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  await s.conn.sendRequest(rpc.ShutdownRequest.type);
  await s.conn.sendNotification(rpc.ExitNotification.type);
  let exitTimer;
  const exit = await Promise.race([
    s.exited,
    new Promise((_, reject) => { exitTimer = setTimeout(() => reject(new Error('synclens did not exit after exit')), STEP_MS); }),
  ]).finally(() => clearTimeout(exitTimer));
  s.conn.dispose();
  assert.deepEqual(exit, { code: 0, signal: null }, `stderr:\n${s.stderr}`);
  assert.doesNotMatch(s.stderr, /panic|DATA RACE/);
  t.diagnostic(`timings (ms): ${JSON.stringify(timings)}`);
});
