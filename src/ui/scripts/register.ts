// The PowerShell script features as activation sees them: nothing is loaded until a .ps1 / .psm1 document is open (or
// a test asks), then the checker, quick fixes, hover and completion (./editor.ts, in the PowerShell features' bundle,
// src/ui/lazy.ts) start and take over.
import * as vscode from 'vscode';
import type { LiveDeployment } from '../live';
import { powershell } from '../lazy';
import type { ScriptEditorFeatures } from './editor';

export function isScript(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'powershell' || /\.psm?1$/i.test(doc.fileName);
}

export const DRY_RUN_LENS_TITLE = '$(debug-alt) Dry Run Script Against Deployment';
const SELECTOR: vscode.DocumentSelector = [{ language: 'powershell' }, { pattern: '**/*.{ps1,psm1}' }];

/** The CodeLens above the first line of a script: Dry Run Script Against Deployment (./dryRunPanel.ts, loaded when clicked). */
const dryRunLens: vscode.CodeLensProvider = {
  provideCodeLenses: (doc) => (isScript(doc) ? [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
    title: DRY_RUN_LENS_TITLE, command: 'sfbCertificates.dryRunScript', arguments: [doc.uri],
    tooltip: 'Run the whole script on a copy of the deployment model: see what it would print and change before anything changes',
  })] : []),
};

export class ScriptFeatures implements vscode.Disposable {
  private features: ScriptEditorFeatures | undefined;
  private readonly waiting: vscode.Disposable;
  private readonly lens = vscode.languages.registerCodeLensProvider(SELECTOR, dryRunLens);

  constructor(private readonly live: LiveDeployment) {
    this.waiting = vscode.workspace.onDidOpenTextDocument((doc) => { if (isScript(doc)) this.start(); });
    if (vscode.workspace.textDocuments.some(isScript)) this.start();
  }

  /** Loads and starts the script features (they check every open script at once). */
  start(): ScriptEditorFeatures {
    this.waiting.dispose();
    return (this.features ??= new (powershell().ScriptEditorFeatures)(this.live));
  }

  /** Checks `doc` now (the host tests wait for this). */
  checkNow(doc: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    return this.start().checkNow(doc);
  }

  /** Waits for the cross-statement check of `doc` (a dry run on a copy) and returns every diagnostic (the host tests). */
  outcomeSettled(doc: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    return this.start().outcomeSettled(doc);
  }

  dispose(): void {
    this.waiting.dispose();
    this.lens.dispose();
    this.features?.dispose();
  }
}
