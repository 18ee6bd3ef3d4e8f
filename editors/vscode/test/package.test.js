'use strict';
// Packages the extension with vsce (which runs the esbuild bundle first, as
// vscode:prepublish) and checks what the .vsix holds: the manifest, the one
// bundled script and the README, no sources and no node_modules. Then the
// bundled script taken from the .vsix is loaded against a stub vscode and
// activated without a synclens binary.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { spawnSync } = require('child_process');
const h = require('./helpers');
const { makeVscode, makeContext } = require('./vscode-stub');

/** Reads every entry of a zip file: name -> Buffer. */
function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'a zip end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + size);
    entries.set(name, method === 0 ? Buffer.from(raw) : zlib.inflateRawSync(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

test('vsce package makes a .vsix with the bundled extension only', { timeout: 5 * 60 * 1000 }, async (t) => {
  const out = h.mkTemp('synclens-vsix-');
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  const pkg = JSON.parse(fs.readFileSync(path.join(h.EXT_DIR, 'package.json'), 'utf8'));
  const vsix = path.join(out, `synclens-${pkg.version}.vsix`);
  const vsce = path.join(h.EXT_DIR, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--skip-license', '--out', vsix], {
    cwd: h.EXT_DIR,
    encoding: 'utf8',
    timeout: 4 * 60 * 1000,
  });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
  assert.ok(fs.existsSync(vsix));

  const entries = readZip(vsix);
  const names = [...entries.keys()].sort();
  assert.deepEqual(names, [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/dist/extension.js',
    'extension/package.json',
    'extension/readme.md',
  ]);

  // The manifest VS Code reads.
  const manifest = JSON.parse(entries.get('extension/package.json').toString('utf8'));
  assert.equal(manifest.name, 'synclens');
  assert.equal(manifest.main, './dist/extension.js');
  assert.deepEqual(manifest.activationEvents, ['onLanguage:go']);
  assert.equal(manifest.engines.vscode, '^1.91.0');
  const props = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), [
    'synclens.disabledChecks', 'synclens.docsBaseURL', 'synclens.enabledChecks',
    'synclens.inlayHints.channelCapacity', 'synclens.inlayHints.goroutineJoins', 'synclens.inlayHints.heldLocks',
    'synclens.path', 'synclens.trace.server',
  ]);
  // A cloned repository's .vscode/settings.json must not choose the binary
  // that runs, trusted or not: user or remote settings only, as vscode-go
  // scopes its tool paths.
  assert.equal(props['synclens.path'].scope, 'machine', 'synclens.path is machine-scoped');
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['synclens.path']);
  assert.equal(props['synclens.inlayHints.heldLocks'].default, false, 'lock hints are off by default');
  assert.equal(props['synclens.inlayHints.goroutineJoins'].default, true);
  assert.equal(props['synclens.disabledChecks'].type, 'array');
  assert.deepEqual(props['synclens.trace.server'].enum, ['off', 'messages', 'verbose']);
  const commands = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(commands, ['synclens.clearImportedEvidence', 'synclens.importRuntimeEvidence', 'synclens.installServer', 'synclens.restartServer']);
  assert.ok(!commands.includes('synclens.importRace'), 'the server\'s command is registered by the client, not contributed');
  assert.ok(!commands.includes('synclens.openGuide'), 'the server\'s command is registered by the client, not contributed');

  const vsixManifest = entries.get('extension.vsixmanifest').toString('utf8');
  assert.match(vsixManifest, new RegExp(`<Identity [^>]*Version="${pkg.version.replace(/\./g, '\\.')}"[^>]*Publisher="synclens"`));
  assert.match(vsixManifest, /Id="Microsoft\.VisualStudio\.Code\.Engine" Value="\^1\.91\.0"/);

  // The bundle: self-contained but for `vscode`.
  const bundle = entries.get('extension/dist/extension.js').toString('utf8');
  const requires = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
  const nonBuiltin = [...requires].filter((m) => !require('module').isBuiltin(m));
  assert.deepEqual(nonBuiltin, ['vscode'], 'only vscode is left to the editor');
  assert.ok(bundle.includes('synclens'), 'our code is in it');

  // Load that bundle and activate it on a machine without synclens.
  const dir = h.mkTemp('synclens-bundle-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.writeFileSync(path.join(dir, 'dist', 'extension.js'), bundle);
  const home = path.join(dir, 'home');
  const savedEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GOPATH: process.env.GOPATH, GOBIN: process.env.GOBIN };
  t.after(() => { for (const [k, v] of Object.entries(savedEnv)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; } });
  Object.assign(process.env, { PATH: path.join(dir, 'empty'), HOME: home });
  delete process.env.GOPATH;
  delete process.env.GOBIN;
  const { vscode, control } = makeVscode({});
  const ext = h.withStubs({ vscode: h.withFallback(vscode, h.permissiveVscode()) }, () => require(path.join(dir, 'dist', 'extension.js')));
  assert.equal(typeof ext.activate, 'function');
  assert.equal(typeof ext.deactivate, 'function');
  const shown = control.rec.errors.next();
  await ext.activate(makeContext());
  const { message } = await shown;
  assert.ok(message.includes('go install github.com/synclens/synclens@latest'), message);
  await ext.deactivate();
});
