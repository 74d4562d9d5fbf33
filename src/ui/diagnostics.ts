// Rule findings (and load problems) in the Problems panel, anchored in sfb-deployment.json at the offending entry.
// Linear in the file: positions come from one line index per file version and one walk that locates every needed
// JSON path (src/ui/jsonLocate.ts); entries already placed in the same file version are reused. Updates are debounced,
// nothing runs before the file is loaded, and a rule firing on many servers is one entry (findingGroups.ts).
import * as vscode from 'vscode';
import type { LiveDeployment } from './live';
import { problemEntries } from './findingGroups';
import { LineIndex, locatePaths, type Span } from './jsonLocate';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;
/** Changes within this time are shown together. */
const DEBOUNCE_MS = 30;

/** One file version's line index and the spans found in it so far. */
interface Placed {
  text: string;
  lines?: LineIndex;
  spans: Map<string, Span | undefined>;
}

export class FindingsDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sfbCertificates');
  private readonly unsubscribe: (() => void)[];
  private timer: NodeJS.Timeout | undefined;
  private placed: Placed | undefined;
  private shownUri: vscode.Uri | undefined;

  constructor(private readonly live: LiveDeployment) {
    this.unsubscribe = [live.onDidChange(() => this.schedule()), live.onDidSave(() => this.schedule())];
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, DEBOUNCE_MS);
  }

  /** Shows the current findings now (the debounced path calls this). */
  update(): void {
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
    const spans = this.spans(text, entries.map((e) => e.path).filter(Boolean));
    const lines = (this.placed!.lines ??= new LineIndex(text));
    const diagnostics = entries.map((e) => {
      const span = e.path ? spans.get(e.path) : undefined;
      const range = span ? rangeOf(lines, span) : new vscode.Range(0, 0, 0, 1);
      const d = new vscode.Diagnostic(range, e.message, e.severity);
      d.source = 'SfB Certificates';
      if (e.rule) d.code = e.rule;
      return d;
    });
    this.collection.set(uri, diagnostics);
  }

  /** Spans of `paths` in this file version: those located before in it are reused, the rest found in one walk. */
  private spans(text: string, paths: string[]): Map<string, Span | undefined> {
    if (this.placed?.text !== text) this.placed = { text, spans: new Map() };
    const known = this.placed.spans;
    const missing = paths.filter((p) => !known.has(p));
    if (missing.length) for (const [p, span] of locatePaths(text, missing)) known.set(p, span);
    return known;
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
