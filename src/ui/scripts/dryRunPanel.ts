// Dry Run Script Against Deployment: the CodeLens at the top of every .ps1 / .psm1 (./register.ts) and the palette /
// editor title command run the whole script through the Management Shell's interpreter on a copy of the model
// (src/powershell/dryRun.ts) and shows the result in a webview (the one HTML shell, the one protocol): the output
// as the shell would print it and what would change. Apply takes the resulting state as ONE undo step through the
// live deployment (saved as any change); Cancel closes the view and changes nothing. Apply is unavailable after an
// error or an early stop, and refuses when the deployment changed since the run (then it offers to run it again).
// Prompts the script raises (Read-Host, a confirmation) are asked with VS Code input boxes; cancelling one stops
// the dry run there, which the view says.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { refuse, type Deployment } from '../../core';
import { dryRunScript, type DryRunResult } from '../../powershell';
import { DRY_RUN_VIEW_TYPE } from '../../shared/commands';
import { parseDryRunToHost, type DryRunToWebview, type DryRunView } from '../../shared/protocol';
import type { LiveDeployment } from '../live';
import { prompts } from '../prompter';
import { serverDriveIfAny } from '../serverFiles';
import { webviewHtml } from '../webviewHtml';
import { dryRunView, type DryRunFate } from './dryRunView';
import { isScript } from './register';


/** Runs the dry run of `doc` on the live deployment's current state. */
async function runOn(live: LiveDeployment, doc: vscode.TextDocument): Promise<{ result: DryRunResult; ranAt: Date }> {
  await live.ready;
  const state = live.state;
  if (!state) refuse('no-deployment', 'No deployment is loaded.', 'Open the sample deployment, create a deployment file or import a topology first.');
  const name = path.basename(doc.fileName);
  const ranAt = live.now(state);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Dry run of ${name}…` }, () => dryRunScript(doc.getText(), state, {
    now: () => live.now(state),
    expiryWarningDays: () => live.expiryWarningDays(),
    files: serverDriveIfAny(live.workspaceFolder),
    readHost: (prompt, o) => prompts.current.input({ title: `Dry run of ${name}: the script asks`, prompt: prompt.trim() || 'Read-Host', password: o.secure, ignoreFocusOut: true }),
  }));
  return { result, ranAt };
}

/** The command: the document named by `target` (a URI from the CodeLens or the editor title), else the active editor's. */
export async function dryRunCommand(live: LiveDeployment, extensionUri: vscode.Uri, target: unknown): Promise<DryRunPanel> {
  const doc = target instanceof vscode.Uri ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
  if (!doc || !isScript(doc)) refuse('no-script', 'No PowerShell script to dry-run.', 'Open a .ps1 or .psm1 file, then run Dry Run Script Against Deployment (or click the CodeLens at its top).', { source: 'extension-rule' });
  const run = await runOn(live, doc);
  return DryRunPanel.show(extensionUri, live, doc, run.result, run.ranAt);
}

export class DryRunPanel {
  static current: DryRunPanel | undefined;

  /** The last view sent (or about to be sent) to the webview. */
  lastRender: DryRunView | undefined;
  private fate: DryRunFate = 'open';
  private busy = false;
  private readonly disposables: vscode.Disposable[] = [];

  static show(extensionUri: vscode.Uri, live: LiveDeployment, doc: vscode.TextDocument, result: DryRunResult, ranAt: Date): DryRunPanel {
    DryRunPanel.current?.dispose();
    const panel = vscode.window.createWebviewPanel(DRY_RUN_VIEW_TYPE, `Dry Run: ${path.basename(doc.fileName)}`, vscode.ViewColumn.Beside, {
      enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')], retainContextWhenHidden: true,
    });
    return new DryRunPanel(panel, extensionUri, live, doc, result, ranAt);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, extension: vscode.Uri, private readonly live: LiveDeployment, private readonly doc: vscode.TextDocument, private result: DryRunResult, private ranAt: Date) {
    DryRunPanel.current = this;
    panel.webview.html = webviewHtml(panel.webview, extension, { script: 'dryrun.js', style: 'dryrun.css', title: 'Dry Run' });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.disposed()),
      { dispose: live.onDidChange(() => this.deploymentChanged()) },
    );
    this.render();
  }

  /** The state the dry run started from. */
  get before(): Deployment {
    return this.result.before;
  }

  /** Handles one message from the webview (tests call it directly: the same path). */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseDryRunToHost(raw);
    if (!parsed.ok) {
      this.live.logRejected(`dry run: ${parsed.reason}`);
      return;
    }
    const msg = parsed.msg;
    if (msg.type === 'ready') return this.render();
    if (msg.type === 'cancel') return this.dispose();
    if (this.busy) return;
    this.busy = true;
    try {
      if (msg.type === 'apply') await this.apply();
      else await this.rerun();
    } finally {
      this.busy = false;
    }
    this.render();
  }

  /** Apply: the dry run's end state as one undo step, only on the state it started from. */
  private async apply(): Promise<void> {
    if (this.fate !== 'open' || !this.lastRender?.canApply) return;
    if (this.live.state !== this.result.before) {
      this.fate = 'stale';
      void vscode.window.showWarningMessage('The deployment changed since the dry run, so nothing was applied. Run the dry run again on the deployment as it is now.', 'Re-run').then((c) => c && this.receive({ type: 'rerun' }));
      return;
    }
    const summary = `Dry run of ${path.basename(this.doc.fileName)} applied: ${this.result.diff.history.join(' ') || 'its changes'}`;
    try {
      await this.live.adopt(this.result.after, summary);
      this.fate = 'applied';
    } catch (e) {
      // A save that failed is reported by the live deployment; anything else is shown here.
      void vscode.window.showErrorMessage(`The dry run was not applied: ${(e as Error).message}`);
      if (this.live.state !== this.result.before) this.fate = this.live.state === this.result.after ? 'applied' : 'stale';
    }
  }

  private async rerun(): Promise<void> {
    const run = await runOn(this.live, this.doc);
    this.result = run.result;
    this.ranAt = run.ranAt;
    this.fate = 'open';
  }

  private deploymentChanged(): void {
    if (this.fate === 'open' && !this.busy && this.live.state !== this.result.before) {
      this.fate = 'stale';
      this.render();
    }
  }

  private render(): void {
    this.lastRender = dryRunView(this.result, path.basename(this.doc.fileName), this.ranAt, this.fate);
    const message: DryRunToWebview = { type: 'render', view: this.lastRender };
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private disposed(): void {
    if (DryRunPanel.current === this) DryRunPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
