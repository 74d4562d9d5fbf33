// activate(): builds the live deployment and registers the views, the commands, the wizard and the Management Shell
// terminal. Nothing else: the deployment file is read in the background (views show it when it is loaded), so
// activation never waits for it.
import * as vscode from 'vscode';
import { formatUsDateTime } from './core';
import { VIEW_ID } from './shared/commands';
import { registerCommands } from './ui/commands';
import { FindingsDiagnostics } from './ui/diagnostics';
import { ReadOnlyDocuments } from './ui/documents';
import { OperationLog } from './ui/output';
import { prompts, type Prompter } from './ui/prompter';
import { OAuthStatusBar } from './ui/statusBar';
import { LiveDeployment } from './ui/live';
import { workerReader } from './ui/deploymentReader';
import { DeploymentTreeProvider } from './ui/tree';
import type { TreeNode } from './ui/treeModel';
import { registerManagementShell } from './ui/terminal/register';
import { ScriptFeatures } from './ui/scripts/register';
import { loadedFeatures, powershell, registerLazyPanels, timeline, wizard } from './ui/lazy';
import type { DryRunPanel } from './ui/scripts/dryRunPanel';
import type { WizardPanel } from './ui/wizard/panel';
import type { TimelinePanel } from './ui/timeline/panel';
import { trackWalkthrough } from './ui/walkthrough';

/** What activate() returns: used by the in-host tests and benches (and by other extensions, if ever). */
export interface SfbCertificatesApi {
  live: LiveDeployment;
  documents: ReadOnlyDocuments;
  tree: vscode.TreeView<TreeNode>;
  provider: DeploymentTreeProvider;
  openWizard(serverFqdn?: string): WizardPanel;
  wizardPanel(): WizardPanel | undefined;
  /** The OAuth status bar item's text ('' while hidden). */
  statusBarText(): string;
  openTimeline(plan?: boolean): TimelinePanel;
  timelinePanel(): TimelinePanel | undefined;
  /** The open Dry Run view, if any. */
  dryRunPanel(): DryRunPanel | undefined;
  /** Diagnostics, quick fixes, hover and completion in PowerShell scripts. */
  scripts: ScriptFeatures;
  /** The features loaded on first use that are loaded now (src/ui/lazy.ts): activation loads none. */
  loadedFeatures(): string[];
  /** Replaces the prompter (tests answer QuickPicks and InputBoxes with it); returns the previous one. */
  setPrompter(p: Prompter): Prompter;
}

let active: LiveDeployment | undefined;

export function activate(context: vscode.ExtensionContext): SfbCertificatesApi {
  performance.mark('sfb:activate'); // the host bench splits activation into phases by these marks
  const log = new OperationLog();
  // A deployment file of 1 MB or more is read in a worker thread (dist/deployment-worker.js), so it never blocks the host.
  const reader = workerReader(vscode.Uri.joinPath(context.extensionUri, 'dist', 'deployment-worker.js').fsPath, (why) => log.warn(`Reading the deployment file in this thread instead: ${why}.`), 1024 * 1024);
  const live = new LiveDeployment(log, undefined, reader);
  active = live;
  const documents = new ReadOnlyDocuments();
  const provider = new DeploymentTreeProvider(live);
  const tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const statusBar = new OAuthStatusBar(live);
  context.subscriptions.push(log, live, documents, provider, tree, statusBar, new FindingsDiagnostics(live));

  const openWizard = (serverFqdn?: string) => wizard().WizardPanel.createOrShow(context.extensionUri, live, serverFqdn);
  const openShell = registerManagementShell(context, live, log);
  const openTimeline = (plan?: boolean) => timeline().TimelinePanel.createOrShow(context.extensionUri, live, { plan });
  const timelinePlan = () => (loadedFeatures().includes('timeline') ? timeline().TimelinePanel.current?.lastRender?.saved.plan : undefined);
  registerCommands(context, { live, log, tree, documents, openWizard, openTimeline, timelinePlan, openShell, extensionUri: context.extensionUri });
  registerLazyPanels(context, live);
  const scripts = new ScriptFeatures(live);
  context.subscriptions.push(scripts);
  trackWalkthrough(context, live);

  const updateMessage = () => {
    tree.message = live.problem ? `${live.problem.message}` : undefined;
    tree.description = live.state?.simulatedNow ? `simulated date ${formatUsDateTime(new Date(live.state.simulatedNow))}` : undefined;
  };
  context.subscriptions.push({ dispose: live.onDidChange(updateMessage) });

  void live.load().catch((e: Error) => log.error(`Reading the deployment file failed: ${e.message}`));
  live.watch();
  performance.mark('sfb:activated');
  return { live, documents, tree, provider, scripts, openWizard, wizardPanel: () => (loadedFeatures().includes('wizard') ? wizard().WizardPanel.current : undefined), statusBarText: () => statusBar.text, openTimeline, timelinePanel: () => (loadedFeatures().includes('timeline') ? timeline().TimelinePanel.current : undefined), loadedFeatures,
    dryRunPanel: () => (loadedFeatures().includes('powershell') ? powershell().DryRunPanel.current : undefined),
    setPrompter: (p) => { const previous = prompts.current; prompts.current = p; return previous; } };
}

/** VS Code waits for this before it closes the window: a save still running (or coalesced) is finished first. */
export async function deactivate(): Promise<void> {
  await active?.flush();
  active = undefined;
}
