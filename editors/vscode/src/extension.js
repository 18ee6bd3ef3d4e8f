'use strict';
// The synclens extension: starts `synclens serve` for Go files with
// vscode-languageclient over stdio, next to the Go extension (gopls). Both
// servers attach to the same buffers; synclens publishes only its own
// diagnostics (source "synclens"), each linking to its guide section.

const childProcess = require('child_process');
const vscode = require('vscode');
const { LanguageClient, DidChangeConfigurationNotification } = require('vscode-languageclient/node');
const settings = require('./settings');
const guideLinks = require('./guidelinks');
const guideView = require('./guideview');

const SECTION = 'synclens';

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.LogOutputChannel | undefined} */
let output;
/** @type {{show: (htmlPath: string, anchor: string) => boolean} | undefined} */
let guide;
// Starts, stops and restarts run one after the other.
let queue = Promise.resolve();

function enqueue(f) {
  const next = queue.then(f, f);
  queue = next.catch(() => {});
  return next;
}

function currentSettings() {
  return settings.readSettings(vscode.workspace.getConfiguration(SECTION));
}

/**
 * The options given to LanguageClient.
 * @param {string} serverPath
 */
function clientConfig(serverPath) {
  // No transport: vscode-languageclient then talks over stdio without
  // adding --stdio to the command line (it would add it for
  // TransportKind.stdio; synclens accepts it, older releases did not).
  const serverOptions = {
    command: serverPath,
    args: ['serve'],
  };
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'go' }],
    // A function, so that a restart sends the settings of that moment.
    initializationOptions: () => settings.serverSettings(currentSettings()),
    diagnosticCollectionName: 'synclens',
    // vscode-languageclient 10+ logs with output.error/info/...: it needs
    // a LogOutputChannel, and fails to start with a plain one.
    outputChannel: output,
    // Links to the local guide, and Open guide, show the section rendered.
    middleware: guideLinks.middleware(vscode, (htmlPath, anchor) => guide.show(htmlPath, anchor)),
    // Hover cards may run that command, and only that one.
    markdown: { isTrusted: { enabledCommands: [guideLinks.COMMAND] } },
  };
  return { serverOptions, clientOptions };
}

async function start() {
  if (client) return;
  const found = await settings.resolveServer(currentSettings().path);
  if (!found.path) {
    // Not awaited: the notification stays until the user answers.
    notifyMissing(found);
    return;
  }
  const { serverOptions, clientOptions } = clientConfig(found.path);
  const c = new LanguageClient('synclens', 'synclens', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (err) {
    // The client has shown the error and written to the output channel.
    if (output) output.error(`could not start ${found.path}: ${err && err.message ? err.message : err}`);
  }
}

async function stop() {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    await c.stop();
  } catch (err) {
    if (output) output.error(`error stopping the server: ${err && err.message ? err.message : err}`);
  }
}

function restart() {
  return enqueue(async () => {
    await stop();
    await start();
  });
}

/** Tells a running server the new settings. */
function pushSettings() {
  return enqueue(async () => {
    if (!client || !client.isRunning()) return;
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { synclens: settings.serverSettings(currentSettings()) },
    });
  });
}

async function notifyMissing(found) {
  const install = 'Install';
  const copy = 'Copy Command';
  const open = 'Open Settings';
  const items = found.configured ? [open, install] : [install, copy, open];
  const choice = await vscode.window.showErrorMessage(settings.missingMessage(found), ...items);
  if (choice === install) {
    await installServer();
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(settings.INSTALL_COMMAND);
  } else if (choice === open) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'synclens.path');
  }
}

/**
 * Runs `go install github.com/synclens/synclens@latest` in a terminal, and
 * starts the server when it succeeds. The terminal is the extension's own
 * (a pseudoterminal showing go's output), so that it stays open after go
 * exits: when the install fails, go's own error is there to read.
 */
