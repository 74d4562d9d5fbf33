// Rule findings (and load problems) in the Problems panel, anchored in sfb-deployment.json at the offending entry.
// Linear in the file: positions come from one line index per file version and one walk that locates every needed
// JSON path (src/ui/jsonLocate.ts); entries already placed in the same file version are reused. Updates are debounced,
// nothing runs before the file is loaded, and a rule firing on many servers is one entry (findingGroups.ts).
import * as vscode from 'vscode';
import type { LiveDeployment } from './live';
import { problemEntries } from './findingGroups';
import type { FileText } from './fileText';
import { LineIndex, locatePathsSteps, type Span } from './jsonLocate';
import { inSteps } from './steps';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;
/** Changes within this time are shown together. */
const DEBOUNCE_MS = 30;

/** One file version's line index and the spans found in it so far. */
interface Placed {
  /** The file version (one FileText object per version: compared by identity, never by content). */
  text: FileText;
  lines?: LineIndex;
  spans: Map<string, Span | undefined>;
}

export class FindingsDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sfbCertificates');
  private readonly unsubscribe: (() => void)[];
  private timer: NodeJS.Timeout | undefined;
  private placed: Placed | undefined;
  private shownUri: vscode.Uri | undefined;
  /** Counts the updates started: one that finds a later one started while it waited gives way to it. */
  private updates = 0;

  constructor(private readonly live: LiveDeployment) {
    this.unsubscribe = [live.onDidChange(() => this.schedule()), live.onDidSave(() => this.schedule())];
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, DEBOUNCE_MS);
  }

  /**
   * Shows the current findings (the debounced path calls this). Locating them in a large file runs in steps, the
   * extension host doing other work between them; an update that a newer one overtook meanwhile is dropped.
   */
  async update(): Promise<void> {
    const run = ++this.updates;
    const file = this.live.filePath;
    const text = this.live.text;
    if (!file || text === undefined || (!this.live.state && !this.live.problem)) {
      this.collection.clear();
      return;
    }
    const uri = vscode.Uri.file(file);
    if (this.shownUri && this.shownUri.toString() !== uri.toString()) this.collection.delete(this.shownUri);
    this.shownUri = uri;
    const entries: { path: string; message: string; severity: vscode.DiagnosticSeverity; rule?: string }[] = [];
    const problem = this.live.problem;
    if (problem) {
      for (const p of problem.problems.length ? problem.problems : [{ path: '', message: problem.message }]) entries.push({ path: p.path, message: p.message, severity: vscode.DiagnosticSeverity.Error });
    } else {
      for (const e of problemEntries(this.live.findings())) entries.push({ path: e.path, message: e.message, severity: SEVERITY[e.severity], rule: e.rule });
    }
    const placed = await this.place(text, entries.map((e) => e.path).filter(Boolean));
    const lines = (placed.lines ??= new LineIndex(text));
    const spanOf = (e: { path: string }) => (e.path ? placed.spans.get(e.path) : undefined);
    // A range ends on its first line at the latest: knowing the lines up to the last entry's start is enough.
    await inSteps(lines.scanSteps(entries.reduce((max, e) => Math.max(max, spanOf(e)?.offset ?? 0), 0)));
    if (run !== this.updates) return;
    const diagnostics = entries.map((e) => {
      const span = spanOf(e);
      const range = span ? rangeOf(lines, span) : new vscode.Range(0, 0, 0, 1);
      const d = new vscode.Diagnostic(range, e.message, e.severity);
      d.source = 'SfB Certificates';
      if (e.rule) d.code = e.rule;
      return d;
    });
    this.collection.set(uri, diagnostics);
  }

  /** Spans of `paths` in this file version: those located before in it are reused, the rest found in one walk. */
  private async place(text: FileText, paths: string[]): Promise<Placed> {
    if (this.placed?.text !== text) this.placed = { text, spans: new Map() };
    const placed = this.placed;
    const missing = paths.filter((p) => !placed.spans.has(p));
    if (missing.length) for (const [p, span] of await inSteps(locatePathsSteps(text, missing))) placed.spans.set(p, span);
    return placed;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    this.collection.dispose();
  }
}

/** From the entry's start to the end of its value or of its first line, whichever comes first. */
function rangeOf(lines: LineIndex, span: Span): vscode.Range {
  const end = Math.min(span.offset + span.length, lines.lineEnd(span.offset));
  const a = lines.position(span.offset);
  const b = lines.position(end);
  return new vscode.Range(a.line, a.character, b.line, b.character);
}
