// PowerShell scripts in the editor (.ps1 / .psm1, beside the PowerShell extension if installed): the script
// checker's diagnostics as you type, its quick fixes as code actions, hover on a thumbprint (the certificate card) or
// on an SfB cmdlet or parameter (its purpose and parameter sets), and completion of cmdlets, parameters, -Type values,
// thumbprints and computer names from the model. The checking itself is src/powershell/lint.ts (no 'vscode').
import * as vscode from 'vscode';
import { CERT_USES, CMDLETS, displayText, type CmdletName, type Deployment, type StoredCertificate } from '../../core';
import { SFB_CMDLETS, ScriptChecker, allParams, checkScriptOutcome, findCommand, type ParamSpec, type ScriptDiagnostic, type ScriptFix } from '../../powershell';
import type { LiveDeployment } from '../live';
import { serverDriveIfAny } from '../serverFiles';
import { certificateTooltip, escapeMarkdown } from '../treeModel';
import { isScript } from './register';

export const SCRIPT_DIAGNOSTIC_SOURCE = 'SfB Certificates';
const SELECTOR: vscode.DocumentSelector = [{ language: 'powershell' }, { pattern: '**/*.{ps1,psm1}' }];
/** Short enough to feel immediate, long enough that fast typing checks once per pause. */
const DEBOUNCE_MS = 60;
/** The cross-statement check dry-runs the whole script: once typing pauses a little longer. */
const OUTCOME_DEBOUNCE_MS = 400;

const SEVERITY: Record<ScriptDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information,
};

function fixKey(uri: vscode.Uri, range: vscode.Range, code: string): string {
  return `${uri.toString()}|${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}|${code}`;
}

/** Every stored certificate by thumbprint, with the servers that hold it. */
function findCertificate(d: Deployment, thumbprint: string): { cert: StoredCertificate; where: string[] } | undefined {
  let found: StoredCertificate | undefined;
  const where: string[] = [];
  for (const pool of d.pools) for (const server of pool.servers) {
    const cert = server.certificates.find((c) => c.thumbprint === thumbprint);
    if (cert) { found ??= cert; where.push(server.fqdn); }
  }
  found ??= d.cms.certificates.find((c) => c.thumbprint === thumbprint);
  return found && { cert: found, where };
}

function parameterLine(p: ParamSpec): string {
  const sets = p.sets ? ` — sets: ${p.sets.join(', ')}` : '';
  const mandatory = p.mandatory === true ? ' (required)' : Array.isArray(p.mandatory) ? ` (required in ${p.mandatory.join(', ')})` : '';
  return `-${p.name} <${p.type}>${mandatory}${sets}`;
}

