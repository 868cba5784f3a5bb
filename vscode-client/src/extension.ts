/**
 * The CarbonLens VS Code extension: starts the bundled CarbonLens language server (Java 17+) when the
 * user opens a training or serving config or script, a team rule file or a project config, and adds a
 * footprint status bar item, an HTML report view and rule explanations on top of the server's
 * diagnostics, hovers, quick fixes, code lenses and completion.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancellationTokenSource } from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { isCarbonLensDocument } from './contentPatterns';
import { formatFigure } from './format';
import { findJava } from './javaLookup';
import { type ServerSettings, toServerSettings } from './settings';

export const LANGUAGES = ['yaml', 'json', 'jsonc', 'python', 'java', 'drl'] as const;
const ADOPTIUM = 'https://adoptium.net/';
const SUMMARY_TIMEOUT_MS = 15_000;

/** What the server's `carbonlens.summary` answers for an open document. */
export interface Summary {
  uri: string;
  version: number;
  runs: number;
  findings: number;
  footprintKgCO2e: number | null;
  operationalKgCO2e: number | null;
  embodiedKgCO2e: number | null;
  savingsKgCO2e: number | null;
}

/** What activate() returns: for other extensions and for tests. */
export interface CarbonLensApi {
  /** The running client, or undefined while no CarbonLens document was opened. */
  readonly client: LanguageClient | undefined;
  /** idle: no CarbonLens document opened yet (no server); starting; running. */
  readonly serverState: 'idle' | 'starting' | 'running';
  /** Resolves when the server is started (after the first CarbonLens document), with its client. */
  whenStarted(): Promise<LanguageClient | undefined>;
  /** The settings as the server receives them. */
  serverSettings(): ServerSettings;
  /** The footprint summary of an open document, or null. */
  summary(uri: vscode.Uri): Promise<Summary | null>;
  /** Refreshes the status bar for the active editor; resolves when it shows the new state. */
  refreshStatus(): Promise<void>;
}

export function documentSelector(): NonNullable<LanguageClientOptions['documentSelector']> {
  return [
    ...LANGUAGES.map((language) => ({ language })),
    { pattern: '**/*.drl' },
  ];
}

/** Whether the document is one the extension hands to the server at all (language or `.drl`). */
function inSelector(doc: vscode.TextDocument): boolean {
  return (LANGUAGES as readonly string[]).includes(doc.languageId) || /\.drl$/i.test(doc.uri.path);
}

function isAnalysable(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') {
    return false;
  }
  return inSelector(doc) && isCarbonLensDocument(doc.uri.path, doc.languageId, doc.getText());
}

class CarbonLens implements CarbonLensApi {
  private languageClient: LanguageClient | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private startedWaiters: Array<(c: LanguageClient | undefined) => void> = [];
  private javaProblemShown = false;
  private readonly output: vscode.LogOutputChannel;
  private readonly status: vscode.StatusBarItem;
  private statusSeq = 0;
  private disposed = false;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('CarbonLens', { log: true });
    this.status = vscode.window.createStatusBarItem('carbonlens.footprint', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'CarbonLens footprint';
    this.status.command = 'carbonlens.showReport';
    context.subscriptions.push(this.output, this.status);
  }

  get client(): LanguageClient | undefined {
    return this.languageClient;
  }

  get serverState(): 'idle' | 'starting' | 'running' {
    return this.languageClient !== undefined ? 'running' : this.starting !== undefined ? 'starting' : 'idle';
  }

