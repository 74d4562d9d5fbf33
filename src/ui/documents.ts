// Read-only text views (Get-CsCertificate output, replication status, certificate details) under the
// `sfb-certificates:` scheme: no "save changes?" prompt, refreshed in place when shown again.
import * as vscode from 'vscode';

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
    const doc = await vscode.workspace.openTextDocument(uri);
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
