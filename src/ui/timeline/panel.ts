// The certificate timeline webview panel (issue #17): one panel at a time, the wizard's strict Content Security
// Policy (nonce'd script, no inline style or script), a `ready` handshake with the state the webview saved, and
// every incoming message validated (src/shared/protocol/) before it is acted on. A date click moves the model's
// simulated clock through the same operation as "Set Simulated Date…"; Apply runs the renewal plan's one
// Set-CsCertificate (one undo step). The panel changes the deployment only through `services.run`.
import { webviewHtml } from '../webviewHtml';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { TimelineCache, formatError, formatUsDateTime, type Deployment, type Finding, type OperationName, type OperationRequest, type OutcomeOf } from '../../core';
import { TIMELINE_VIEW_TYPE, type CommandId } from '../../shared/commands';
import { parseTimelineToHost, type TimelineSavedState, type TimelineToHost, type TimelineToWebview, type TimelineView } from '../../shared/protocol';
import { prompts } from '../prompter';
import { barCertificate, proposalFor, timelineView, timelineViewSteps, toggled, type TimelineInputs, type TimelineUi } from './view';

/** What the timeline needs from the live deployment (LiveDeployment provides it; tests may provide another). */
export interface TimelineServices {
  readonly state: Deployment | undefined;
  now(): Date;
  findings(): Finding[];
  expiryWarningDays(): number;
  run<N extends OperationName>(request: OperationRequest<N>): Promise<OutcomeOf<N>>;
  onDidChange(listener: () => void): () => void;
  logRejected(reason: string): void;
}

const EXPORT_RENEWAL_PLAN_COMMAND: CommandId = 'sfbCertificates.exportRenewalPlan';
/**
 * The rows the view sent with the HTML holds at most: more than a screen shows (24 px each). On a large deployment
 * the rest is built after it, in steps between the host's other work, and sent when the webview is ready.
 */
const FIRST_VIEW_ROWS = 100;

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

function simulatedClockAllowed(): boolean {
  return vscode.workspace.getConfiguration('sfbCertificates').get<boolean>('simulatedClock', true);
}

export class TimelinePanel {
  static current: TimelinePanel | undefined;

  /** The last view sent (or about to be sent) to the webview. */
  lastRender: TimelineView | undefined;
  /** The first view, sent with the HTML (a new panel; undefined for a revived one). */
  sentWithHtml: TimelineView | undefined;
  /** When the webview last said `ready` (performance.now()), and how many views were posted to it: for the tests and the host bench. */
  readyAt: number | undefined;
  posted = 0;
  /** Resolves when the last export was written (tests wait for it). */
  lastExport: Promise<string | undefined> = Promise.resolve(undefined);
  /** Resolves when the last renewal plan export (its button) was written, with the file (tests wait for it). */
  lastPlanExport: Promise<vscode.Uri | undefined> = Promise.resolve(undefined);

  private ui: TimelineUi = { saved: {} };
  private webviewReady = false;
  /** The view sent with the HTML, until the webview says `ready` (src/shared/protocol/firstView.ts). */
  private embedded: TimelineView | undefined;
  private busy = false;
  private renderQueued = false;
  /** Kept between renders: an unchanged pool's summary is not computed again. */
  private readonly cache = new TimelineCache();
  /** Set while the rest of a first view that held only its first rows is being built; a render cancels it. */
  private completing: { cancelled: boolean } | undefined;
  /** Resolves when the first view is complete (built and, once the webview is ready, sent): for the tests. */
  completed: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens the timeline (or reveals it); `plan` shows the renewal plan. */
  static createOrShow(extensionUri: vscode.Uri, services: TimelineServices, options: { plan?: boolean } = {}): TimelinePanel {
    const open = TimelinePanel.current;
    if (open) {
      open.panel.reveal();
      if (options.plan && !open.ui.saved.plan) open.update({ saved: { ...open.ui.saved, plan: {} }, notice: undefined });
      return open;
    }
    // A new panel: its first view (with the plan, when asked for) goes with its HTML.
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, 'Certificate Timeline', vscode.ViewColumn.Active, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
    return new TimelinePanel(panel, extensionUri, services, { saved: options.plan ? { plan: {} } : {} });
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: TimelineServices): TimelinePanel {
    if (TimelinePanel.current) {
      panel.dispose();
      return TimelinePanel.current;
    }
    return new TimelinePanel(panel, extensionUri, services);
  }

