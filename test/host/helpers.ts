// Shared helpers for the in-host tests: the extension's API, a scripted prompter, a fresh deployment file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SfbCertificatesApi } from '../../src/extension';
import type { Prompter } from '../../src/ui/prompter';

export async function api(): Promise<SfbCertificatesApi> {
  const ext = vscode.extensions.getExtension<SfbCertificatesApi>('sfb-certificates.sfb-certificates');
  assert.ok(ext, 'the extension under development is loaded');
  const a = await ext.activate();
  await a.live.ready; // activation reads the deployment file in the background
  return a;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri.fsPath;
}

export const storeFile = () => path.join(workspaceDir(), 'sfb-deployment.json');

/** Removes the deployment file (and what the sample wrote) and reloads, so each suite starts clean. */
export async function resetWorkspace(a: SfbCertificatesApi): Promise<void> {
  for (const f of fs.readdirSync(workspaceDir())) {
    if (f.startsWith('sfb-deployment.json') || f === 'sample-certificates' || f === 'Certificates' || f.endsWith('.pfx')) fs.rmSync(path.join(workspaceDir(), f), { recursive: true, force: true });
  }
  await a.live.load();
}

export async function openSample(a: SfbCertificatesApi): Promise<void> {
  await resetWorkspace(a);
  await vscode.commands.executeCommand('sfbCertificates.openSample');
  assert.ok(a.live.state, 'the sample deployment is loaded');
}

type Answer = string | string[] | vscode.Uri | undefined | ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | vscode.QuickPickItem[] | undefined);

/**
 * Answers prompts in order. A string answers a QuickPick by the first item whose label contains it, an
 * InputBox with that text (validated by the prompt's own validateInput: an Error-severity message fails the
 * test), and a confirmation by button text. `asked` records every prompt's title for assertions.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  readonly validations: string[] = [];
  constructor(private readonly answers: Answer[]) {}

  private next(kind: string, title?: string): Answer {
    this.asked.push(`${kind}: ${title ?? ''}`);
    if (!this.answers.length) throw new Error(`Unexpected ${kind} prompt "${title ?? ''}" (no scripted answer left)`);
    return this.answers.shift();
  }

  async pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const a = this.next('pick', options.title);
    if (typeof a === 'function') return a(items) as T | undefined;
    if (typeof a !== 'string') return undefined;
    const found = items.find((i) => i.label.includes(a) || (i.detail ?? '').includes(a) || (i.description ?? '').includes(a));
    if (!found) throw new Error(`No item "${a}" in pick "${options.title}": ${items.map((i) => i.label).join(' | ')}`);
    return found;
  }

  async pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T[] | undefined> {
    const a = this.next('pickMany', options.title);
    if (typeof a === 'function') return a(items) as T[] | undefined;
    if (!Array.isArray(a)) return undefined;
    return items.filter((i) => a.includes(i.label));
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const a = this.next('input', options.title ?? options.prompt);
    if (typeof a !== 'string') return undefined;
    const v = await options.validateInput?.(a);
    if (v) {
      const message = typeof v === 'string' ? v : v.message;
      this.validations.push(message);
      const severity = typeof v === 'string' ? vscode.InputBoxValidationSeverity.Error : v.severity;
      // A person cannot submit an input the box marks as an error: they end up dismissing it.
      if (severity === vscode.InputBoxValidationSeverity.Error) return undefined;
    }
    return a;
  }

  async openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
    const a = this.next('openFile', options.title);
    return a instanceof vscode.Uri ? a : typeof a === 'string' ? vscode.Uri.file(a) : undefined;
  }

  async openFiles(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    const a = this.next('openFiles', options.title);
    return Array.isArray(a) ? a.map((f) => vscode.Uri.file(f)) : typeof a === 'string' ? [vscode.Uri.file(a)] : undefined;
  }

  async saveFile(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    const a = this.next('saveFile', options.title);
    return a instanceof vscode.Uri ? a : typeof a === 'string' ? vscode.Uri.file(a) : undefined;
  }

  /** The detail text of every confirmation, in order. */
  readonly details: string[] = [];

  async confirm(message: string, detail = ''): Promise<string | undefined> {
    this.details.push(detail);
    const a = this.next('confirm', message);
    return typeof a === 'string' ? a : undefined;
  }

  get remaining(): number { return this.answers.length; }
}

/** Runs a command with scripted answers and checks every answer was used. */
export async function withAnswers<T>(a: SfbCertificatesApi, answers: Answer[], fn: () => Thenable<T> | Promise<T>): Promise<{ result: T; prompter: ScriptedPrompter }> {
  const prompter = new ScriptedPrompter(answers);
  const previous = a.setPrompter(prompter);
  try {
    const result = await fn();
    assert.equal(prompter.remaining, 0, `unused answers; prompts seen: ${prompter.asked.join(' / ')}`);
    return { result, prompter };
  } finally {
    a.setPrompter(previous);
  }
}

export interface ShownMessage {
  severity: 'info' | 'warning' | 'error';
  message: string;
  buttons: string[];
}

/**
 * Records the notifications (information, warning, error) shown while `fn` runs, with their buttons; answers each
 * with `answer` (a button title) or dismisses it. Modal ones go through the prompter, not here.
 */
export async function captureMessages<T>(fn: () => Thenable<T> | Promise<T>, answer?: (m: ShownMessage) => string | undefined): Promise<{ result: T; shown: ShownMessage[] }> {
  const w = vscode.window as unknown as Record<string, unknown>;
  const originals = { info: w.showInformationMessage, warning: w.showWarningMessage, error: w.showErrorMessage };
  const shown: ShownMessage[] = [];
  const fake = (severity: ShownMessage['severity']) => (message: string, ...rest: unknown[]) => {
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    const m = { severity, message, buttons };
    shown.push(m);
    return Promise.resolve(answer?.(m));
  };
  w.showInformationMessage = fake('info');
  w.showWarningMessage = fake('warning');
  w.showErrorMessage = fake('error');
  try {
    const result = await fn();
    return { result, shown };
  } finally {
    w.showInformationMessage = originals.info;
    w.showWarningMessage = originals.warning;
    w.showErrorMessage = originals.error;
  }
}

/** Polls `probe` every 50 ms until it gives a truthy value, and returns it; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
