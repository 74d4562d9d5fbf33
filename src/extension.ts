// activate(): builds the live store and registers the views, the commands, the wizard and the Management Shell
// terminal. Nothing else.
import * as vscode from 'vscode';
import { VIEW_ID } from './shared/commands';
import { registerCommands } from './ui/commands';
import { FindingsDiagnostics } from './ui/diagnostics';
import { ReadOnlyDocuments } from './ui/documents';
import { OperationLog } from './ui/output';
import { prompts, type Prompter } from './ui/prompter';
import { OAuthStatusBar } from './ui/statusBar';
import { LiveStore } from './ui/store';
import { DeploymentTreeProvider } from './ui/tree';
import type { TreeNode } from './ui/treeModel';
import { registerManagementShell } from './ui/terminal/register';
import { WizardPanel, registerWizardSerializer } from './ui/wizard/panel';

/** What activate() returns: used by the in-host tests (and by other extensions, if ever). */
export interface SfbCertificatesApi {
  store: LiveStore;
  documents: ReadOnlyDocuments;
  tree: vscode.TreeView<TreeNode>;
  provider: DeploymentTreeProvider;
  openWizard(serverFqdn?: string): WizardPanel;
  wizardPanel(): WizardPanel | undefined;
  /** Replaces the prompter (tests answer QuickPicks and InputBoxes with it); returns the previous one. */
  setPrompter(p: Prompter): Prompter;
}

export async function activate(context: vscode.ExtensionContext): Promise<SfbCertificatesApi> {
  const log = new OperationLog();
  const store = new LiveStore(log);
  const documents = new ReadOnlyDocuments();
  const provider = new DeploymentTreeProvider(store);
  const tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(log, store, documents, provider, tree, new OAuthStatusBar(store), new FindingsDiagnostics(store));

  const openWizard = (serverFqdn?: string) => WizardPanel.createOrShow(context.extensionUri, store, serverFqdn);
  const openShell = registerManagementShell(context, store, log);
  registerCommands(context, { store, log, tree, documents, openWizard, openShell });
  registerWizardSerializer(context, store);

  const updateMessage = () => {
    tree.message = store.problem ? `${store.problem.message}` : undefined;
    tree.description = store.state?.simulatedNow ? `simulated date ${new Date(store.state.simulatedNow).toUTCString()}` : undefined;
  };
  context.subscriptions.push({ dispose: store.onDidChange(updateMessage) });

  await store.load();
  store.watch();
  return { store, documents, tree, provider, openWizard, wizardPanel: () => WizardPanel.current,
    setPrompter: (p) => { const previous = prompts.current; prompts.current = p; return previous; } };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
