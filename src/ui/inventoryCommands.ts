// "Save Inventory Collector Script…" and "Import Inventory…". The import reads one or more inventory files (several for
// the collector's -LocalOnly runs), and over an existing model shows the drift view first: a QuickPick with what
// would change (new, removed, re-assigned, expiring, and what the inventory cannot tell) and two choices, replace or
// keep. A QuickPick rather than a webview: the drift is a yes/no decision with a short list to read, which VS Code's
// own picker shows in the user's theme, with keyboard and screen-reader support and no second message protocol. The
// replacement is one undoable step (Undo Last Operation brings the model before back).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COLLECTOR_FILE_NAME, INVENTORY_MAX_BYTES, collectorScript, displayText, importInventoriesSteps, inventoryDrift, orRefuse, refuse, type Deployment, type DriftItem, type DriftKind, type InventoryFile, type InventoryImport, type InventoryImportProgress } from '../core';
import { describeFileReadError, readRegularFile } from '../node/regularFile';
import type { LiveDeployment } from './live';
import type { OperationLog } from './output';
import { Cancelled, orCancel } from './pickers';
import { prompts } from './prompter';
import { StepsStopped, inSteps } from './steps';

const DRIFT_HEADINGS: Record<DriftKind, string> = {
  reassigned: 'Re-assigned',
  new: 'New',
  removed: 'Removed',
  expiring: 'Expiring (within the warning window)',
};

export const REPLACE_LABEL = '$(check) Replace the model with the inventory';
const KEEP_LABEL = '$(close) Keep the model as it is';

function workspaceFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export async function saveInventoryScript(log: OperationLog): Promise<string> {
  const folder = workspaceFolder();
  const target = orCancel(await prompts.current.saveFile({
    title: 'Save Inventory Collector Script',
    saveLabel: 'Save Script',
    defaultUri: folder ? vscode.Uri.joinPath(folder, COLLECTOR_FILE_NAME) : undefined,
    filters: { 'PowerShell script': ['ps1'] },
  }));
  try {
    await fs.promises.writeFile(target.fsPath, collectorScript());
  } catch (e) {
    refuse('inventory-script-not-written', `${path.basename(target.fsPath)} was not saved: ${(e as Error).message}`, 'Choose a folder you can write to.');
  }
  log.info(`Saved ${target.fsPath}. Run it in the Skype for Business Server Management Shell on a Front End; then Import Inventory… the JSON file it writes.`);
  void vscode.window.showInformationMessage(`Saved ${path.basename(target.fsPath)}: run it in the Skype for Business Server Management Shell on a Front End (it only reads), then Import Inventory… the JSON file it writes.`, 'Open Script')
    .then((c) => c && vscode.window.showTextDocument(target));
  return target.fsPath;
}

/** The drift view's items: the two choices, then the changes by kind, then what the inventory cannot tell. */
export function driftItems(drift: DriftItem[], untold: string[]): vscode.QuickPickItem[] {
  const items: vscode.QuickPickItem[] = [
    { label: REPLACE_LABEL, detail: 'One step: Undo Last Operation brings the current model back. The deployment file is saved as usual (with its .bak).' },
    { label: KEEP_LABEL },
  ];
  if (!drift.length) items.push({ label: 'No change', kind: vscode.QuickPickItemKind.Separator }, { label: '$(pass) The inventory shows the same certificates and assignments as the model' });
  for (const kind of ['reassigned', 'new', 'removed', 'expiring'] as DriftKind[]) {
    const of = drift.filter((d) => d.kind === kind);
    if (!of.length) continue;
    items.push({ label: `${DRIFT_HEADINGS[kind]} (${of.length})`, kind: vscode.QuickPickItemKind.Separator });
    for (const d of of) items.push({ label: `${kind === 'expiring' ? '$(warning)' : kind === 'removed' ? '$(remove)' : kind === 'new' ? '$(add)' : '$(arrow-swap)'} ${displayText(d.where)}`, description: displayText(d.text) });
  }
  if (untold.length) {
    items.push({ label: 'What the inventory cannot tell (left as it was)', kind: vscode.QuickPickItemKind.Separator });
    for (const u of untold) items.push({ label: '$(info) Not in the inventory', description: displayText(u) });
  }
  return items;
}

