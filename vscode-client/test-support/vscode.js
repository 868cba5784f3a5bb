'use strict';
// A mock of the `vscode` API: enough of it for the extension and the REAL vscode-languageclient to run
// under node --test against the REAL CarbonLens server. VS Code itself cannot run here (no download).
// `require('vscode')` resolves to this file through ./register-vscode.cjs.
//
// Test helpers are under `__mock`: open documents (with a tab and a visible editor, as VS Code does),
// set settings and Workspace Trust, and read what the extension did (diagnostic collections, status bar
// items, messages, output, webviews, commands run).

const path = require('node:path');
const fs = require('node:fs');

// ---------------------------------------------------------------------------------------------- basics

class Disposable {
  constructor(callOnDispose) {
    this._callOnDispose = callOnDispose;
  }
  static from(...items) {
    return new Disposable(() => {
      for (const d of items) {
        if (d && typeof d.dispose === 'function') {
          d.dispose();
        }
      }
    });
  }
  dispose() {
    const f = this._callOnDispose;
    this._callOnDispose = undefined;
    if (typeof f === 'function') {
      f();
    }
  }
}

class EventEmitter {
  constructor() {
    this._listeners = new Set();
    this.event = (listener, thisArgs, disposables) => {
      const entry = { listener, thisArgs };
      this._listeners.add(entry);
      const d = new Disposable(() => this._listeners.delete(entry));
      if (Array.isArray(disposables)) {
        disposables.push(d);
      }
      return d;
    };
  }
  fire(e) {
    for (const { listener, thisArgs } of [...this._listeners]) {
      try {
        listener.call(thisArgs, e);
      } catch (err) {
        console.error('mock vscode: listener failed', err);
      }
    }
  }
  dispose() {
    this._listeners.clear();
  }
}

class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

class CancellationTokenSource {
  constructor() {
    this._emitter = new EventEmitter();
    this._cancelled = false;
    const self = this;
    this.token = {
      get isCancellationRequested() {
        return self._cancelled;
      },
      onCancellationRequested: this._emitter.event,
    };
  }
  cancel() {
    if (!this._cancelled) {
      this._cancelled = true;
      this._emitter.fire(undefined);
    }
  }
  dispose() {
    this._emitter.dispose();
  }
}

// ------------------------------------------------------------------------------------------------ Uri