/** The SfB cmdlet the line's current pipeline element calls, if any. */
function cmdletBefore(linePrefix: string): CmdletName | undefined {
  const m = /(?:^|[|;({])\s*([A-Za-z]+-[A-Za-z]+)\b[^|;({]*$/.exec(linePrefix);
  const spec = m && findCommand(m[1]);
  return spec && spec.name in SFB_CMDLETS ? (spec.name as CmdletName) : undefined;
}

export class ScriptEditorFeatures implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sfb-scripts');
  private readonly checkers = new Map<string, ScriptChecker>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly fixes = new Map<string, ScriptFix[]>();
  /** Per document: the cross-statement check's diagnostics for the text they were found in, and the run in flight. */
  private readonly outcomes = new Map<string, { text: string; found: ScriptDiagnostic[]; abort?: AbortController; timer?: NodeJS.Timeout }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly live: LiveDeployment) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc)),
      { dispose: live.onDidChange(() => this.recheckAll()) },
      vscode.languages.registerCodeActionsProvider(SELECTOR, { provideCodeActions: (doc, _range, context) => this.codeActions(doc, context) }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.languages.registerHoverProvider(SELECTOR, { provideHover: (doc, position) => this.hover(doc, position) }),
      vscode.languages.registerCompletionItemProvider(SELECTOR, { provideCompletionItems: (doc, position) => this.complete(doc, position) }, '-', ' '),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** Checks `doc` now (the host tests wait for this). */
  async checkNow(doc: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    await this.check(doc);
    return this.collection.get(doc.uri) ?? [];
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isScript(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); void this.check(doc); }, delay));
  }

  private recheckAll(): void {
    const state = this.live.state;
    for (const o of this.outcomes.values()) { o.abort?.abort(); clearTimeout(o.timer); }
    this.outcomes.clear();
    for (const checker of this.checkers.values()) if (state) checker.setDeployment(state, { now: this.live.now(), expiryWarningDays: this.live.expiryWarningDays() });
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, DEBOUNCE_MS);
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.checkers.get(key)?.dispose();
    this.checkers.delete(key);
    const outcome = this.outcomes.get(key);
    outcome?.abort?.abort();
    clearTimeout(outcome?.timer);
    this.outcomes.delete(key);
    this.collection.delete(doc.uri);
  }

  private async check(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed || !isScript(doc)) return;
    await this.live.ready;
    const state = this.live.state;
    if (!state) {
      this.collection.delete(doc.uri);
      return;
    }
    const key = doc.uri.toString();
    let checker = this.checkers.get(key);
    if (!checker) {
      checker = await ScriptChecker.create(state, { now: this.live.now(), expiryWarningDays: this.live.expiryWarningDays() });
      if (this.checkers.has(key)) checker.dispose();
      else this.checkers.set(key, checker);
      checker = this.checkers.get(key)!;
    }
    const text = doc.getText();
    const outcome = this.outcomes.get(key);
    const found = [...checker.check(text), ...(outcome?.text === text ? outcome.found : [])];
    if (outcome?.text !== text) this.scheduleOutcome(doc, text, state);
    const diagnostics = found.map((d) => {
      const range = new vscode.Range(doc.positionAt(d.start), doc.positionAt(Math.max(d.end, d.start + 1)));
      const diagnostic = new vscode.Diagnostic(range, displayText(d.message), SEVERITY[d.severity]);
      diagnostic.source = SCRIPT_DIAGNOSTIC_SOURCE;
      diagnostic.code = d.code;
      if (d.fixes?.length) this.fixes.set(fixKey(doc.uri, range, d.code), d.fixes);
      return diagnostic;
    });
    this.collection.set(doc.uri, diagnostics);
  }

  /** Runs the cross-statement check (a dry run on a copy of the model) for `text`, then shows its findings with the rest. */
  private scheduleOutcome(doc: vscode.TextDocument, text: string, state: Deployment): void {
    const key = doc.uri.toString();
    const previous = this.outcomes.get(key);
    previous?.abort?.abort();
    clearTimeout(previous?.timer);
    const entry: { text: string; found: ScriptDiagnostic[]; abort?: AbortController; timer?: NodeJS.Timeout } = { text: '', found: [] };
    this.outcomes.set(key, entry);
    entry.timer = setTimeout(() => {
      // Typing paused: a checker whose edits met a syntax error parses afresh at the check below, so what the editor
      // shows equals a check from scratch (`sfb-cert lint`) again.
      const checker = this.checkers.get(key);
      if (checker?.mayDiffer) checker.resync();
      entry.abort = new AbortController();
      const files = serverDriveIfAny(this.live.workspaceFolder);
      checkScriptOutcome(text, state, { now: this.live.now(), expiryWarningDays: this.live.expiryWarningDays(), files, signal: entry.abort.signal }).then((found) => {
        if (this.outcomes.get(key) !== entry || entry.abort?.signal.aborted || doc.isClosed || doc.getText() !== text) return;
        entry.text = text;
        entry.found = found;
        void this.check(doc);
      }, () => undefined);
    }, OUTCOME_DEBOUNCE_MS);
  }

  /** Waits until the cross-statement check of `doc`'s current text has run (the host tests). */
  async outcomeSettled(doc: vscode.TextDocument, timeoutMs = 20_000): Promise<readonly vscode.Diagnostic[]> {
    const until = Date.now() + timeoutMs;
    while (this.outcomes.get(doc.uri.toString())?.text !== doc.getText() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return this.checkNow(doc);
  }

  private codeActions(doc: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== SCRIPT_DIAGNOSTIC_SOURCE) continue;
      for (const fix of this.fixes.get(fixKey(doc.uri, diagnostic.range, String(diagnostic.code))) ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(fix.start), doc.positionAt(fix.end)), fix.newText);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
    }
    return actions;
  }

  private hover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const state = this.live.state;
    const thumbRange = doc.getWordRangeAtPosition(position, /[\u200E]?[0-9A-Fa-f]{40}/);
    if (thumbRange && state) {
      const thumbprint = doc.getText(thumbRange).replace(/\u200E/g, '').toUpperCase();
      const found = findCertificate(state, thumbprint);
      const text = found
        ? `${certificateTooltip(state, found.cert, this.live.now(), [])}\n\nIn the store of: ${escapeMarkdown(found.where.join(', ') || 'the Central Management store only')}`
        : `No modelled store holds a certificate with thumbprint ${thumbprint}.`;
      return new vscode.Hover(new vscode.MarkdownString(text), thumbRange);
    }
    const wordRange = doc.getWordRangeAtPosition(position, /-?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)?/);
    if (!wordRange) return undefined;
    const word = doc.getText(wordRange);
    const spec = findCommand(word);
    if (spec && spec.name in SFB_CMDLETS) {
      const facts = CMDLETS[spec.name as CmdletName];
      const sets = [...new Set(spec.params.flatMap((p) => p.sets ?? []))];
      const lines = [`**${spec.name}**`, '', escapeMarkdown(facts.purpose), '', `Output: ${escapeMarkdown(facts.output)}`, ''];
      if (sets.length) for (const set of sets) lines.push(`*Parameter set ${set}*${spec.defaultSet === set ? ' (default)' : ''}: ${spec.params.filter((p) => !p.sets || p.sets.includes(set)).map((p) => `\`-${p.name}\``).join(' ')}`, '');
      else lines.push(`Parameters: ${spec.params.map((p) => `\`-${p.name}\``).join(' ')}`);
      return new vscode.Hover(new vscode.MarkdownString(lines.join('\n')), wordRange);
    }
    if (word.startsWith('-')) {
      const cmdlet = cmdletBefore(doc.lineAt(position.line).text.slice(0, wordRange.start.character));
      const param = cmdlet && allParams(SFB_CMDLETS[cmdlet]).find((p) => p.name.toLowerCase() === word.slice(1).toLowerCase() || p.aliases?.some((a) => a.toLowerCase() === word.slice(1).toLowerCase()));
      if (param) return new vscode.Hover(new vscode.MarkdownString(`**${cmdlet}** \`${escapeMarkdown(parameterLine(param))}\``), wordRange);
    }
    return undefined;
  }

  private complete(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const prefix = doc.lineAt(position.line).text.slice(0, position.character);
    const state = this.live.state;
    const cmdlet = cmdletBefore(prefix);
    const previous = /-(\w+)\s+[^\s-]*$/.exec(prefix)?.[1]?.toLowerCase();
    if (cmdlet && previous) {
      const param = allParams(SFB_CMDLETS[cmdlet]).find((p) => p.name.toLowerCase() === previous);
      if (param?.name === 'Type') return CERT_USES.map((u) => Object.assign(new vscode.CompletionItem(u.use, vscode.CompletionItemKind.EnumMember), { detail: u.meaning }));
      if (param?.name === 'Thumbprint' && state) {
        return state.pools.flatMap((p) => p.servers.flatMap((s) => s.certificates.map((c) => Object.assign(new vscode.CompletionItem(c.thumbprint, vscode.CompletionItemKind.Value), {
          detail: displayText(`${c.friendlyName ?? c.subject} — ${s.fqdn}`), sortText: `${s.fqdn}|${c.thumbprint}`,
        }))));
      }
      if ((param?.name === 'ReplicaFqdn') && state) return state.pools.flatMap((p) => p.servers.map((s) => new vscode.CompletionItem(s.fqdn, vscode.CompletionItemKind.Reference)));
      if (param?.name === 'Identity') return [new vscode.CompletionItem('global', vscode.CompletionItemKind.Keyword)];
    }
    if (cmdlet && /\s-\w*$/.test(prefix)) {
      return allParams(SFB_CMDLETS[cmdlet]).map((p) => Object.assign(new vscode.CompletionItem(`-${p.name}`, vscode.CompletionItemKind.Property), { detail: parameterLine(p), filterText: `-${p.name}`, range: doc.getWordRangeAtPosition(position, /-\w*/) }));
    }
    if (/(?:^|[|;({])\s*[A-Za-z-]*$/.test(prefix)) {
      return (Object.keys(SFB_CMDLETS) as CmdletName[]).map((name) => Object.assign(new vscode.CompletionItem(name, vscode.CompletionItemKind.Function), { detail: CMDLETS[name].purpose }));
    }
    return [];
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const o of this.outcomes.values()) { o.abort?.abort(); clearTimeout(o.timer); }
    for (const checker of this.checkers.values()) checker.dispose();
    this.checkers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