const PHASE_TEXT: Record<InventoryImportProgress['phase'], (p: InventoryImportProgress) => string> = {
  read: (p) => `reading file ${p.done + 1} of ${p.total}`,
  topology: () => 'reading the topology',
  servers: (p) => `filling the servers' stores: ${p.done} of ${p.total}`,
  check: () => 'checking the model',
};

/**
 * The import itself, in steps (the extension host stays free: a thousand servers' certificates are read from DER), with
 * a cancellable progress notification. Nothing changes until it ends; cancelled, it throws Cancelled.
 */
export function importInSteps(files: InventoryFile[], previous: Deployment | undefined): Thenable<InventoryImport> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Importing the inventory', cancellable: true }, async (progress, token) => {
    let reported = 0;
    try {
      return await inSteps(importInventoriesSteps(files, { previous, now: new Date() }), {
        onStep: (p) => {
          // Reading the files is the first tenth of the bar, the servers most of the rest.
          const at = p.phase === 'read' ? (10 * p.done) / p.total : p.phase === 'topology' ? 10 : p.phase === 'servers' ? 10 + (80 * p.done) / Math.max(p.total, 1) : 90 + (10 * p.done) / p.total;
          progress.report({ increment: at - reported, message: PHASE_TEXT[p.phase](p) });
          reported = at;
        },
        stop: () => token.isCancellationRequested,
      });
    } catch (e) {
      if (e instanceof StepsStopped) throw new Cancelled();
      throw e;
    }
  });
}

export async function importInventory(live: LiveDeployment, log: OperationLog): Promise<unknown> {
  const picked = orCancel(await prompts.current.openFiles({
    title: 'Import Inventory', openLabel: 'Import', filters: { 'Inventory (.json)': ['json'], 'All files': ['*'] },
  }));
  if (!picked.length) throw new Cancelled();
  const files = picked.map((uri) => {
    const name = path.basename(uri.fsPath);
    const read = readRegularFile(uri.fsPath, { shown: name, what: 'inventory file (the JSON Get-SfbCertificateInventory.ps1 wrote)', maxBytes: INVENTORY_MAX_BYTES });
    if (!read.ok) refuse('inventory-unreadable', describeFileReadError(read.error));
    return { name, bytes: read.bytes };
  });
  await live.ready;
  const file = live.filePath;
  const exists = file !== undefined && fs.existsSync(file);
  if (exists) await live.checkReplaceable();
  const previous = exists ? live.state : undefined;
  const imported = orRefuse(await importInSteps(files, previous));
  const names = files.map((f) => f.name).join(', ');
  for (const w of imported.warnings) log.warn(`${names}: ${w}`);
  for (const u of imported.untold) log.info(`${names}: ${u}`);
  const { counts, deployment } = imported;
  const summary = `Imported the inventory ${names}: ${counts.read} of ${counts.servers} server(s) read${counts.failed ? `, ${counts.failed} could not be read` : ''}, ${counts.certificates} certificate(s).`;
  if (previous) {
    const drift = inventoryDrift(previous, deployment, live.now(), live.expiryWarningDays());
    const choice = await prompts.current.pick(driftItems(drift, imported.untold), {
      title: `Import Inventory: what changed since the model (${drift.length} change${drift.length === 1 ? '' : 's'})`,
      placeHolder: 'Replace the model with what the servers reported?', matchOnDescription: true,
    });
    if (choice?.label !== REPLACE_LABEL) throw new Cancelled();
    await live.adopt(deployment, summary);
  } else {
    await live.create(deployment, [], { replace: exists });
  }
  log.info(summary);
  void vscode.window.showInformationMessage(`${displayText(summary)}${imported.untold.length ? ` ${imported.untold.length} thing(s) it cannot tell are in the log.` : ''}`, ...(previous ? ['Undo'] : []), 'Show Log')
    .then((c) => (c === 'Undo' ? vscode.commands.executeCommand('sfbCertificates.undo') : c === 'Show Log' ? log.show() : undefined));
  return deployment;
}
