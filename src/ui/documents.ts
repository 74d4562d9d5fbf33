// Read-only text views (Get-CsCertificate output, replication status, certificate details) under the
// `sfb-certificates:` scheme: no "save changes?" prompt, refreshed in place when shown again.
import * as vscode from 'vscode';

/** The language of these views (package.json: contributes.languages, and word wrap in configurationDefaults). */
export const OUTPUT_LANGUAGE = 'sfb-certificates-output';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'sfb-certificates';
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(ReadOnlyDocuments.scheme, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Shows `text` in a read-only editor titled `title` (beside the current editor). */
  async show(title: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: ReadOnlyDocuments.scheme, path: `/${title.replace(/[\\/:*?"<>|]/g, '_')}.txt` });
    this.contents.set(uri.path, text);
    this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    // Its own language, for which package.json turns word wrap on: a long line (a certificate's uses, its
    // enhanced key usages) wraps in a narrow editor instead of running off its right edge.
    if (doc.languageId !== OUTPUT_LANGUAGE) doc = await vscode.languages.setTextDocumentLanguage(doc, OUTPUT_LANGUAGE);
    return vscode.window.showTextDocument(doc, { preview: true, preserveFocus: false });
  }

  /** The text last shown under this title (tests read it). */
  text(title: string): string | undefined {
    return this.contents.get(`/${title.replace(/[\\/:*?"<>|]/g, '_')}.txt`);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
