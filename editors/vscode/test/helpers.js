'use strict';
// Shared by the tests: loading modules against a stub `vscode`, the client
// capabilities vscode-languageclient sends, the synclens binary and the
// sample module.

const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');
const childProcess = require('child_process');

const EXT_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(EXT_DIR, '..', '..');
const SAMPLE_DIR = path.join(REPO_ROOT, 'editors', 'testdata', 'buggy');

/**
 * Runs f with require('vscode') (and any other module named in stubs)
 * answered by the stubs, then restores the loader.
 */
function withStubs(stubs, f) {
  const orig = Module._load;
  Module._load = function (request, parent, isMain) {
    if (Object.prototype.hasOwnProperty.call(stubs, request)) return stubs[request];
    return orig.call(this, request, parent, isMain);
  };
  try {
    return f();
  } finally {
    Module._load = orig;
  }
}

/** Drops the extension's own modules from the require cache. */
function forgetExtensionModules() {
  for (const k of Object.keys(require.cache)) {
    if (k.startsWith(path.join(EXT_DIR, 'src') + path.sep) || k.startsWith(path.join(EXT_DIR, 'dist') + path.sep)) {
      delete require.cache[k];
    }
  }
}

/**
 * A permissive stand-in for the vscode module: every property is a
 * callable, constructible object, so libraries can be loaded and set up
 * without an editor. vscode.version is a real version string.
 */
function permissiveVscode(version = '1.95.0') {
  function deep(name) {
    const fn = function () { return deep(name + '()'); };
    return new Proxy(fn, {
      get(_t, p) {
        if (p === 'then') return undefined; // not a promise
        if (p === Symbol.toPrimitive) return () => name;
        if (p === Symbol.iterator) return function* () {};
        if (name === 'vscode' && p === 'version') return version;
        return deep(name + '.' + String(p));
      },
      construct() { return deep('new ' + name); },
    });
  }
  return deep('vscode');
}

/**
 * The client capabilities the synclens extension sends: computed by the
 * vscode-languageclient version it bundles, with the options the extension
 * uses. This is the same code that runs in VS Code to build the initialize
 * request, so the end-to-end test speaks exactly as the extension does.
 */
function languageClientCapabilities() {
  const key = require.resolve('vscode-languageclient/node');
  return withStubs({ vscode: permissiveVscode() }, () => {
    // Load a private copy, so that the stub does not stay in the cache.
    const saved = new Map();
    for (const k of Object.keys(require.cache)) {
      if (k.includes(`${path.sep}vscode-languageclient${path.sep}`)) {
        saved.set(k, require.cache[k]);
        delete require.cache[k];
      }
    }
    try {
      const { LanguageClient } = require(key);
      const c = new LanguageClient('synclens', 'synclens', { command: 'synclens' }, {
        documentSelector: [{ scheme: 'file', language: 'go' }],
      });
      return JSON.parse(JSON.stringify(c.computeClientCapabilities()));
    } finally {
      for (const k of Object.keys(require.cache)) {
        if (k.includes(`${path.sep}vscode-languageclient${path.sep}`)) delete require.cache[k];
      }
      for (const [k, v] of saved) require.cache[k] = v;
    }
  });
}

/**
 * obj, with every property it lacks (at any depth of plain objects) taken
 * from fallback: a functional stub made complete enough for libraries that
 * touch more of the API at load time, e.g. `class X extends vscode.Y`.
 */
function withFallback(obj, fallback) {
  return new Proxy(obj, {
    get(t, p, r) {
      if (!(p in t)) return fallback[p];
      const v = Reflect.get(t, p, r);
      if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return withFallback(v, fallback[p]);
      return v;
    },
  });
}

function mkTemp(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

let built;
/**
 * The synclens binary: $SYNCLENS if set, else built once from the
 * repository (go build, cwd = repository root).
 */
function synclensBinary() {
  if (process.env.SYNCLENS) return process.env.SYNCLENS;
  if (built) return built;
  const dir = mkTemp('synclens-bin-');
  const out = path.join(dir, process.platform === 'win32' ? 'synclens.exe' : 'synclens');
  const t0 = Date.now();
  const r = childProcess.spawnSync('go', ['build', '-o', out, 'github.com/synclens/synclens'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
  });
  if (r.error) throw new Error(`go build: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`go build failed (exit ${r.status}):\n${r.stderr}`);
  process.stderr.write(`# built ${out} in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  built = out;
  return out;
}

/** Copies the sample module (editors/testdata/buggy) to a temp directory. */
function copySample() {
  const dir = mkTemp('synclens-sample-');
  for (const f of fs.readdirSync(SAMPLE_DIR)) {
    fs.copyFileSync(path.join(SAMPLE_DIR, f), path.join(dir, f));
  }
  return dir;
}

module.exports = {
  EXT_DIR,
  REPO_ROOT,
  SAMPLE_DIR,
  withStubs,
  forgetExtensionModules,
  permissiveVscode,
  withFallback,
  languageClientCapabilities,
  mkTemp,
  synclensBinary,
  copySample,
};