  /** `first`: a new panel, whose first view is built from this state and sent with the HTML; a revived panel (none) waits for `ready`. */
  private constructor(private readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly services: TimelineServices, first?: TimelineUi) {
    TimelinePanel.current = this;
    if (first) this.ui = first;
    panel.webview.options = webviewOptions(extensionUri);
    // A new panel's first view holds the first screen's rows; the rest follows (complete()).
    this.render(first ? FIRST_VIEW_ROWS : undefined);
    this.embedded = this.sentWithHtml = first && this.lastRender;
    panel.webview.html = this.html(this.embedded);
    const partial = this.lastRender;
    if (partial && partial.layout.rows.length < partial.layout.rowCount) this.completed = this.complete(partial);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState((e) => { if (!e.webviewPanel.visible) this.webviewReady = false; }),
      panel.onDidDispose(() => this.disposed()),
      { dispose: services.onDidChange(() => this.queueRender()) },
    );
  }

  /** Handles one message from the webview (tests call it directly: the same path). Resolves once re-rendered. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseTimelineToHost(raw);
    if (!parsed.ok) {
      this.services.logRejected(`timeline: ${parsed.reason}`);
      return;
    }
    const msg = parsed.msg;
    if (msg.type === 'ready') {
      this.webviewReady = true;
      this.readyAt = performance.now();
      const embedded = this.embedded;
      this.embedded = undefined;
      // The webview's saved state wins over the panel's only when the panel has none (a reload, a revived panel).
      const restore = msg.state && !this.lastRender?.saved.plan && this.ui.saved.expanded === undefined;
      if (restore) this.ui = { ...this.ui, saved: msg.state! };
      // A new webview has drawn the view sent with its HTML: nothing to send while that is still the current one.
      if (restore || !embedded || this.lastRender !== embedded) this.render();
      return;
    }
    if (this.busy) {
      this.services.logRejected(`timeline: "${msg.type}" arrived while a change was still running`);
      return;
    }
    this.busy = true;
    try {
      await this.handle(msg);
    } finally {
      this.busy = false;
    }
    this.render();
  }

  dispose(): void {
    this.panel.dispose();
  }

  private update(ui: Partial<TimelineUi>): void {
    this.ui = { ...this.ui, ...ui };
    this.render();
  }

  private async handle(msg: Exclude<TimelineToHost, { type: 'ready' }>): Promise<void> {
    const state = this.services.state;
    if (!state) return;
    switch (msg.type) {
      case 'toggleGroup': {
        const shown = this.lastRender?.saved.expanded ?? [];
        this.ui = { ...this.ui, saved: { ...this.ui.saved, expanded: toggled(shown, msg.group) } };
        return;
      }
      case 'selectBar':
        if (!barCertificate(state, msg.rowId, msg.thumbprint)) {
          this.services.logRejected(`timeline: no certificate ${msg.thumbprint} in row ${msg.rowId}`);
          return;
        }
        this.ui = { ...this.ui, selected: { rowId: msg.rowId, thumbprint: msg.thumbprint } };
        return;
      case 'closeCard':
        this.ui = { ...this.ui, selected: undefined };
        return;
      case 'setDate':
      case 'realTime': {
        if (!simulatedClockAllowed()) {
          this.ui = { ...this.ui, notice: { tone: 'warning', text: 'The simulated clock is turned off (setting sfbCertificates.simulatedClock).' } };
          return;
        }
        const outcome = await this.services.run({ cmdlet: 'Set-SimulatedDate', date: msg.type === 'setDate' ? new Date(msg.date).toISOString() : undefined });
        const rolls = outcome.ok ? outcome.result.rollsApplied.length : 0;
        this.ui = { ...this.ui, notice: outcome.ok
          ? { tone: 'info', text: `${msg.type === 'setDate' ? `The model's clock now reads ${formatUsDateTime(new Date(msg.date))} (UTC)` : 'Back to real time'}.${rolls ? ` ${rolls} staged roll${rolls === 1 ? '' : 's'} took effect.` : ''}` }
          : { tone: 'error', text: formatError(outcome.error) } };
        return;
      }
      case 'plan':
        this.ui = { ...this.ui, saved: { ...this.ui.saved, plan: msg.thumbprint ? { thumbprint: msg.thumbprint } : {} }, notice: undefined };
        return;
      case 'closePlan': {
        const saved: TimelineSavedState = { ...this.ui.saved };
        delete saved.plan;
        this.ui = { ...this.ui, saved, notice: undefined };
        return;
      }
      case 'applyPlan': {
        const proposal = proposalFor(this.inputs(state), this.ui.saved);
        if (!proposal?.request) {
          this.services.logRejected('timeline: there is no plan to apply');
          return;
        }
        const outcome = await this.services.run(proposal.request);
        if (outcome.ok) {
          const saved: TimelineSavedState = { ...this.ui.saved };
          delete saved.plan;
          this.ui = { ...this.ui, saved, notice: { tone: 'ok', text: `Applied: ${outcome.powershell}. Undo Last Operation takes it back.` } };
        } else this.ui = { ...this.ui, notice: { tone: 'error', text: formatError(outcome.error) } };
        return;
      }
      case 'exportPlan':
        // The command does it (one code path with the palette's); not awaited, so the panel takes messages meanwhile.
        this.lastPlanExport = Promise.resolve(vscode.commands.executeCommand<vscode.Uri | undefined>(EXPORT_RENEWAL_PLAN_COMMAND));
        return;
      case 'export':
        this.lastExport = this.saveExport(msg.format, msg.data);
        await this.lastExport;
        return;
    }
  }

  private async saveExport(format: 'svg' | 'png', data: string): Promise<string | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `certificate-timeline.${format}`;
    const target = await prompts.current.saveFile({
      title: `Export the timeline as ${format.toUpperCase()}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    });
    if (!target) return undefined;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
    try {
      await fs.promises.writeFile(target.fsPath, bytes);
      this.ui = { ...this.ui, notice: { tone: 'ok', text: `Exported the timeline to ${vscode.workspace.asRelativePath(target)}.` } };
      return target.fsPath;
    } catch (e) {
      this.ui = { ...this.ui, notice: { tone: 'error', text: `The timeline was not exported: ${(e as Error).message}` } };
      return undefined;
    }
  }

  private inputs(state: Deployment): TimelineInputs {
    const allowed = simulatedClockAllowed();
    return {
      state, now: this.services.now(), simulated: Boolean(state.simulatedNow) && allowed, simulatedClockAllowed: allowed,
      expiryWarningDays: this.services.expiryWarningDays(), findings: this.services.findings(),
    };
  }

  /** Coalesces the renders of a burst of changes (e.g. a shell script's many operations) into one. */
  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    setTimeout(() => {
      this.renderQueued = false;
      this.render();
    }, 0);
  }

  /**
   * Builds the view now (tests read lastRender right after a change) and sends it when the webview listens.
   * `rowLimit`: only the first rows (a new panel's first view).
   */
  render(rowLimit?: number): void {
    if (this.completing) this.completing.cancelled = true;
    this.completing = undefined;
    const state = this.services.state;
    if (!state) {
      this.lastRender = undefined;
      return;
    }
    const inputs = this.inputs(state);
    const view = timelineView(inputs, this.ui, proposalFor(inputs, this.ui.saved), { cache: this.cache, rowLimit });
    this.lastRender = view;
    this.post();
  }

  private post(): void {
    if (!this.webviewReady || !this.lastRender) return;
    this.posted++;
    void this.panel.webview.postMessage({ type: 'render', view: this.lastRender } satisfies TimelineToWebview);
  }

  /**
   * Builds the whole of a first view that held only its first rows, a slice of servers per turn of the event loop (so
   * the host answers the webview's `ready` and everything else meanwhile), then makes it the view and sends it if the
   * webview is ready (else `ready` sends it). A render meanwhile (a change, a message) cancels it: that render is whole.
   */
  private async complete(partial: TimelineView): Promise<void> {
    const state = this.services.state;
    if (!state) return;
    const token = { cancelled: false };
    this.completing = token;
    const inputs = this.inputs(state);
    const steps = timelineViewSteps(inputs, this.ui, proposalFor(inputs, this.ui.saved), { cache: this.cache });
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (token.cancelled || this.lastRender !== partial) return;
      const step = steps.next();
      if (!step.done) continue;
      this.completing = undefined;
      this.lastRender = step.value;
      this.post();
      return;
    }
  }

  // img-src data: only for the PNG export (the SVG is drawn onto a canvas through an <img>).
  private html(firstView: TimelineView | undefined): string {
    return webviewHtml(this.panel.webview, this.extensionUri, { script: 'timeline.js', style: 'timeline.css', title: 'Certificate Timeline', imgSrc: ['data:'], firstView });
  }

  private disposed(): void {
    if (TimelinePanel.current === this) TimelinePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
