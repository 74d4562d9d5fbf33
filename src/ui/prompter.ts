// Every question a command asks goes through a Prompter: the real one shows VS Code's QuickPick, InputBox,
// file dialogs and modal confirmations; the in-host tests install a scripted one (the UI tests click the real
// ones). Validation callbacks are part of the request, so a scripted answer is validated exactly as typed text.
import * as vscode from 'vscode';

export interface Prompter {
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T[] | undefined>;
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined>;
  /** Several files at once. */
  openFiles(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
  saveFile(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  /** A modal warning; resolves to the chosen button's text. */
  confirm(message: string, detail: string, ...buttons: string[]): Promise<string | undefined>;
}

export const windowPrompter: Prompter = {
  pick: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, { ...options, canPickMany: false })),
  pickMany: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, { ...options, canPickMany: true })),
  input: (options) => Promise.resolve(vscode.window.showInputBox(options)),
  openFile: async (options) => (await vscode.window.showOpenDialog({ ...options, canSelectMany: false }))?.[0],
  openFiles: (options) => Promise.resolve(vscode.window.showOpenDialog({ ...options, canSelectMany: true })),
  saveFile: (options) => Promise.resolve(vscode.window.showSaveDialog(options)),
  confirm: (message, detail, ...buttons) => Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons)),
};

/** The prompter in use; tests swap it. */
export const prompts: { current: Prompter } = { current: windowPrompter };
