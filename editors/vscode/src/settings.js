'use strict';
// The parts of the extension that do not need VS Code: reading the settings,
// finding the synclens binary and the messages shown when it is missing.
// extension.js wires them to the editor; test/activation.test.js runs both
// against a stub of the vscode module.

const fs = require('fs');
const path = require('path');
const childProcess = require('child_process');

const INSTALL_COMMAND = 'go install github.com/synclens/synclens@latest';
const INSTALL_FROM_CLONE = 'go install .';
const MODULE = 'github.com/synclens/synclens@latest';
// The server's commands behind "Import Runtime Evidence" and "Clear".
const IMPORT_COMMAND = 'synclens.importRace';
const CLEAR_COMMAND = 'synclens.clearRuntimeEvidence';

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** The message after an import, from the server's answer. */
function importSummary(res) {
  const r = res || {};
  const races = r.races || 0;
  const leaks = r.leaks || 0;
  let msg;
  if (races + leaks === 0) {
    msg = 'synclens: nothing to show: no data race report or leaked goroutine in this module\'s code.';
  } else {
    const parts = [];
    if (races) parts.push(plural(races, 'data race', 'data races'));
    if (leaks) parts.push(plural(leaks, 'goroutine leak', 'goroutine leaks'));
    msg = `synclens: ${parts.join(' and ')} shown in the Problems panel`;
    if (r.static) msg += ` (${r.static} also found by synclens's checks)`;
    msg += '.';
  }
  if (r.skipped) msg += ` ${plural(r.skipped, 'report is', 'reports are')} about code outside this module.`;
  return msg;
}

/**
 * Reads the synclens settings from a vscode.WorkspaceConfiguration for the
 * "synclens" section.
 * @param {{get: (key: string, def?: any) => any}} config
 */
function readSettings(config) {
  const str = (v) => (typeof v === 'string' ? v.trim() : '');
  const codes = (key) => {
    const v = config.get(key, []);
    return Array.isArray(v) ? v.filter((c) => typeof c === 'string' && c.trim() !== '').map((c) => c.trim()) : [];
  };
  const flag = (key, def) => {
    const v = config.get(key, def);
    return typeof v === 'boolean' ? v : def;
  };
  return {
    path: str(config.get('path', '')),
    docsBaseURL: str(config.get('docsBaseURL', '')),
    disabledChecks: codes('disabledChecks'),
    enabledChecks: codes('enabledChecks'),
    inlayHints: {
      heldLocks: flag('inlayHints.heldLocks', false),
      goroutineJoins: flag('inlayHints.goroutineJoins', true),
      channelCapacity: flag('inlayHints.channelCapacity', true),
    },
  };
}

/**
 * What the server is told: initializationOptions, and under "synclens" in
 * workspace/didChangeConfiguration. An empty docsBaseURL means the local
 * copy of the guide that synclens writes itself.
 */
function serverSettings(settings) {
  return {
    docsBaseURL: settings.docsBaseURL,
    disabledChecks: settings.disabledChecks,
    enabledChecks: settings.enabledChecks,
    inlayHints: settings.inlayHints,
  };
}

function isExecutable(file) {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Names to try for a command: synclens, or synclens.exe etc. on Windows. */
function exeNames(name, env, platform) {
  if (platform !== 'win32' || path.extname(name) !== '') return [name];
  const exts = (env.PATHEXT || '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return exts.map((e) => name + e.toLowerCase()).concat([name]);
}

/** Finds name in the directories of PATH, like `command -v`. */
function lookPath(name, env = process.env, platform = process.platform) {
  const dirs = (env.PATH || env.Path || '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const n of exeNames(name, env, platform)) {
      const file = path.join(dir, n);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

/**
 * Asks the go command where `go install` puts binaries: GOBIN, else the
 * bin directory of the first GOPATH entry. Resolves to [] when go is not
 * installed.
 */
function goBinDirs(env = process.env) {
  return new Promise((resolve) => {
    childProcess.execFile('go', ['env', 'GOBIN', 'GOPATH'], { env, timeout: 30000, windowsHide: true }, (err, stdout) => {
      if (err) {
        resolve(fallbackGoBinDirs(env));
        return;
      }
      const [gobin = '', gopath = ''] = String(stdout).split(/\r?\n/);
      const dirs = [];
      if (gobin.trim()) dirs.push(gobin.trim());
      const first = gopath.split(path.delimiter).find((p) => p.trim() !== '');
      if (first) dirs.push(path.join(first.trim(), 'bin'));
      resolve(dirs);
    });
  });
}

/** Without the go command: $GOBIN, $GOPATH/bin, else ~/go/bin. */
function fallbackGoBinDirs(env) {
  const dirs = [];
  if (env.GOBIN) dirs.push(env.GOBIN);
  const first = (env.GOPATH || '').split(path.delimiter).find((p) => p.trim() !== '');
  const home = env.HOME || env.USERPROFILE;
  if (first) dirs.push(path.join(first, 'bin'));
  else if (home) dirs.push(path.join(home, 'go', 'bin'));
  return dirs;
}

/**
 * Finds the synclens binary. An explicit synclens.path wins (a bare name is
 * looked up on PATH, ~ is expanded); otherwise synclens on PATH, then in
 * the directory `go install` writes to. Resolves to {path} or to
 * {path: undefined, tried: [...]} with what was looked at.
 */
async function resolveServer(configured, env = process.env, platform = process.platform) {
  const home = env.HOME || env.USERPROFILE || '';
  if (configured) {
    let p = configured;
    if (p === '~' || p.startsWith('~/')) p = path.join(home, p.slice(1));
    if (!p.includes('/') && !p.includes('\\')) {
      const found = lookPath(p, env, platform);
      return found ? { path: found, tried: [] } : { path: undefined, tried: [`${p} on PATH (synclens.path)`], configured: true };
    }
    for (const n of exeNames(p, env, platform)) {
      if (isExecutable(n)) return { path: n, tried: [] };
    }
    return { path: undefined, tried: [`${p} (synclens.path)`], configured: true };
  }
  const onPath = lookPath('synclens', env, platform);
  if (onPath) return { path: onPath, tried: [] };
  const tried = ['synclens on PATH'];
  for (const dir of await goBinDirs(env)) {
    for (const n of exeNames(path.join(dir, 'synclens'), env, platform)) {
      if (isExecutable(n)) return { path: n, tried: [] };
    }
    tried.push(path.join(dir, 'synclens'));
  }
  return { path: undefined, tried };
}

/** The notification shown when the binary cannot be found. */
function missingMessage(result) {
  const where = result.tried.join(', ');
  if (result.configured) {
    return `synclens: the language server set in synclens.path was not found (looked for ${where}). ` +
      `Fix the setting, or clear it and install synclens with: ${INSTALL_COMMAND}`;
  }
  return `synclens: the language server is not installed (looked for ${where}). ` +
    `Install it with: ${INSTALL_COMMAND} (or, from a clone of the repository: ${INSTALL_FROM_CLONE}), then reload.`;
}

module.exports = {
  IMPORT_COMMAND,
  CLEAR_COMMAND,
  importSummary,
  INSTALL_COMMAND,
  INSTALL_FROM_CLONE,
  MODULE,
  readSettings,
  serverSettings,
  lookPath,
  goBinDirs,
  resolveServer,
  missingMessage,
};