function encodePath(p) {
  return p.replace(/[^A-Za-z0-9\-._~/!$&'()*+,;=@]/g, (c) =>
    Buffer.from(c, 'utf8').reduce((s, b) => s + '%' + b.toString(16).toUpperCase().padStart(2, '0'), ''));
}

class Uri {
  constructor(scheme, authority, p, query, fragment) {
    this.scheme = scheme;
    this.authority = authority || '';
    this.path = p || '';
    this.query = query || '';
    this.fragment = fragment || '';
  }
  static file(fsPath) {
    let p = fsPath.replace(/\\/g, '/');
    if (!p.startsWith('/')) {
      p = '/' + p;
    }
    return new Uri('file', '', p, '', '');
  }
  static parse(value) {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) {
      throw new Error(`mock vscode: cannot parse uri ${value}`);
    }
    const dec = (s) => (s ? decodeURIComponent(s) : '');
    return new Uri(m[1], dec(m[2]), dec(m[3]), dec(m[4]), dec(m[5]));
  }
  static from(c) {
    return new Uri(c.scheme, c.authority, c.path, c.query, c.fragment);
  }
  static joinPath(base, ...segments) {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  get fsPath() {
    return this.path;
  }
  with(change) {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString() {
    let s = `${this.scheme}:`;
    if (this.authority || this.scheme === 'file') {
      s += '//' + encodePath(this.authority);
    }
    s += encodePath(this.path);
    if (this.query) {
      s += '?' + encodeURIComponent(this.query);
    }
    if (this.fragment) {
      s += '#' + encodeURIComponent(this.fragment);
    }
    return s;
  }
  toJSON() {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

// ---------------------------------------------------------------------------------- positions, ranges

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
  isBefore(o) {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  isBeforeOrEqual(o) {
    return this.isBefore(o) || this.isEqual(o);
  }
  isAfter(o) {
    return !this.isBeforeOrEqual(o);
  }
  isAfterOrEqual(o) {
    return !this.isBefore(o);
  }
  isEqual(o) {
    return this.line === o.line && this.character === o.character;
  }
  compareTo(o) {
    return this.isBefore(o) ? -1 : this.isEqual(o) ? 0 : 1;
  }
  translate(lineDelta = 0, characterDelta = 0) {
    if (typeof lineDelta === 'object') {
      return new Position(this.line + (lineDelta.lineDelta || 0), this.character + (lineDelta.characterDelta || 0));
    }
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line, character) {
    if (typeof line === 'object') {
      return new Position(line.line ?? this.line, line.character ?? this.character);
    }
    return new Position(line ?? this.line, character ?? this.character);
  }
}

class Range {
  constructor(a, b, c, d) {
    let start = a;
    let end = b;
    if (typeof a === 'number') {
      start = new Position(a, b);
      end = new Position(c, d);
    }
    if (end.isBefore(start)) {
      [start, end] = [end, start];
    }
    this.start = start;
    this.end = end;
  }
  get isEmpty() {
    return this.start.isEqual(this.end);
  }
  get isSingleLine() {
    return this.start.line === this.end.line;
  }
  contains(x) {
    if (x instanceof Range) {
      return this.contains(x.start) && this.contains(x.end);
    }
    return x.isAfterOrEqual(this.start) && x.isBeforeOrEqual(this.end);
  }
  isEqual(o) {
    return this.start.isEqual(o.start) && this.end.isEqual(o.end);
  }
  intersection(o) {
    const start = this.start.isAfter(o.start) ? this.start : o.start;
    const end = this.end.isBefore(o.end) ? this.end : o.end;
    return start.isAfter(end) ? undefined : new Range(start, end);
  }
  union(o) {
    return new Range(this.start.isBefore(o.start) ? this.start : o.start, this.end.isAfter(o.end) ? this.end : o.end);
  }
  with(start, end) {
    if (start && !(start instanceof Position)) {
      return new Range(start.start ?? this.start, start.end ?? this.end);
    }
    return new Range(start ?? this.start, end ?? this.end);
  }
}

class Selection extends Range {
  constructor(anchor, active, c, d) {
    if (typeof anchor === 'number') {
      anchor = new Position(anchor, active);
      active = new Position(c, d);
    }
    super(anchor, active);
    this.anchor = anchor;
    this.active = active;
  }
  get isReversed() {
    return this.active.isBefore(this.anchor);
  }
}

class Location {
  constructor(uri, rangeOrPosition) {
    this.uri = uri;
    this.range = rangeOrPosition instanceof Position ? new Range(rangeOrPosition, rangeOrPosition) : rangeOrPosition;
  }
}

// ----------------------------------------------------------------------------------- language objects

const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 };

class Diagnostic {
  constructor(range, message, severity = DiagnosticSeverity.Error) {
    this.range = range;
    this.message = message;
    this.severity = severity;
  }
}

class DiagnosticRelatedInformation {
  constructor(location, message) {
    this.location = location;
    this.message = message;
  }
}

class MarkdownString {
  constructor(value = '', supportThemeIcons = false) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
  }
  appendText(v) {
    this.value += v.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendMarkdown(v) {
    this.value += v;
    return this;
  }
  appendCodeblock(code, language = '') {
    this.value += '\n```' + language + '\n' + code + '\n```\n';
    return this;
  }
}

class Hover {
  constructor(contents, range) {
    this.contents = Array.isArray(contents) ? contents : [contents];
    this.range = range;
  }
}

class TextEdit {
  constructor(range, newText) {
    this.range = range;
    this.newText = newText;
  }
  static replace(range, newText) {
    return new TextEdit(range, newText);
  }
  static insert(position, newText) {
    return new TextEdit(new Range(position, position), newText);
  }
  static delete(range) {
    return new TextEdit(range, '');
  }
}

class SnippetString {
  constructor(value = '') {
    this.value = value;
  }
}

class SnippetTextEdit {
  constructor(range, snippet) {
    this.range = range;
    this.snippet = snippet;
  }
}

class WorkspaceEdit {
  constructor() {
    this._edits = [];
  }
  replace(uri, range, newText, metadata) {
    this._edits.push({ uri, edit: new TextEdit(range, newText), metadata });
  }
  insert(uri, position, newText, metadata) {
    this._edits.push({ uri, edit: TextEdit.insert(position, newText), metadata });
  }
  delete(uri, range, metadata) {
    this._edits.push({ uri, edit: TextEdit.delete(range), metadata });
  }
  set(uri, edits) {
    for (const e of edits || []) {
      if (Array.isArray(e)) {
        this._edits.push({ uri, edit: e[0], metadata: e[1] });
      } else {
        this._edits.push({ uri, edit: e });
      }
    }
  }
  has(uri) {
    return this._edits.some((e) => e.uri.toString() === uri.toString());
  }
  get(uri) {
    return this._edits.filter((e) => e.uri.toString() === uri.toString()).map((e) => e.edit);
  }
  entries() {
    const byUri = new Map();
    for (const e of this._edits) {
      const k = e.uri.toString();
      if (!byUri.has(k)) {
        byUri.set(k, [e.uri, []]);
      }
      byUri.get(k)[1].push(e.edit);
    }
    return [...byUri.values()];
  }
  createFile(uri, options, metadata) {
    this._edits.push({ uri, file: 'create', options, metadata });
  }
  deleteFile(uri, options, metadata) {
    this._edits.push({ uri, file: 'delete', options, metadata });
  }
  renameFile(oldUri, newUri, options, metadata) {
    this._edits.push({ uri: oldUri, newUri, file: 'rename', options, metadata });
  }
  get size() {
    return this.entries().length;
  }
}

class CodeActionKind {
  constructor(value) {
    this.value = value;
  }
  append(part) {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other) {
    return this.value === other.value || this.value === '' || other.value.startsWith(this.value + '.');
  }
  intersects(other) {
    return this.contains(other) || other.contains(this);
  }
}
CodeActionKind.Empty = new CodeActionKind('');
CodeActionKind.QuickFix = new CodeActionKind('quickfix');
CodeActionKind.Refactor = new CodeActionKind('refactor');
CodeActionKind.RefactorExtract = new CodeActionKind('refactor.extract');
CodeActionKind.RefactorInline = new CodeActionKind('refactor.inline');
CodeActionKind.RefactorMove = new CodeActionKind('refactor.move');
CodeActionKind.RefactorRewrite = new CodeActionKind('refactor.rewrite');
CodeActionKind.Source = new CodeActionKind('source');
CodeActionKind.SourceOrganizeImports = new CodeActionKind('source.organizeImports');
CodeActionKind.SourceFixAll = new CodeActionKind('source.fixAll');
CodeActionKind.Notebook = new CodeActionKind('notebook');

class CodeAction {
  constructor(title, kind) {
    this.title = title;
    this.kind = kind;
  }
}

class CodeLens {
  constructor(range, command) {
    this.range = range;
    this.command = command;
  }
  get isResolved() {
    return !!this.command;
  }
}

class CompletionItem {
  constructor(label, kind) {
    this.label = label;
    this.kind = kind;
  }
}

class CompletionList {
  constructor(items = [], isIncomplete = false) {
    this.items = items;
    this.isIncomplete = isIncomplete;
  }
}

class SymbolInformation {
  constructor(name, kind, containerName, location) {
    this.name = name;
    this.kind = kind;
    this.containerName = containerName;
    this.location = location;
  }
}

class DocumentSymbol {
  constructor(name, detail, kind, range, selectionRange) {
    Object.assign(this, { name, detail, kind, range, selectionRange, children: [] });
  }
}

class RelativePattern {
  constructor(base, pattern) {
    this.baseUri = typeof base === 'string' ? Uri.file(base) : base.uri ?? base;
    this.base = this.baseUri.fsPath;
    this.pattern = pattern;
  }
}

class TabInputText {
  constructor(uri) {
    this.uri = uri;
  }
}
class TabInputTextDiff {
  constructor(original, modified) {
    this.original = original;
    this.modified = modified;
  }
}
class TabInputCustom {
  constructor(uri, viewType) {
    this.uri = uri;
    this.viewType = viewType;
  }
}
class TabInputNotebook {
  constructor(uri, notebookType) {
    this.uri = uri;
    this.notebookType = notebookType;
  }
}

/** Simple classes the converters may construct (signature help, folding, ...): they keep what they get. */
function plainClass(...fields) {
  return class {
    constructor(...args) {
      fields.forEach((f, i) => {
        this[f] = args[i];
      });
    }
  };
}

// ------------------------------------------------------------------------------------------- documents

const EOL = { LF: 1, CRLF: 2 };

class MockTextDocument {
  constructor(uri, languageId, text, version = 1) {
    this.uri = uri;
    this.languageId = languageId;
    this.version = version;
    this._text = text;
    this.isDirty = false;
    this.isClosed = false;
    this.eol = EOL.LF;
    this.encoding = 'utf8';
  }
  get fileName() {
    return this.uri.fsPath;
  }
  get isUntitled() {
    return this.uri.scheme === 'untitled';
  }
  get _lines() {
    return this._text.split(/\r?\n/);
  }
  get lineCount() {
    return this._lines.length;
  }
  getText(range) {
    if (!range) {
      return this._text;
    }
    return this._text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  lineAt(lineOrPos) {
    const line = typeof lineOrPos === 'number' ? lineOrPos : lineOrPos.line;
    const text = this._lines[line];
    const firstNonWs = text.search(/\S/);
    return {
      lineNumber: line,
      text,
      range: new Range(line, 0, line, text.length),
      rangeIncludingLineBreak: new Range(line, 0, line + 1, 0),
      firstNonWhitespaceCharacterIndex: firstNonWs < 0 ? text.length : firstNonWs,
      isEmptyOrWhitespace: firstNonWs < 0,
    };
  }
  offsetAt(pos) {
    const lines = this._text.split('\n');
    let offset = 0;
    for (let i = 0; i < pos.line && i < lines.length; i++) {
      offset += lines[i].length + 1;
    }
    return Math.min(offset + pos.character, this._text.length);
  }
  positionAt(offset) {
    const before = this._text.slice(0, offset).split('\n');
    return new Position(before.length - 1, before[before.length - 1].length);
  }
  getWordRangeAtPosition(pos, regex = /[\w.-]+/g) {
    const text = this.lineAt(pos.line).text;
    const re = new RegExp(regex.source, 'g');
    let m;
    while ((m = re.exec(text)) !== null) {
      if (m.index <= pos.character && pos.character <= m.index + m[0].length) {
        return new Range(pos.line, m.index, pos.line, m.index + m[0].length);
      }
    }
    return undefined;
  }
  validateRange(r) {
    return r;
  }
  validatePosition(p) {
    return p;
  }
  save() {
    return Promise.resolve(true);
  }
}

// ------------------------------------------------------------------------------------------ the state

const state = {
  config: new Map(), // full key ('carbonlens.defaults.region') -> value
  trusted: true,
  diagnosticCollections: [],
  statusBarItems: [],
  outputChannels: [],
  messages: [], // { type: 'error' | 'warning' | 'info', message, items }
  commands: new Map(),
  executed: [], // built-in commands the extension ran: { command, args }
  openedExternal: [],
  webviewPanels: [],
  providers: [], // { kind, selector, provider }
  quickPickAnswer: undefined,
  inputBoxAnswer: undefined,
  messageAnswer: undefined,
};

const events = {
  openDoc: new EventEmitter(),
  closeDoc: new EventEmitter(),
  changeDoc: new EventEmitter(),
  saveDoc: new EventEmitter(),
  willSaveDoc: new EventEmitter(),
  changeConfig: new EventEmitter(),
  changeFolders: new EventEmitter(),
  grantTrust: new EventEmitter(),
  activeEditor: new EventEmitter(),
  visibleEditors: new EventEmitter(),
  selection: new EventEmitter(),
  tabs: new EventEmitter(),
  tabGroups: new EventEmitter(),
  diagnostics: new EventEmitter(),
  never: new EventEmitter(),
};

const tabGroup = { isActive: true, viewColumn: 1, activeTab: undefined, tabs: [] };

// ------------------------------------------------------------------------------------------- languages

function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '/?';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      re += '(?:' + glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|') + ')';
      i = end;
    } else {
      re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp('^' + re + '$');
}

function matchOne(filter, document) {
  if (typeof filter === 'string') {
    return filter === '*' ? 5 : filter === document.languageId ? 10 : 0;
  }
  let score = 0;
  if (filter.language !== undefined) {
    if (filter.language === '*') {
      score = 5;
    } else if (filter.language === document.languageId) {
      score = 10;
    } else {
      return 0;
    }
  }
  if (filter.scheme !== undefined) {
    if (filter.scheme !== '*' && filter.scheme !== document.uri.scheme) {
      return 0;
    }
    score = Math.max(score, filter.scheme === '*' ? 5 : 10);
  }
  if (filter.pattern !== undefined) {
    const pattern = typeof filter.pattern === 'string' ? filter.pattern : filter.pattern.pattern;
    const base = typeof filter.pattern === 'string' ? '' : filter.pattern.baseUri.path;
    const p = document.uri.path;
    const rel = base && p.startsWith(base + '/') ? p.slice(base.length + 1) : p;
    if (!globToRegExp(pattern).test(rel) && !globToRegExp(pattern).test(p.replace(/^\//, ''))) {
      return 0;
    }
    score = Math.max(score, 10);
  }
  return score;
}

function match(selector, document) {
  const list = Array.isArray(selector) ? selector : [selector];
  return list.reduce((best, f) => Math.max(best, matchOne(f, document)), 0);
}

function createDiagnosticCollection(name) {
  const entries = new Map(); // uri string -> [uri, diagnostics]
  const collection = {
    name,
    set(uriOrEntries, diagnostics) {
      const changed = [];
      if (Array.isArray(uriOrEntries)) {
        for (const [uri, diags] of uriOrEntries) {
          entries.set(uri.toString(), [uri, diags ? [...diags] : []]);
          changed.push(uri);
        }
      } else if (diagnostics === undefined) {
        entries.delete(uriOrEntries.toString());
        changed.push(uriOrEntries);
      } else {
        entries.set(uriOrEntries.toString(), [uriOrEntries, [...diagnostics]]);
        changed.push(uriOrEntries);
      }
      collection.history.push(...changed.map((u) => ({ uri: u.toString(), diagnostics: collection.get(u) || [] })));
      events.diagnostics.fire({ uris: changed });
    },
    delete(uri) {
      entries.delete(uri.toString());
      events.diagnostics.fire({ uris: [uri] });
    },
    clear() {
      const uris = [...entries.values()].map(([u]) => u);
      entries.clear();
      events.diagnostics.fire({ uris });
    },
    forEach(cb) {
      for (const [uri, diags] of entries.values()) {
        cb(uri, diags, collection);
      }
    },
    get(uri) {
      return entries.get(uri.toString())?.[1];
    },
    has(uri) {
      return entries.has(uri.toString());
    },
    dispose() {
      collection.clear();
      collection.disposed = true;
    },
    [Symbol.iterator]() {
      return [...entries.values()][Symbol.iterator]();
    },
    history: [],
    disposed: false,
  };
  state.diagnosticCollections.push(collection);
  return collection;
}

function getDiagnostics(uri) {
  if (uri === undefined) {
    const all = new Map();
    for (const c of state.diagnosticCollections) {
      c.forEach((u, diags) => {
        const k = u.toString();
        all.set(k, [u, [...(all.get(k)?.[1] || []), ...diags]]);
      });
    }
    return [...all.values()];
  }
  return state.diagnosticCollections.flatMap((c) => c.get(uri) || []);
}

const languages = {
  match,
  createDiagnosticCollection,
  getDiagnostics,
  onDidChangeDiagnostics: events.diagnostics.event,
  getLanguages: () => Promise.resolve(['yaml', 'json', 'jsonc', 'python', 'java', 'drl', 'markdown', 'plaintext']),
  setTextDocumentLanguage: (doc, languageId) => {
    doc.languageId = languageId;
    return Promise.resolve(doc);
  },
  setLanguageConfiguration: () => new Disposable(() => {}),
};
for (const kind of [
  'CompletionItem', 'Hover', 'CodeActions', 'CodeLens', 'Definition', 'Declaration', 'TypeDefinition',
  'Implementation', 'Reference', 'DocumentHighlight', 'DocumentSymbol', 'WorkspaceSymbol', 'Rename',
  'DocumentFormattingEdit', 'DocumentRangeFormattingEdit', 'OnTypeFormattingEdit', 'SignatureHelp',
  'DocumentLink', 'Color', 'FoldingRange', 'SelectionRange', 'CallHierarchy', 'TypeHierarchy',
  'DocumentSemanticTokens', 'DocumentRangeSemanticTokens', 'LinkedEditingRange', 'InlayHints',
  'InlineValues', 'InlineCompletionItem', 'EvaluatableExpression', 'DocumentDropEdit', 'DocumentPasteEdit',
]) {
  languages[`register${kind}Provider`] = (selector, provider) => {
    const entry = { kind, selector, provider };
    state.providers.push(entry);
    return new Disposable(() => {
      const i = state.providers.indexOf(entry);
      if (i >= 0) {
        state.providers.splice(i, 1);
      }
    });
  };
}

// ------------------------------------------------------------------------------------------- workspace

function configuration(section) {
  const prefix = section ? `${section}.` : '';
  const read = (key) => {
    const full = prefix + key;
    if (state.config.has(full)) {
      return state.config.get(full);
    }
    const nested = {};
    let found = false;
    for (const [k, v] of state.config) {
      if (k.startsWith(full + '.')) {
        found = true;
        const parts = k.slice(full.length + 1).split('.');
        let o = nested;
        parts.slice(0, -1).forEach((p) => {
          o = o[p] = o[p] || {};
        });
        o[parts[parts.length - 1]] = v;
      }
    }
    return found ? nested : undefined;
  };
  return {
    get(key, defaultValue) {
      const v = read(key);
      return v === undefined ? defaultValue : v;
    },
    has(key) {
      return read(key) !== undefined;
    },
    inspect(key) {
      return { key: prefix + key, globalValue: read(key) };
    },
    update(key, value) {
      setConfig(prefix + key, value);
      return Promise.resolve();
    },
  };
}

function setConfig(key, value) {
  if (value === undefined) {
    state.config.delete(key);
  } else {
    state.config.set(key, value);
  }
  events.changeConfig.fire({
    affectsConfiguration: (section) => key === section || key.startsWith(section + '.') || section.startsWith(key + '.'),
  });
}

const workspace = {
  textDocuments: [],
  notebookDocuments: [],
  workspaceFolders: undefined,
  name: undefined,
  get isTrusted() {
    return state.trusted;
  },
  fs: {
    stat: async (uri) => {
      const s = fs.statSync(uri.fsPath);
      return { type: s.isDirectory() ? 2 : 1, ctime: s.ctimeMs, mtime: s.mtimeMs, size: s.size };
    },
    readFile: async (uri) => fs.readFileSync(uri.fsPath),
    readDirectory: async (uri) => fs.readdirSync(uri.fsPath, { withFileTypes: true }).map((e) => [e.name, e.isDirectory() ? 2 : 1]),
  },
  getConfiguration: configuration,
  getWorkspaceFolder: () => undefined,
  asRelativePath: (p) => (typeof p === 'string' ? p : p.fsPath),
  onDidOpenTextDocument: events.openDoc.event,
  onDidCloseTextDocument: events.closeDoc.event,
  onDidChangeTextDocument: events.changeDoc.event,
  onDidSaveTextDocument: events.saveDoc.event,
  onWillSaveTextDocument: events.willSaveDoc.event,
  onDidChangeConfiguration: events.changeConfig.event,
  onDidChangeWorkspaceFolders: events.changeFolders.event,
  onDidGrantWorkspaceTrust: events.grantTrust.event,
  onDidOpenNotebookDocument: events.never.event,
  onDidCloseNotebookDocument: events.never.event,
  onDidChangeNotebookDocument: events.never.event,
  onDidSaveNotebookDocument: events.never.event,
  onWillSaveNotebookDocument: events.never.event,
  onDidCreateFiles: events.never.event,
  onDidDeleteFiles: events.never.event,
  onDidRenameFiles: events.never.event,
  onWillCreateFiles: events.never.event,
  onWillDeleteFiles: events.never.event,
  onWillRenameFiles: events.never.event,
  createFileSystemWatcher: () => ({
    ignoreCreateEvents: false,
    ignoreChangeEvents: false,
    ignoreDeleteEvents: false,
    onDidCreate: events.never.event,
    onDidChange: events.never.event,
    onDidDelete: events.never.event,
    dispose() {},
  }),
  registerTextDocumentContentProvider: () => new Disposable(() => {}),
  openTextDocument: async (arg) => {
    if (arg && typeof arg === 'object' && !(arg instanceof Uri)) {
      const n = workspace.textDocuments.filter((d) => d.uri.scheme === 'untitled').length + 1;
      const doc = new MockTextDocument(new Uri('untitled', '', `Untitled-${n}`), arg.language || 'plaintext', arg.content || '');
      addDocument(doc);
      return doc;
    }
    const uri = typeof arg === 'string' ? Uri.file(arg) : arg;
    const existing = workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (existing) {
      return existing;
    }
    const doc = new MockTextDocument(uri, languageOf(uri.fsPath), fs.readFileSync(uri.fsPath, 'utf8'));
    addDocument(doc);
    return doc;
  },
  applyEdit: async () => true,
  saveAll: async () => true,
};

function addDocument(doc) {
  workspace.textDocuments.push(doc);
  events.openDoc.fire(doc);
}

function languageOf(file) {
  const ext = path.extname(file).toLowerCase();
  return {
    '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json', '.jsonc': 'jsonc', '.py': 'python', '.java': 'java',
    '.drl': 'drl', '.md': 'markdown', '.js': 'javascript',
  }[ext] || 'plaintext';
}

// -------------------------------------------------------------------------------------------- window

function outputChannel(name, options) {
  const lines = [];
  const log = (level) => (message, ...args) => {
    lines.push(`[${level}] ${message}${args.length ? ' ' + args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ') : ''}`);
  };
  const channel = {
    name,
    lines,
    logLevel: options && options.log ? state.logLevel : undefined,
    onDidChangeLogLevel: events.never.event,
    append: (v) => lines.push(v),
    appendLine: (v) => lines.push(v),
    replace: (v) => lines.splice(0, lines.length, v),
    clear: () => lines.splice(0, lines.length),
    show() {},
    hide() {},
    dispose() {},
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warning'),
    error: log('error'),
  };
  state.outputChannels.push(channel);
  return channel;
}

function statusBarItem(idOrAlignment, alignmentOrPriority, maybePriority) {
  const withId = typeof idOrAlignment === 'string';
  const item = {
    id: withId ? idOrAlignment : undefined,
    alignment: withId ? alignmentOrPriority : idOrAlignment,
    priority: withId ? maybePriority : alignmentOrPriority,
    text: '',
    tooltip: undefined,
    command: undefined,
    name: undefined,
    visible: false,
    history: [],
    show() {
      item.visible = true;
      item.history.push({ visible: true, text: item.text, tooltip: item.tooltip });
    },
    hide() {
      item.visible = false;
      item.history.push({ visible: false });
    },
    dispose() {
      item.visible = false;
      item.disposed = true;
    },
  };
  state.statusBarItems.push(item);
  return item;
}

function message(type) {
  return (text, ...rest) => {
    const items = rest.filter((r) => typeof r === 'string' || (r && typeof r === 'object' && 'title' in r));
    state.messages.push({ type, message: text, items });
    const answer = typeof state.messageAnswer === 'function' ? state.messageAnswer({ type, message: text, items }) : undefined;
    return Promise.resolve(answer);
  };
}

const window = {
  activeTextEditor: undefined,
  visibleTextEditors: [],
  tabGroups: {
    all: [tabGroup],
    activeTabGroup: tabGroup,
    onDidChangeTabs: events.tabs.event,
    onDidChangeTabGroups: events.tabGroups.event,
    close: async () => true,
  },
  onDidChangeActiveTextEditor: events.activeEditor.event,
  onDidChangeVisibleTextEditors: events.visibleEditors.event,
  onDidChangeTextEditorSelection: events.selection.event,
  onDidChangeActiveColorTheme: events.never.event,
  onDidChangeWindowState: events.never.event,
  state: { focused: true },
  createOutputChannel: outputChannel,
  createStatusBarItem: statusBarItem,
  showErrorMessage: message('error'),
  showWarningMessage: message('warning'),
  showInformationMessage: message('info'),
  showQuickPick: async (items) => {
    const list = await items;
    state.messages.push({ type: 'quickPick', items: list });
    return typeof state.quickPickAnswer === 'function' ? state.quickPickAnswer(list) : state.quickPickAnswer;
  },
  showInputBox: async (options) => {
    state.messages.push({ type: 'inputBox', options });
    return state.inputBoxAnswer;
  },
  withProgress: async (_options, task) => task({ report() {} }, new CancellationTokenSource().token),
  showTextDocument: async (doc) => showDocument(doc instanceof Uri ? await workspace.openTextDocument(doc) : doc),
  createWebviewPanel: (viewType, title, showOptions, options) => {
    const panel = {
      viewType,
      title,
      showOptions,
      options,
      webview: { html: '', options, cspSource: 'mock-webview:', asWebviewUri: (u) => u, onDidReceiveMessage: events.never.event, postMessage: async () => true },
      onDidDispose: events.never.event,
      onDidChangeViewState: events.never.event,
      reveal() {},
      dispose() {
        panel.disposed = true;
      },
    };
    state.webviewPanels.push(panel);
    return panel;
  },
  createTextEditorDecorationType: () => ({ key: 'decoration', dispose() {} }),
};

function showDocument(doc, selection) {
  const editor = {
    document: doc,
    selection: selection || new Selection(0, 0, 0, 0),
    selections: [selection || new Selection(0, 0, 0, 0)],
    visibleRanges: [new Range(0, 0, Math.max(0, doc.lineCount - 1), 0)],
    options: {},
    viewColumn: 1,
    edit: async () => true,
    setDecorations() {},
    revealRange() {},
  };
  const opened = [];
  if (!tabGroup.tabs.some((t) => t.input.uri.toString() === doc.uri.toString())) {
    const tab = { label: path.basename(doc.uri.path), group: tabGroup, input: new TabInputText(doc.uri), isActive: true, isDirty: false, isPinned: false, isPreview: false };
    tabGroup.tabs.forEach((t) => {
      t.isActive = false;
    });
    tabGroup.tabs.push(tab);
    tabGroup.activeTab = tab;
    opened.push(tab);
  }
  window.visibleTextEditors = [...window.visibleTextEditors.filter((e) => e.document !== doc), editor];
  window.activeTextEditor = editor;
  if (opened.length > 0) {
    events.tabs.fire({ opened, closed: [], changed: [] });
  }
  events.visibleEditors.fire(window.visibleTextEditors);
  events.activeEditor.fire(editor);
  return editor;
}

// ------------------------------------------------------------------------------------------- commands

const commands = {
  registerCommand(id, callback, thisArg) {
    if (state.commands.has(id)) {
      throw new Error(`mock vscode: command '${id}' already exists`);
    }
    state.commands.set(id, callback.bind(thisArg));
    return new Disposable(() => state.commands.delete(id));
  },
  registerTextEditorCommand(id, callback) {
    return commands.registerCommand(id, (...args) => callback(window.activeTextEditor, {}, ...args));
  },
  async executeCommand(id, ...args) {
    const cb = state.commands.get(id);
    if (cb) {
      return cb(...args);
    }
    state.executed.push({ command: id, args });
    return undefined;
  },
  getCommands: async () => [...state.commands.keys()],
};

// ------------------------------------------------------------------------------------------------ env

const env = {
  appName: 'Visual Studio Code (mock)',
  appRoot: '/nonexistent',
  language: 'en',
  machineId: 'mock-machine',
  sessionId: 'mock-session',
  uriScheme: 'vscode',
  uiKind: 1,
  shell: '/bin/sh',
  clipboard: { readText: async () => '', writeText: async () => {} },
  openExternal: async (uri) => {
    state.openedExternal.push(uri.toString());
    return true;
  },
  asExternalUri: async (uri) => uri,
};

// ---------------------------------------------------------------------------------------- test helpers

const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 };
state.logLevel = LogLevel.Info;

const __mock = {
  state,
  /** Opens a file as VS Code does: the document (onDidOpenTextDocument), then its tab and editor. */
  async openDocument(file, languageId, { show = true, text } = {}) {
    const uri = Uri.file(path.resolve(file));
    let doc = workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc) {
      doc = new MockTextDocument(uri, languageId || languageOf(file), text ?? fs.readFileSync(file, 'utf8'));
      addDocument(doc);
    }
    if (show) {
      showDocument(doc);
    }
    return doc;
  },
  /** Moves the cursor of the active editor. */
  setCursor(line, character) {
    const editor = window.activeTextEditor;
    editor.selection = new Selection(line, character, line, character);
    editor.selections = [editor.selection];
    events.selection.fire({ textEditor: editor, selections: editor.selections });
  },
  setConfig,
  setTrusted(trusted) {
    const was = state.trusted;
    state.trusted = trusted;
    if (trusted && !was) {
      events.grantTrust.fire(undefined);
    }
  },
  setLogLevel(level) {
    state.logLevel = level;
  },
  commands: () => [...state.commands.keys()],
  /** Every diagnostic the extension's collections hold for a uri. */
  diagnostics: (uri) => getDiagnostics(uri),
};

// -------------------------------------------------------------------------------------------- exports

module.exports = {
  version: '1.91.0',
  __mock,
  Disposable,
  EventEmitter,
  CancellationError,
  CancellationTokenSource,
  Uri,
  Position,
  Range,
  Selection,
  Location,
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  DiagnosticRelatedInformation,
  MarkdownString,
  Hover,
  TextEdit,
  SnippetString,
  SnippetTextEdit,
  WorkspaceEdit,
  CodeActionKind,
  CodeAction,
  CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
  CodeLens,
  CompletionItem,
  CompletionList,
  CompletionItemKind: new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? 0 : undefined) }),
  CompletionItemTag: { Deprecated: 1 },
  CompletionTriggerKind: { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 },
  InsertTextFormat: { PlainText: 1, Snippet: 2 },
  SymbolInformation,
  DocumentSymbol,
  SymbolKind: new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? 0 : undefined) }),
  SymbolTag: { Deprecated: 1 },
  DocumentHighlight: plainClass('range', 'kind'),
  DocumentHighlightKind: { Text: 0, Read: 1, Write: 2 },
  DocumentLink: plainClass('range', 'target'),
  Color: plainClass('red', 'green', 'blue', 'alpha'),
  ColorInformation: plainClass('range', 'color'),
  ColorPresentation: plainClass('label'),
  FoldingRange: plainClass('start', 'end', 'kind'),
  FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
  SelectionRange: plainClass('range', 'parent'),
  SignatureHelp: plainClass(),
  SignatureInformation: plainClass('label', 'documentation'),
  ParameterInformation: plainClass('label', 'documentation'),
  SignatureHelpTriggerKind: { Invoke: 1, TriggerCharacter: 2, ContentChange: 3 },
  InlayHint: plainClass('position', 'label', 'kind'),
  InlayHintKind: { Type: 1, Parameter: 2 },
  InlayHintLabelPart: plainClass('value'),
  InlineValueText: plainClass('range', 'text'),
  InlineValueVariableLookup: plainClass('range', 'variableName', 'caseSensitiveLookup'),
  InlineValueEvaluatableExpression: plainClass('range', 'expression'),
  InlineCompletionItem: plainClass('insertText', 'range', 'command'),
  InlineCompletionList: plainClass('items'),
  InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
  CallHierarchyItem: plainClass('kind', 'name', 'detail', 'uri', 'range', 'selectionRange'),
  CallHierarchyIncomingCall: plainClass('from', 'fromRanges'),
  CallHierarchyOutgoingCall: plainClass('to', 'fromRanges'),
  TypeHierarchyItem: plainClass('kind', 'name', 'detail', 'uri', 'range', 'selectionRange'),
  LinkedEditingRanges: plainClass('ranges', 'wordPattern'),
  SemanticTokens: plainClass('data', 'resultId'),
  SemanticTokensEdits: plainClass('edits', 'resultId'),
  SemanticTokensEdit: plainClass('start', 'deleteCount', 'data'),
  SemanticTokensLegend: plainClass('tokenTypes', 'tokenModifiers'),
  RelativePattern,
  TabInputText,
  TabInputTextDiff,
  TabInputCustom,
  TabInputNotebook,
  TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
  TextDocumentChangeReason: { Undo: 1, Redo: 2 },
  EndOfLine: EOL,
  FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
  NotebookCellKind: { Markup: 1, Code: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
  UIKind: { Desktop: 1, Web: 2 },
  LogLevel,
  languages,
  workspace,
  window,
  commands,
  env,
  extensions: { getExtension: () => undefined, all: [], onDidChange: events.never.event },
};