  /** Cheap: listeners and commands only. The server starts with the first CarbonLens document. */
  activate(): void {
    const subs = this.context.subscriptions;
    subs.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.consider(doc)),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refreshStatus()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active !== undefined && e.uris.some((u) => u.toString() === active)) {
          void this.refreshStatus();
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('carbonlens.java.home')) {
          this.javaProblemShown = false;
          if (this.languageClient !== undefined) {
            void this.restart();
          } else {
            this.considerOpenDocuments();
          }
        } else if (e.affectsConfiguration('carbonlens')) {
          void this.sendSettings();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.sendSettings()),
      vscode.commands.registerCommand('carbonlens.showReport', () => this.showReport()),
      vscode.commands.registerCommand('carbonlens.explainRule', (id?: string) => this.explainRule(id)),
      vscode.commands.registerCommand('carbonlens.restartServer', () => this.restart()),
    );
    this.considerOpenDocuments();
  }

  private considerOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (this.consider(doc)) {
        break;
      }
    }
  }

  /** Starts the server when the document is one CarbonLens analyses; true when it is. */
  private consider(doc: vscode.TextDocument): boolean {
    if (this.languageClient !== undefined || this.starting !== undefined || this.disposed) {
      return this.languageClient !== undefined;
    }
    if (!isAnalysable(doc)) {
      return false;
    }
    void this.start();
    return true;
  }

  serverSettings(): ServerSettings {
    const config = vscode.workspace.getConfiguration('carbonlens');
    return toServerSettings((key) => config.get(key), vscode.workspace.isTrusted);
  }

  whenStarted(): Promise<LanguageClient | undefined> {
    if (this.languageClient !== undefined) {
      return Promise.resolve(this.languageClient);
    }
    if (this.starting !== undefined) {
      return this.starting;
    }
    return new Promise((resolve) => this.startedWaiters.push(resolve));
  }

  private start(): Promise<LanguageClient | undefined> {
    if (this.starting === undefined) {
      this.starting = this.doStart().finally(() => {
        this.starting = undefined;
      });
      void this.starting.then((c) => {
        const waiters = this.startedWaiters;
        this.startedWaiters = [];
        waiters.forEach((w) => w(c));
      });
    }
    return this.starting;
  }

  private async doStart(): Promise<LanguageClient | undefined> {
    const javaHome = vscode.workspace.getConfiguration('carbonlens').get<string>('java.home');
    const java = await findJava({ javaHome });
    if (!java.ok) {
      this.output.appendLine(java.message);
      if (!this.javaProblemShown) {
        this.javaProblemShown = true;
        void vscode.window.showErrorMessage(java.message, 'Get Java 17').then((choice) => {
          if (choice === 'Get Java 17') {
            void vscode.env.openExternal(vscode.Uri.parse(ADOPTIUM));
          }
        });
      }
      return undefined;
    }
    this.output.appendLine(`Java ${java.version} from ${java.source}: ${java.java}`);
    const jar = path.join(this.context.extensionPath, 'server', 'carbonlens.jar');
    const serverOptions: ServerOptions = {
      command: java.java,
      // JVM messages to stderr: stdout carries JSON-RPC only.
      args: ['-XX:+UseSerialGC', '-Xlog:disable', '-Xlog:all=warning:stderr', '-jar', jar, 'lsp'],
      // stdio without `transport`: TransportKind.stdio would append `--stdio`, which `carbonlens lsp` rejects.
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(),
      initializationOptions: this.serverSettings(),
      outputChannel: this.output,
      diagnosticCollectionName: 'carbonlens',
    };
    const client = new LanguageClient('carbonlens', 'CarbonLens', serverOptions, clientOptions);
    try {
      await client.start();
    } catch (e) {
      this.output.appendLine(`CarbonLens server failed to start: ${e instanceof Error ? e.message : String(e)}`);
      void vscode.window.showErrorMessage(`CarbonLens server failed to start: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (this.disposed) {
      await client.stop().catch(() => undefined);
      return undefined;
    }
    this.languageClient = client;
    void this.refreshStatus();
    return client;
  }

  private async sendSettings(): Promise<void> {
    const client = this.languageClient;
    if (client === undefined || client.state !== State.Running) {
      return;
    }
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { carbonlens: this.serverSettings() },
    });
  }

  async restart(): Promise<void> {
    const old = this.languageClient;
    this.languageClient = undefined;
    this.status.hide();
    if (old !== undefined) {
      await old.stop().catch(() => undefined);
      await old.dispose().catch(() => undefined);
    }
    await this.start();
  }

  async summary(uri: vscode.Uri): Promise<Summary | null> {
    const client = this.languageClient;
    if (client === undefined || client.state !== State.Running) {
      return null;
    }
    try {
      // Guarded: the status bar must never wait on an answer that does not come.
      const source = new CancellationTokenSource();
      const timer = setTimeout(() => source.cancel(), SUMMARY_TIMEOUT_MS);
      try {
        const result = await client.sendRequest(ExecuteCommandRequest.type, {
          command: 'carbonlens.summary',
          arguments: [client.code2ProtocolConverter.asUri(uri)],
        }, source.token);
        return (result ?? null) as Summary | null;
      } finally {
        clearTimeout(timer);
        source.dispose();
      }
    } catch {
      return null;
    }
  }

  async refreshStatus(): Promise<void> {
    const seq = ++this.statusSeq;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc === undefined || this.languageClient === undefined || !inSelector(doc)) {
      this.status.hide();
      return;
    }
    const summary = await this.summary(doc.uri);
    if (seq !== this.statusSeq) {
      return; // a newer refresh is under way
    }
    if (summary === null || summary.runs === 0 || summary.footprintKgCO2e === null) {
      this.status.hide();
      return;
    }
    const { text, tooltip } = statusText(summary);
    this.status.text = text;
    this.status.tooltip = tooltip;
    this.status.show();
  }

  private async showReport(): Promise<void> {
    const client = this.languageClient ?? (await this.start());
    if (client === undefined) {
      void vscode.window.showWarningMessage('CarbonLens: open a training or serving config first.');
      return;
    }
    const active = vscode.window.activeTextEditor?.document;
    const uris: string[] = [];
    if (active !== undefined && (await this.summary(active.uri)) !== null) {
      uris.push(client.code2ProtocolConverter.asUri(active.uri));
    }
    let html: string;
    try {
      const result = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: 'carbonlens.report',
        arguments: uris,
      })) as { html?: string } | null;
      html = result?.html ?? '';
    } catch (e) {
      void vscode.window.showErrorMessage(`CarbonLens report failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const title = uris.length === 1 && active !== undefined
      ? `CarbonLens: ${path.basename(active.uri.path)}`
      : 'CarbonLens report';
    const panel = vscode.window.createWebviewPanel('carbonlens.report', title, vscode.ViewColumn.Beside, {
      enableScripts: false,
      enableForms: false,
      localResourceRoots: [],
    });
    panel.webview.html = html;
  }

  private async explainRule(given?: string): Promise<void> {
    const client = this.languageClient ?? (await this.start());
    if (client === undefined) {
      return;
    }
    let id = typeof given === 'string' && given.trim() !== '' ? given.trim() : undefined;
    const editor = vscode.window.activeTextEditor;
    if (id === undefined && editor !== undefined) {
      const ours = vscode.languages
        .getDiagnostics(editor.document.uri)
        .filter((d) => d.source === 'carbonlens');
      const here = ours.find((d) => d.range.contains(editor.selection.active));
      if (here !== undefined) {
        id = ruleId(here);
      } else {
        const ids = [...new Set(ours.map(ruleId).filter((x): x is string => x !== undefined))].sort();
        if (ids.length > 0) {
          id = await vscode.window.showQuickPick(ids, { placeHolder: 'CarbonLens rule to explain' });
          if (id === undefined) {
            return;
          }
        }
      }
    }
    if (id === undefined) {
      id = await vscode.window.showInputBox({ prompt: 'CarbonLens rule id', placeHolder: 'CL-HW-001' });
      if (id === undefined || id.trim() === '') {
        return;
      }
    }
    try {
      const result = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: 'carbonlens.explain',
        arguments: [id.trim()],
      })) as { id: string; markdown: string };
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    } catch (e) {
      void vscode.window.showErrorMessage(`CarbonLens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const client = this.languageClient ?? (await this.starting);
    this.languageClient = undefined;
    this.status.hide();
    if (client !== undefined) {
      await client.stop().catch(() => undefined);
    }
  }
}

/** The rule id of a CarbonLens diagnostic (its code). */
function ruleId(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/** The status bar text and tooltip for a document's summary. */
export function statusText(s: Summary): { text: string; tooltip: string } {
  const footprint = formatFigure(s.footprintKgCO2e ?? 0);
  const saves = s.savingsKgCO2e !== null && s.savingsKgCO2e > 0 ? ` · saves ${formatFigure(s.savingsKgCO2e)}` : '';
  const runs = `${s.runs} run${s.runs === 1 ? '' : 's'}`;
  const findings = `${s.findings} finding${s.findings === 1 ? '' : 's'}`;
  const lines = [
    `CarbonLens: ${runs}, ${findings}`,
    `≈ ${footprint} kgCO2e: operational ${formatFigure(s.operationalKgCO2e ?? 0)} + embodied ${formatFigure(s.embodiedKgCO2e ?? 0)}`,
  ];
  if (saves !== '') {
    lines.push(`Fixing every finding saves ≈ ${formatFigure(s.savingsKgCO2e ?? 0)} kgCO2e`);
  }
  lines.push('Click for the report');
  return { text: `$(flame) ≈ ${footprint} kgCO2e${saves}`, tooltip: lines.join('\n') };
}

let instance: CarbonLens | undefined;

export function activate(context: vscode.ExtensionContext): CarbonLensApi {
  instance = new CarbonLens(context);
  instance.activate();
  return instance;
}

export async function deactivate(): Promise<void> {
  const current = instance;
  instance = undefined;
  await current?.dispose();
}
