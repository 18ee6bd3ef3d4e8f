'use strict';
// The extension's activation code (src/, and the bundle in dist/) run
// against a stub vscode module and a recording LanguageClient: how settings
// become the server's command line and initialization options, what is sent
// when they change, and the notification with the install command when the
// binary is missing.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const h = require('./helpers');
const { makeVscode, makeLanguageClientModule, makeContext } = require('./vscode-stub');

const INSTALL = 'go install github.com/synclens/synclens@latest';

/** Sets environment variables for one test (undefined deletes). */
function setEnv(t, values) {
  const saved = {};
  for (const [k, v] of Object.entries(values)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  t.after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

/** Writes an executable shell script. */
function script(file, body) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/**
 * A machine: a temp HOME and an empty bin directory as the whole PATH, so
 * that neither synclens nor go is found unless a test puts them there.
 */
function machine(t) {
  const root = h.mkTemp('synclens-act-');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const bin = path.join(root, 'bin');
  const home = path.join(root, 'home');
  fs.mkdirSync(bin);
  fs.mkdirSync(home);
  setEnv(t, { PATH: bin, HOME: home, GOPATH: undefined, GOBIN: undefined });
  return { root, bin, home };
}

/** Loads src/extension.js (or the bundle) with the stubs. */
function load(settings, entry = '../src/extension') {
  const { vscode, control } = makeVscode(settings);
  const lc = makeLanguageClientModule();
  h.forgetExtensionModules();
  const ext = h.withStubs({ vscode, 'vscode-languageclient/node': lc.module }, () => require(entry));
  return { ext, control, clients: lc.instances, context: makeContext() };
}

test('a synclens on PATH is started for Go files with the settings as initialization options', async (t) => {
  const m = machine(t);
  const server = script(path.join(m.bin, 'synclens'), 'exit 0');
  const { ext, control, clients, context } = load({
    docsBaseURL: ' https://guide.example/synclens ',
    disabledChecks: ['unreleasedlock', ''],
    'trace.server': 'verbose',
  });
  await ext.activate(context);

  assert.equal(clients.length, 1);
  const c = clients[0];
  assert.equal(c.id, 'synclens', 'the id under which vscode-languageclient reads synclens.trace.server');
  // No transport: vscode-languageclient uses stdio without adding --stdio.
  assert.deepEqual(c.serverOptions, { command: server, args: ['serve'] });
  assert.equal(c.clientOptions.outputChannel, control.rec.outputChannels[0]);
  assert.ok(c.clientOptions.outputChannel.log, 'the client gets a LogOutputChannel (createOutputChannel(name, {log: true}))');
  assert.deepEqual(c.clientOptions.documentSelector, [{ scheme: 'file', language: 'go' }]);
  assert.equal(c.clientOptions.diagnosticCollectionName, 'synclens');
  assert.deepEqual(c.clientOptions.initializationOptions(), {
    docsBaseURL: 'https://guide.example/synclens',
    disabledChecks: ['unreleasedlock'],
    enabledChecks: [],
    inlayHints: { heldLocks: false, goroutineJoins: true, channelCapacity: true },
  });
  assert.equal(c.state, 'running');
  assert.ok(context.subscriptions.length >= 3);
  assert.equal(control.rec.errors.length, 0);

  // A changed check list or docs URL is pushed to the running server.
  control.change({ disabledChecks: [] });
  await ext._idle();
  control.change({ docsBaseURL: '' });
  await ext._idle();
  control.change({ 'inlayHints.heldLocks': true });
  await ext._idle();
  const defaults = { heldLocks: false, goroutineJoins: true, channelCapacity: true };
  assert.deepEqual(c.notifications, [
    { method: 'workspace/didChangeConfiguration', params: { settings: { synclens: { docsBaseURL: 'https://guide.example/synclens', disabledChecks: [], enabledChecks: [], inlayHints: defaults } } } },
    { method: 'workspace/didChangeConfiguration', params: { settings: { synclens: { docsBaseURL: '', disabledChecks: [], enabledChecks: [], inlayHints: defaults } } } },
    { method: 'workspace/didChangeConfiguration', params: { settings: { synclens: { docsBaseURL: '', disabledChecks: [], enabledChecks: [], inlayHints: { ...defaults, heldLocks: true } } } } },
  ]);

  // Tracing is the client's business: nothing sent, no restart.
  control.change({ 'trace.server': 'off' });
  await ext._idle();
  assert.equal(c.notifications.length, 3);
  assert.equal(clients.length, 1);

  // A new path restarts the server with that binary.
  const other = script(path.join(m.root, 'other', 'synclens-dev'), 'exit 0');
  control.change({ path: other });
  await ext._idle();
  assert.equal(c.state, 'stopped');
  assert.equal(clients.length, 2);
  assert.equal(clients[1].serverOptions.command, other);
  assert.equal(clients[1].state, 'running');

  // Import runtime evidence: a picked file goes to the server's command,
  // and its answer becomes a message.
  const imp = control.rec.commands.get('synclens.importRuntimeEvidence');
  assert.ok(imp, 'synclens.importRuntimeEvidence is registered');
  clients[1].answer = () => ({ races: 2, leaks: 1, static: 1, skipped: 1, files: [] });
  control.rec.openDialog.push([{ fsPath: '/tmp/race.txt' }]);
  await imp();
  assert.deepEqual(clients[1].requests, [{ method: 'workspace/executeCommand', params: { command: 'synclens.importRace', arguments: [{ file: '/tmp/race.txt' }] } }]);
  assert.equal(control.rec.infos[0], "synclens: 2 data races and 1 goroutine leak shown in the Problems panel (1 also found by synclens's checks). 1 report is about code outside this module.");
  await imp({ fsPath: '/tmp/leak.txt' }); // from the explorer menu: no dialog
  assert.equal(clients[1].requests[1].params.arguments[0].file, '/tmp/leak.txt');
  await imp(); // dialog dismissed: nothing sent
  assert.equal(clients[1].requests.length, 2);
  await control.rec.commands.get('synclens.clearImportedEvidence')();
  assert.deepEqual(clients[1].requests[2].params, { command: 'synclens.clearRuntimeEvidence', arguments: [] });

  // The restart command, then deactivation.
  await ext._idle();
  const restart = control.rec.commands.get('synclens.restartServer');
  assert.ok(restart, 'synclens.restartServer is registered');
  await restart();
  assert.equal(clients.length, 3);
  assert.equal(clients[1].state, 'stopped');
  await ext.deactivate();
  assert.equal(clients[2].state, 'stopped');
});

test('without synclens on PATH, the binary go install wrote is used', async (t) => {
  const m = machine(t);
  const gopath = path.join(m.root, 'gopath');
  const server = script(path.join(gopath, 'bin', 'synclens'), 'exit 0');
  // A go command that answers `go env GOBIN GOPATH` like the real one.
  script(path.join(m.bin, 'go'), `[ "$1 $2 $3" = "env GOBIN GOPATH" ] || exit 2\necho\necho '${gopath}'`);
  const { ext, clients, context } = load({});
  await ext.activate(context);
  assert.equal(clients.length, 1);
  assert.equal(clients[0].serverOptions.command, server);
  await ext.deactivate();
});

test('GOBIN wins over GOPATH/bin', async (t) => {
  const m = machine(t);
  const gobin = path.join(m.root, 'gobin');
  const server = script(path.join(gobin, 'synclens'), 'exit 0');
  script(path.join(m.root, 'gopath', 'bin', 'synclens'), 'exit 0');
  script(path.join(m.bin, 'go'), `echo '${gobin}'\necho '${path.join(m.root, 'gopath')}'`);
  const { ext, clients, context } = load({});
  await ext.activate(context);
  assert.equal(clients[0].serverOptions.command, server);
  await ext.deactivate();
});

test('a missing binary gets a notification with the install command', async (t) => {
  machine(t);
  const { ext, control, clients, context } = load({});
  control.rec.choices.push('Copy Command');
  const copied = control.rec.clipboard.next();
  await ext.activate(context);

  assert.equal(clients.length, 0, 'no client without a binary');
  assert.equal(control.rec.errors.length, 1);
  const { message, items } = control.rec.errors[0];
  assert.match(message, /synclens: the language server is not installed/);
  assert.ok(message.includes(INSTALL), message);
  assert.ok(message.includes('go install .'), 'and how to install from a clone');
  assert.ok(message.includes('synclens on PATH'), 'it says where it looked');
  assert.deepEqual(items, ['Install', 'Copy Command', 'Open Settings']);
  assert.equal(await copied, INSTALL);
  await ext.deactivate();
});

test('"Install" runs go install in a terminal that stays open, and starts the server when it succeeds', async (t) => {
  const m = machine(t);
  // A go command that installs like the real one: it writes the binary
  // (with PATH holding only m.bin, tools are named by their paths).
  const server = path.join(m.home, 'go', 'bin', 'synclens');
  script(path.join(m.bin, 'go'), `[ "$1 $2" = "install github.com/synclens/synclens@latest" ] || exit 2
/bin/mkdir -p '${path.dirname(server)}' && printf '#!/bin/sh\\nexit 0\\n' > '${server}' && /bin/chmod +x '${server}'
echo 'go: downloading github.com/synclens/synclens v0.1.0' >&2`);
  const { ext, control, clients, context } = load({});
  control.rec.choices.push('Install');
  const opened = control.rec.terminals.next();
  const started = clients.next();
  await ext.activate(context);
  const term = await opened;
  assert.equal(term.opts.name, 'synclens: install');
  assert.ok(term.opts.pty, 'an extension terminal, which stays open after go exits');
  assert.ok(term.shown);
  const c = await started;
  await ext._idle();
  assert.equal(c.serverOptions.command, server);
  assert.equal(c.state, 'running');
  const out = await term.outputMatches(/starting the synclens language server/);
  assert.match(out, /^\$ go install github\.com\/synclens\/synclens@latest\r\n/);
  assert.match(out, /go: downloading github\.com\/synclens\/synclens v0\.1\.0\r\n/, 'go\'s output is shown');
  assert.equal(control.rec.errors.length, 1, 'only the missing-server notification');
  await ext.deactivate();
});

test('a failed install leaves go\'s error in the terminal and starts nothing', async (t) => {
  const m = machine(t);
  script(path.join(m.bin, 'go'), `echo 'go: github.com/synclens/synclens@latest: module lookup disabled by GOPROXY=off' >&2; exit 1`);
  const { ext, control, clients, context } = load({});
  control.rec.choices.push('Install');
  const opened = control.rec.terminals.next();
  await ext.activate(context);
  const term = await opened;
  const failed = control.rec.errors.next();
  const { message } = await failed;
  assert.match(message, /go install github\.com\/synclens\/synclens@latest" failed: see the "synclens: install" terminal/);
  assert.doesNotMatch(message, /Is Go installed/);
  const out = await term.outputMatches(/exit code 1/);
  assert.match(out, /module lookup disabled by GOPROXY=off/, 'go\'s own error stays on the screen');
  assert.equal(clients.length, 0);
  await ext.deactivate();
});

test('without the go command the terminal says so', async (t) => {
  machine(t); // PATH holds no go
  const { ext, control, clients, context } = load({});
  control.rec.choices.push('Install');
  const opened = control.rec.terminals.next();
  await ext.activate(context);
  const term = await opened;
  const out = await term.outputMatches(/not on the PATH/);
  assert.match(out, /the go command is not on the PATH VS Code sees .*Install Go \(https:\/\/go\.dev\/dl\/\)/s);
  assert.equal(clients.length, 0);
  await ext.deactivate();
});

test('a synclens.path that does not exist is reported as such', async (t) => {
  const m = machine(t);
  script(path.join(m.bin, 'synclens'), 'exit 0'); // not used: the setting wins
  const missing = path.join(m.root, 'nowhere', 'synclens');
  const { ext, control, clients, context } = load({ path: missing });
  control.rec.choices.push('Open Settings');
  const executed = control.rec.executed.next();
  await ext.activate(context);
  assert.equal(clients.length, 0);
  const { message, items } = control.rec.errors[0];
  assert.ok(message.includes(`${missing} (synclens.path)`), message);
  assert.ok(message.includes(INSTALL), message);
  assert.deepEqual(items, ['Open Settings', 'Install']);
  assert.deepEqual(await executed, ['workbench.action.openSettings', 'synclens.path']);
  await ext.deactivate();
});

test('synclens.path may be a command name on PATH or start with ~', async (t) => {
  const m = machine(t);
  const dev = script(path.join(m.bin, 'synclens-dev'), 'exit 0');
  let { ext, clients, context } = load({ path: 'synclens-dev' });
  await ext.activate(context);
  assert.equal(clients[0].serverOptions.command, dev);
  await ext.deactivate();

  const inHome = script(path.join(m.home, 'bin', 'synclens'), 'exit 0');
  ({ ext, clients, context } = load({ path: '~/bin/synclens' }));
  await ext.activate(context);
  assert.equal(clients[0].serverOptions.command, inHome);
  await ext.deactivate();
});

test('links to the local guide, and Open guide, show the section in the guide tab', async (t) => {
  const m = machine(t);
  script(path.join(m.bin, 'synclens'), 'exit 0');
  // A local copy of the guide, as synclens writes it: page.html and page.md.
  const guide = path.join(m.root, 'cache', 'synclens', 'docs', 'abc123');
  fs.mkdirSync(guide, { recursive: true });
  const htmlPath = path.join(guide, 'checks.html');
  fs.writeFileSync(htmlPath, '<h2 id="unreleasedlock">unreleasedlock</h2>\n');
  fs.writeFileSync(path.join(guide, 'checks.md'), '# Check reference {#check-reference}\n\ntext\n\n## unreleasedlock: a lock not released {#unreleasedlock}\n');
  const { pathToFileURL } = require('url');
  const html = pathToFileURL(htmlPath).href;
  const md = pathToFileURL(path.join(guide, 'checks.md')).href;
  const link = (anchor) => `command:synclens.showGuide?${encodeURIComponent(JSON.stringify([htmlPath, anchor]))}`;

  const { ext, control, clients, context } = load({});
  await ext.activate(context);
  const opts = clients[0].clientOptions;
  const mw = opts.middleware;
  assert.deepEqual(opts.markdown, { isTrusted: { enabledCommands: ['synclens.showGuide'] } }, 'hover cards may run the guide command only');

  // Diagnostics: the code's target.
  const target = (href) => ({ toString: () => href });
  const diags = [
    { message: 'a', code: { value: 'unreleasedlock', target: target(`${html}#unreleasedlock`) } },
    { message: 'b', code: { value: 'x', target: target('https://guide.example/checks.html#unreleasedlock') } },
    { message: 'c', code: { value: 'y', target: target(`${pathToFileURL(path.join(m.root, 'elsewhere.html')).href}#a`) } },
    { message: 'd', code: 'plain' },
  ];
  let passed;
  mw.handleDiagnostics('file:///x.go', diags, (uri, ds) => { passed = ds; });
  assert.equal(passed[0].code.value, 'unreleasedlock');
  assert.equal(passed[0].code.target.toString(), link('unreleasedlock'));
  assert.equal(passed[1].code.target.toString(), 'https://guide.example/checks.html#unreleasedlock', 'served guides are left alone');
  assert.equal(passed[2].code.target.toString(), `${pathToFileURL(path.join(m.root, 'elsewhere.html')).href}#a`, 'files outside the guide copy are left alone');
  assert.equal(passed[3].code, 'plain');

  // Hover cards: their markdown links.
  const hover = await mw.provideHover({}, {}, {}, async () => ({
    contents: [{ value: `**sync.Mutex**\n\n[Guide: unreleasedlock](${html}#unreleasedlock) and [web](https://x.example/a.html#b)` }],
  }));
  assert.equal(hover.contents[0].value, `**sync.Mutex**\n\n[Guide: unreleasedlock](${link('unreleasedlock')}) and [web](https://x.example/a.html#b)`);
  assert.equal(await mw.provideHover({}, {}, {}, async () => null), null);

  // Open guide: the server's showDocument of the markdown at the heading
  // shows the section's HTML in the guide tab.
  const shown = control.rec.webviews;
  const res = await mw.window.showDocument({ uri: md, selection: { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } } }, {}, async () => ({ success: false }));
  assert.deepEqual(res, { success: true });
  assert.equal(shown.length, 1);
  assert.match(shown[0].html, /<h2 id="unreleasedlock">/);
  assert.match(shown[0].html, /go\("unreleasedlock"\)/, 'scrolled to the section');
  // Other documents go to VS Code.
  assert.deepEqual(await mw.window.showDocument({ uri: 'file:///x.go' }, {}, async () => ({ success: 'next' })), { success: 'next' });
  // The command, as the links run it; it shows nothing outside the guide.
  const cmd = control.rec.commands.get('synclens.showGuide');
  cmd(htmlPath, 'unreleasedlock');
  assert.equal(shown.length, 1, 'one tab, reused');
  cmd(path.join(m.root, 'elsewhere.html'), 'a');
  assert.match(shown[0].html, /<h2 id="unreleasedlock">/);
  await ext.deactivate();
});
