// The Deployment Wizard webview panel: one panel at a time, a strict Content Security Policy, a `ready`
// handshake, and every incoming message validated (src/shared/protocol/, then the page state machine) before it
// is applied. The panel performs the machine's effects: it runs operations through WizardServices (the only way
// it touches the deployment), reads certificate files, and holds an import's bytes and password only between the
// Import Certificate page and the summary's Next.
import { webviewHtml } from '../webviewHtml';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { ExpectedError, failure, renderPowerShell, renderRequestPowerShell, type OperationOutcome, type OperationRequest } from '../../core';
import { WIZARD_VIEW_TYPE } from '../../shared/commands';
import { parseToHost, type PageView, type ToWebview } from '../../shared/protocol';
import { initialUi, reduce, reopened, settle, view } from './machine';
import { REPLICATE_ALL, assignExecuted, executed, importExecuted } from './pages/executing';
import { requestOf, requestStatus } from './pages/request';
import { makeRequest, processPending } from '../requestRunner';
import { browsed, importFileRead, importRefused } from './pages/importFile';
import { importRequest } from './pages/importSummary';
import { IMPORT_FILE_DROPPED, type Effect, type FileRead, type PendingImport, type WizardContext, type WizardUi } from './state';
import type { WizardServices } from './services';

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class WizardPanel {
  /** The one open wizard, if any. */
  static current: WizardPanel | undefined;

  /** The last page sent (or about to be sent) to the webview. */
  lastRender: PageView | undefined;
  /** The first view, sent with the HTML (a new panel; undefined for a revived one). */
  sentWithHtml: PageView | undefined;
  /** When the webview last said `ready` (performance.now()), and how many views were posted to it: for the tests and the host bench. */
  readyAt: number | undefined;
  posted = 0;

  private ui: WizardUi;
  /** The webview's script has said `ready` since it was last (re)loaded. */
  private webviewReady = false;
  /** The page sent with the HTML, until the webview says `ready` (src/shared/protocol/firstView.ts). */
  private embedded: PageView | undefined;
  /** An effect is running; messages arriving meanwhile are refused. */
  private busy = false;
  /** The file accepted on the Import Certificate page, kept for the summary's Next only. */
  private pendingImport: PendingImport | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens the wizard, or reveals the open one (switching it to `serverFqdn` when that is another server). */
  static createOrShow(extensionUri: vscode.Uri, services: WizardServices, serverFqdn?: string): WizardPanel {
    const open = WizardPanel.current;
    if (open) {
      open.panel.reveal();
      if (serverFqdn !== undefined) open.switchServer(serverFqdn);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(WIZARD_VIEW_TYPE, 'Deployment Wizard', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return new WizardPanel(panel, extensionUri, services, serverFqdn, true);
  }

  /** A panel VS Code restores after a reload; its page comes back with the webview's `ready`. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WizardServices): WizardPanel {
    const open = WizardPanel.current;
    if (open) {
      panel.dispose();
      return open;
    }
    return new WizardPanel(panel, extensionUri, services);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly services: WizardServices,
    serverFqdn?: string,
    /** A new panel: its first page goes with the HTML. A revived one waits for `ready` (its page comes back with it). */
    sendFirstPage = false,
  ) {
    WizardPanel.current = this;
    this.ui = initialUi(this.context(), serverFqdn);
    // Set again for a revived panel, so the resource roots are this version's.
    panel.webview.options = webviewOptions(extensionUri);
    this.render();
    this.embedded = this.sentWithHtml = sendFirstPage ? this.lastRender : undefined;
    panel.webview.html = this.html(this.embedded);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState((e) => {
        // A hidden webview is unloaded; it says `ready` again when shown.
        if (!e.webviewPanel.visible) this.webviewReady = false;
      }),
      panel.onDidDispose(() => this.disposed()),
      { dispose: services.onDidChange(() => this.render()) },
    );
  }

  /**
   * Handles one message from the webview (tests call it directly: it is the same path). Invalid or inapplicable
   * messages are logged through `services.logRejected` and never applied. Resolves once the page is re-rendered.
   */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseToHost(raw);
    if (!parsed.ok) {
      this.services.logRejected(parsed.reason);
      return;
    }
    const msg = parsed.msg;
    const embedded = this.embedded;
    if (msg.type === 'ready') {
      this.webviewReady = true;
      this.readyAt = performance.now();
      this.embedded = undefined;
    } else if (this.busy) {
      this.services.logRejected(`"${msg.type}" arrived while the wizard was still running a command`);
      return;
    }
    const transition = reduce(this.ui, msg, this.context());
    if (!transition.ok) {
      this.services.logRejected(transition.reason);
      // The webview may show a selection the host refused: send the page as it is.
      this.render();
      return;
    }
    // A new webview has drawn the page sent with its HTML: nothing to send while that is still the current one.
    if (msg.type === 'ready' && embedded && transition.ui === this.ui && this.lastRender === embedded) return;
    this.ui = transition.ui;
    if (transition.effect?.kind === 'dispose') {
      this.panel.dispose();
      return;
    }
    if (transition.effect) await this.perform(transition.effect);
    this.render();
  }

  dispose(): void {
    this.panel.dispose();
  }

  private switchServer(serverFqdn: string): void {
    this.ui = reopened(this.ui, this.context(), serverFqdn);
    this.render();
  }

  private context(): WizardContext {
    const testCa = this.services.testCertificationAuthority();
    return { state: this.services.state, findings: this.services.findings(), now: this.services.now(), expiryWarningDays: this.services.expiryWarningDays(), ...(testCa ? { testCa } : {}) };
  }

  private async perform(effect: Exclude<Effect, { kind: 'dispose' }>): Promise<void> {
    if (effect.kind === 'show-log') {
      this.services.showLog();
      return;
    }
    this.busy = true;
    try {
      switch (effect.kind) {
        case 'browse': {
          const picked = await this.services.pickCertificateFile().catch((e: Error) => {
            this.ui = importRefused(this.ui, e.message);
            return undefined;
          });
          if (picked) this.ui = browsed(this.ui, picked.path);
          break;
        }
        case 'read-import': {
          const file: FileRead = await this.services.readCertificateFile(effect.path).then(
            (bytes): FileRead => ({ ok: true, bytes }),
            (e: Error): FileRead => ({ ok: false, message: e.message }),
          );
          const read = importFileRead(this.ui, effect, file);
          this.ui = read.ui;
          this.pendingImport = read.pending;
          break;
        }
        case 'run-assign': {
          const set = await this.run(effect.request);
          const replication = set.ok && effect.replicate ? await this.run(REPLICATE_ALL) : undefined;
          this.ui = assignExecuted(this.ui, this.context(), effect.request, set, replication);
          break;
        }
        case 'run-remove': {
          this.ui = executed(this.ui, 'remove-executing', await this.run(effect.request), renderPowerShell(effect.request));
          break;
        }
        case 'run-request': {
          const base = requestOf(effect.computer, effect.uses, effect.draft);
          const outcome = await this.guard(() => makeRequest(this.services, this.services.serverFiles(), base));
          this.ui = executed(this.ui, 'request-executing', outcome, renderRequestPowerShell(base), requestStatus(base, outcome));
          break;
        }
        case 'run-pending': {
          const outcome = await this.guard(async () => {
            const bytes = await this.services.readCertificateFile(effect.path);
            return processPending(this.services, this.services.serverFiles(), effect.computer, effect.requestFile, { path: effect.path, bytes });
          });
          this.ui = executed(this.ui, 'pending-executing', outcome, renderPowerShell({ cmdlet: 'Import-CsCertificate', path: this.services.serverPath(effect.path) }));
          break;
        }
        case 'run-import': {
          // The summary page exists only while the panel holds the file read for it (importFileRead).
          const pending = this.pendingImport;
          this.pendingImport = undefined;
          this.ui = importExecuted(this.ui, pending ? await this.run(importRequest(effect, pending, (p) => this.services.serverPath(p))) : IMPORT_FILE_DROPPED);
          break;
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Runs an operation; a fault of the store (e.g. the file cannot be written) is shown as the command's failure. */
  private async run(request: OperationRequest): Promise<OperationOutcome<unknown>> {
    return this.guard(() => this.services.run(request));
  }

  private async guard(work: () => Promise<OperationOutcome<unknown>>): Promise<OperationOutcome<unknown>> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof ExpectedError) return { ok: false, error: e.error };
      return failure('internal-error', `The command could not complete: ${(e as Error).message}`, 'Show the log for details, then try again.');
    }
  }

  private render(): void {
    const ctx = this.context();
    this.ui = settle(this.ui, ctx);
    // The file and password read for an import are kept only while its summary is shown.
    if (this.ui.page !== 'import-summary') this.pendingImport = undefined;
    const page = view(this.ui, ctx);
    this.lastRender = page;
    this.panel.title = page.serverFqdn ? `${page.window} — ${page.serverFqdn}` : page.window;
    if (this.webviewReady) {
      this.posted++;
      void this.panel.webview.postMessage({ type: 'render', view: page } satisfies ToWebview);
    }
  }

  private html(firstView: PageView | undefined): string {
    return webviewHtml(this.panel.webview, this.extensionUri, { script: 'wizard.js', style: 'wizard.css', title: 'Deployment Wizard', firstView });
  }

  private disposed(): void {
    if (WizardPanel.current === this) WizardPanel.current = undefined;
    this.pendingImport = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