function installServer() {
  return new Promise((resolve) => {
    const write = new vscode.EventEmitter();
    const close = new vscode.EventEmitter();
    const show = (text) => write.fire(String(text).replace(/\r?\n/g, '\r\n'));
    let proc;
    let finished = false;
    const finish = (ok, note) => {
      if (finished) return;
      finished = true;
      show(`\n${note}\n`);
      if (ok) {
        resolve(restart());
        return;
      }
      vscode.window.showErrorMessage(`synclens: "${settings.INSTALL_COMMAND}" failed: see the "synclens: install" terminal for go's error.`);
      resolve();
    };
    const pty = {
      onDidWrite: write.event,
      onDidClose: close.event,
      open() {
        show(`$ ${settings.INSTALL_COMMAND}\n`);
        proc = childProcess.spawn('go', ['install', settings.MODULE], { windowsHide: true });
        proc.stdout.on('data', show);
        proc.stderr.on('data', show);
        proc.on('error', (err) => {
          const why = err && err.code === 'ENOENT'
            ? `the go command is not on the PATH VS Code sees (${process.env.PATH || ''}). Install Go (https://go.dev/dl/) or put it on that PATH, then try again.`
            : `cannot run go: ${err && err.message ? err.message : err}`;
          finish(false, why);
        });
        proc.on('close', (code, signal) => {
          if (code === 0) finish(true, 'Installed; starting the synclens language server. You can close this terminal.');
          else finish(false, `go install failed (${signal ? `signal ${signal}` : `exit code ${code}`}): go's error is above. Close this terminal when done.`);
        });
      },
      close() {
        if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill();
      },
    };
    const term = vscode.window.createTerminal({ name: 'synclens: install', pty });
    term.show();
  });
}

/**
 * Has the server show go test -race output or a goroutine leak profile at
 * the lines of the code: the file given (explorer menu) or one picked.
 * @param {vscode.Uri | undefined} uri
 */
async function importRuntimeEvidence(uri) {
  let file = uri && uri.fsPath;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Import',
      title: 'go test -race output, or a goroutine leak profile (debug=1 or 2)',
    });
    if (!picked || picked.length === 0) return;
    file = picked[0].fsPath;
  }
  if (!client || !client.isRunning()) {
    vscode.window.showErrorMessage('synclens: the language server is not running; open a Go file first.');
    return;
  }
  try {
    const res = await client.sendRequest('workspace/executeCommand', { command: settings.IMPORT_COMMAND, arguments: [{ file }] });
    vscode.window.showInformationMessage(settings.importSummary(res));
  } catch (err) {
    vscode.window.showErrorMessage(`synclens: cannot import ${file}: ${err && err.message ? err.message : err}`);
  }
}

async function clearImportedEvidence() {
  if (!client || !client.isRunning()) return;
  await client.sendRequest('workspace/executeCommand', { command: settings.CLEAR_COMMAND, arguments: [] });
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  output = vscode.window.createOutputChannel('synclens', { log: true });
  guide = guideView.create(vscode);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(guideLinks.COMMAND, (htmlPath, anchor) => {
      const target = guideLinks.commandTarget(htmlPath, anchor);
      if (target) guide.show(target.htmlPath, target.anchor);
    }),
    vscode.commands.registerCommand('synclens.restartServer', () => restart()),
    vscode.commands.registerCommand('synclens.installServer', () => installServer()),
    vscode.commands.registerCommand('synclens.importRuntimeEvidence', (uri) => importRuntimeEvidence(uri)),
    vscode.commands.registerCommand('synclens.clearImportedEvidence', () => clearImportedEvidence()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration('synclens.path')) {
        restart();
      } else if (['docsBaseURL', 'disabledChecks', 'enabledChecks', 'inlayHints'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
        pushSettings();
      }
      // synclens.trace.server: vscode-languageclient follows it itself.
    }),
  );
  await enqueue(start);
}

function deactivate() {
  return enqueue(stop);
}

module.exports = {
  activate,
  deactivate,
  // For tests: the pending starts, stops and settings pushes.
  _idle: () => queue,
};
