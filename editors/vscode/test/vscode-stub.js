'use strict';
// A small functional stand-in for the parts of the vscode API that the
// extension uses, and for vscode-languageclient's LanguageClient, recording
// what the extension does with them.

const { DidChangeConfigurationNotification } = require('vscode-languageserver-protocol');

/** A list of calls that can be awaited: next() resolves at the next push. */
class Calls extends Array {
  push(...items) {
    const n = super.push(...items);
    const w = this.waiting || [];
    this.waiting = [];
    for (const resolve of w) resolve(items[0]);
    return n;
  }
  next() {
    return new Promise((resolve) => { (this.waiting = this.waiting || []).push(resolve); });
  }
  static get [Symbol.species]() { return Array; }
}

function makeVscode(settings = {}) {
  const listeners = { config: [] };
  const rec = {
    errors: new Calls(), // {message, items}
    terminals: new Calls(),
    clipboard: new Calls(),
    executed: new Calls(),
    outputChannels: [],
    webviews: [], // the guide tabs: {html, title}
    commands: new Map(),
    choices: [], // answers to showErrorMessage, in order (undefined: dismissed)
    infos: new Calls(), // showInformationMessage
    openDialog: [], // answers to showOpenDialog, in order
  };
  const disposable = (list, fn) => ({ dispose() { const i = list.indexOf(fn); if (i >= 0) list.splice(i, 1); } });
  const vscode = {
    version: '1.95.0',
    EventEmitter: class {
      constructor() { this.listeners = []; this.event = (fn) => { this.listeners.push(fn); return { dispose() {} }; }; }
      fire(v) { for (const fn of this.listeners) fn(v); }
      dispose() {}
    },
    ViewColumn: { Active: -1 },
    Uri: {
      parse(value) {
        return { value, toString: () => value };
      },
    },
    workspace: {
      getConfiguration(section) {
        if (section !== 'synclens') throw new Error(`unexpected configuration section ${section}`);
        return {
          get: (key, def) => (Object.prototype.hasOwnProperty.call(settings, key) ? settings[key] : def),
        };
      },
      onDidChangeConfiguration(fn) { listeners.config.push(fn); return disposable(listeners.config, fn); },
    },
    window: {
      createWebviewPanel(viewType, title) {
        const panel = {
          viewType, title, html: '', revealed: 0,
          webview: { set html(v) { panel.html = v; }, get html() { return panel.html; }, onDidReceiveMessage() { return { dispose() {} }; } },
          onDidDispose() { return { dispose() {} }; },
          reveal() { panel.revealed++; },
        };
        rec.webviews.push(panel);
        return panel;
      },
      // With {log: true}, VS Code returns a LogOutputChannel, whose
      // error/warn/info/... methods vscode-languageclient 10+ calls.
      createOutputChannel(name, options) {
        const ch = { name, log: !!(options && options.log), lines: [], appendLine(l) { this.lines.push(l); }, append() {}, show() {}, dispose() {} };
        rec.outputChannels.push(ch);
        if (!ch.log) return ch;
        for (const level of ['trace', 'debug', 'info', 'warn', 'error']) ch[level] = (m) => ch.lines.push(`[${level}] ${m}`);
        return ch;
      },
      showInformationMessage(message) {
        rec.infos.push(message);
        return Promise.resolve(undefined);
      },
      showOpenDialog(opts) {
        return Promise.resolve(rec.openDialog.shift());
      },
      showErrorMessage(message, ...items) {
        rec.errors.push({ message, items });
        return Promise.resolve(rec.choices.shift());
      },
      // An extension terminal (options.pty): VS Code opens its
      // pseudoterminal when shown; output is what it writes.
      createTerminal(opts) {
        const term = { opts, shown: false, output: '', show() {
          if (this.shown) return;
          this.shown = true;
          if (opts.pty) {
            opts.pty.onDidWrite((d) => { term.output += d; term.changed(); });
            opts.pty.open(undefined);
          }
        }, changed() {}, dispose() { if (opts.pty) opts.pty.close(); } };
        /** Resolves when the output matches re. */
        term.outputMatches = (re) => new Promise((resolve) => {
          const check = () => { if (re.test(term.output)) resolve(term.output); };
          term.changed = check;
          check();
        });
        rec.terminals.push(term);
        return term;
      },
    },
    commands: {
      registerCommand(id, fn) { rec.commands.set(id, fn); return { dispose() { rec.commands.delete(id); } }; },
      executeCommand(...args) { rec.executed.push(args); return Promise.resolve(); },
    },
    env: {
      clipboard: { writeText(text) { rec.clipboard.push(text); return Promise.resolve(); } },
    },
  };
  const control = {
    rec,
    settings,
    /** Changes settings and fires onDidChangeConfiguration for the keys. */
    change(values) {
      Object.assign(settings, values);
      const keys = Object.keys(values).map((k) => `synclens.${k}`);
      const event = {
        affectsConfiguration: (s) => keys.some((k) => k === s || k.startsWith(s + '.')),
      };
      for (const fn of [...listeners.config]) fn(event);
    },
  };
  return { vscode, control };
}

function makeLanguageClientModule() {
  const instances = new Calls();
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions });
      this.state = 'new';
      this.notifications = [];
      instances.push(this);
    }
    async start() { this.state = 'running'; }
    async stop() { this.state = 'stopped'; }
    isRunning() { return this.state === 'running'; }
    async sendNotification(type, params) { this.notifications.push({ method: type.method, params }); }
    async sendRequest(method, params) {
      (this.requests = this.requests || []).push({ method, params });
      return this.answer ? this.answer(method, params) : null;
    }
  }
  return {
    module: { LanguageClient, DidChangeConfigurationNotification },
    instances,
  };
}

function makeContext() {
  return { subscriptions: [], extensionPath: '/nonexistent' };
}

module.exports = { makeVscode, makeLanguageClientModule, makeContext, Calls };
