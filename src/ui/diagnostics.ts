// Rule findings (and load problems) in the Problems panel, anchored in sfb-deployment.json at the offending
// entry: the JSON path of each finding (e.g. "pools[0].servers[1].certificates[2]") is located in the text.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Finding } from '../core';
import type { LiveStore } from './store';

/** "pools[0].servers[1].assignments.Default" → ['pools', 0, 'servers', 1, 'assignments', 'Default'] */
export function parseJsonPath(p: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** The deepest existing node along the path (a finding about a missing slot points at its parent). */
export function locate(root: JsonNode | undefined, p: string): JsonNode | undefined {
  if (!root) return undefined;
  const segments = parseJsonPath(p);
  for (let n = segments.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, segments.slice(0, n));
    if (node) return node.parent?.type === 'property' ? node.parent : node;
  }
  return undefined;
}

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

export class FindingsDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sfbCertificates');
  private readonly unsubscribe: () => void;

  constructor(private readonly store: LiveStore) {
    this.unsubscribe = store.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    this.collection.clear();
    const file = this.store.filePath;
    if (!file || !fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    const root = parseTree(text);
    const doc = { positionAt: (offset: number) => positionAt(text, offset) };
    const range = (node: JsonNode | undefined) => node ? new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + Math.min(node.length, firstLineLength(text, node.offset)))) : new vscode.Range(0, 0, 0, 1);
    const diagnostics: vscode.Diagnostic[] = [];
    if (this.store.problem) {
      for (const p of this.store.problem.problems.length ? this.store.problem.problems : [{ path: '', message: this.store.problem.message }]) {
        const d = new vscode.Diagnostic(range(p.path ? locate(root, p.path) : undefined), p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'SfB Certificates';
        diagnostics.push(d);
      }
    } else {
      for (const f of this.store.findings()) diagnostics.push(this.toDiagnostic(f, range(locate(root, f.where.path))));
    }
    this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  private toDiagnostic(f: Finding, range: vscode.Range): vscode.Diagnostic {
    const message = `${f.message}${f.fix ? `\nFix: ${f.fix}` : ''}`;
    const d = new vscode.Diagnostic(range, message, SEVERITY[f.severity]);
    d.source = 'SfB Certificates';
    d.code = f.rule;
    return d;
  }

  dispose(): void {
    this.unsubscribe();
    this.collection.dispose();
  }
}

function positionAt(text: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return new vscode.Position(line, offset - lineStart);
}

function firstLineLength(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return (nl < 0 ? text.length : nl) - offset;
}
