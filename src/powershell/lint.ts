// Checking a .ps1 against the deployment, without running it: every call of an SfB certificate cmdlet is bound as
// the shell binds it (the same cmdlet table and binding: unknown or ambiguous parameters, missing values, parameter
// sets, mandatory parameters) and its literal values are judged with the core's rules (-Type values, dates,
// -Identity, thumbprints in the modelled stores, the OAuth candidate's requirements, a staged roll's lead time, plain
// text passwords). No 'vscode' here: the editor (src/ui/scripts) and `sfb-cert lint` share it.
//
// Cheap on a long script: ScriptChecker keeps the syntax tree and re-parses incrementally after an edit
// (tree.edit + parse with the old tree), and keeps each top-level statement's diagnostics by its text, so an edit
// re-judges only the statements it touched. The thumbprint index of a deployment is built once per state.
import { UNCONFIRMED_RULE, checkOAuthCandidate, deploymentVersion, productName, useMissingFromVersion, checkPendingRoll, oauthExportableFinding, normalizeThumbprint, parseCertUse, parseEffectiveDate, type CertUse, type Deployment, type StoredCertificate } from '../core';
import { bind, resolveParameter, type Arg, type ParamSpec } from './binding';
import { findCommand } from './cmdlets';
import { SFB_CMDLETS } from './cmdlets/sfb';
import { ShellError } from './errors';
import { applySameLength, children, commaListEdits, firstError, forEachStatement, loadParser, namedChildren, treeEdit, type Node, type Tree } from './grammar';
import { parseProblems } from './parseErrors';
import { TEXT_START, commonPrefix, commonSuffix, point, pointNear, type Anchor } from './textPoints';
import { staticCommands, type StaticArg, type StaticCommand, type StaticValue } from './staticCommands';
import { PsObject, SecureString, type PsValue } from './values';
import type { Parser } from 'web-tree-sitter';

export type ScriptSeverity = 'error' | 'warning' | 'info';

/** A mechanical fix: replace start..end of the script with `newText`. */
export interface ScriptFix {
  title: string;
  start: number;
  end: number;
  newText: string;
}

export interface ScriptDiagnostic {
  code: string;
  severity: ScriptSeverity;
  /** What is wrong, why, and what to do. */
  message: string;
  /** Offsets (UTF-16) into the script. */
  start: number;
  end: number;
  /** The product's documented behaviour, or SfB Certificates' own rule (then the message says so). */
  source: 'product' | 'extension-rule';
  fixes?: ScriptFix[];
}

export interface CheckOptions {
  /** The model's now (a roll's effective date and validity are judged against it). */
  now: Date;
  expiryWarningDays?: number;
}

// ---------------------------------------------------------------------------------------------
// The deployment's certificates, by thumbprint (built once per state)
// ---------------------------------------------------------------------------------------------

interface Held {
  cert: StoredCertificate;
  /** Server FQDNs whose Personal store holds it; 'Central Management store' for the CMS's copy. */
  where: string[];
}

const INDEXES = new WeakMap<Deployment, Map<string, Held>>();

function certificateIndex(state: Deployment): Map<string, Held> {
  let index = INDEXES.get(state);
  if (index) return index;
  index = new Map();
  const add = (cert: StoredCertificate, where: string) => {
    const held = index!.get(cert.thumbprint);
    if (held) held.where.push(where);
    else index!.set(cert.thumbprint, { cert, where: [where] });
  };
  for (const pool of state.pools) for (const server of pool.servers) for (const cert of server.certificates) add(cert, server.fqdn);
  for (const cert of state.cms.certificates) add(cert, 'Central Management store');
  INDEXES.set(state, index);
  return index;
}

/** Where a certificate is, for messages: "fe01.contoso.com and 3 more". */
function placesText(where: string[]): string {
  return where.length <= 2 ? where.join(' and ') : `${where.slice(0, 2).join(', ')} and ${where.length - 2} more`;
}

// ---------------------------------------------------------------------------------------------
// One command
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER: Record<ParamSpec['type'], () => PsValue> = {
  string: () => 'x', 'string[]': () => ['x'], object: () => new PsObject('Object', { Thumbprint: '', Use: 'Default' }), 'object[]': () => [], switch: () => true, bool: () => true,
  int: () => 1, datetime: () => new Date(0), 'certtype[]': () => ['Default'], securestring: () => new SecureString(''), scriptblock: () => null, password: () => new SecureString(''),
};

function diagnostic(code: string, severity: ScriptSeverity, message: string, at: { start: number; end: number }, source: 'product' | 'extension-rule' = 'product', fixes?: ScriptFix[]): ScriptDiagnostic {
  const text = source === 'extension-rule' && !message.includes(UNCONFIRMED_RULE) ? `${message} ${UNCONFIRMED_RULE}` : message;
  return { code, severity, message: text, start: at.start, end: at.end, source, ...(fixes ? { fixes } : {}) };
}

interface Written {
  param: ParamSpec;
  /** The parameter name as written (absent for a positional value). */
  name?: StaticArg & { kind: 'parameter' };
  value?: StaticValue;
}

/** Judges one SfB cmdlet call; `piped`: it receives pipeline input. */
function checkCommand(command: StaticCommand, piped: boolean, state: Deployment, options: CheckOptions): ScriptDiagnostic[] {
  const spec = findCommand(command.name)!;
  const out: ScriptDiagnostic[] = [];
  const written = new Map<string, Written>();
  const bindArgs: Arg[] = [];
  let broken = false;
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.kind === 'value') {
      bindArgs.push({ kind: 'value', value: arg.value.kind === 'literal' ? (arg.value.items.length === 1 ? arg.value.items[0] : arg.value.items) : 'x', text: arg.text, start: arg.start, end: arg.end });
      continue;
    }
    let param: ParamSpec;
    try {
      param = resolveParameter(spec, arg.name, arg);
    } catch (e) {
      if (!(e instanceof ShellError)) throw e;
      out.push(diagnostic(e.details.errorId.split(',')[0], 'error', `${spec.name}: ${e.message} ${e.details.errorId.startsWith('Ambiguous') ? 'Write more of the name.' : `Check the spelling; the parameters of ${spec.name} are ${spec.params.map((p) => `-${p.name}`).join(', ')}.`}`, arg));
      broken = true;
      continue;
    }
    let value: StaticValue | undefined = arg.colonValue;
    if (!value && param.type !== 'switch' && args[i + 1]?.kind === 'value') value = (args[i + 1] as { value: StaticValue }).value;
    written.set(param.name, { param, name: arg, value });
    // Values are judged below; binding gets a value of the right type so it judges only the command's shape.
    bindArgs.push({ kind: 'parameter', name: arg.name, text: arg.text, start: arg.start, end: arg.end, hasColonValue: Boolean(arg.colonValue), colonValue: arg.colonValue ? PLACEHOLDER[param.type]() : undefined });
    if (!arg.colonValue && param.type !== 'switch' && args[i + 1]?.kind === 'value') {
      const next = args[++i] as StaticArg & { kind: 'value' };
      bindArgs.push({ kind: 'value', value: PLACEHOLDER[param.type](), text: next.text, start: next.start, end: next.end });
    }
  }
  if (!broken) {
    try {
      bind(spec, bindArgs, command, piped ? { value: PLACEHOLDER.object() } : undefined);
    } catch (e) {
      if (!(e instanceof ShellError)) throw e;
      const id = e.details.errorId.split(',')[0];
      const hint: Record<string, string> = {
        MissingMandatoryParameter: 'Add the parameter and its value.',
        MissingArgument: 'Give the parameter a value.',
        AmbiguousParameterSet: `These parameters belong to different parameter sets of ${spec.name}; use the parameters of one set.`,
        PositionalParameterNotFound: 'Name the parameter this value is for.',
        ParameterAlreadyBound: 'Give the parameter once, with a comma list if it takes several values.',
      };
      out.push(diagnostic(id, 'error', `${spec.name}: ${e.message}${hint[id] ? ` ${hint[id]}` : ''}`, { start: e.details.start ?? command.start, end: e.details.end ?? command.end }));
    }
  }
  out.push(...checkValues(spec.name, command, written, state, options, broken));
  return out;
}

function literal(w: Written | undefined): (StaticValue & { kind: 'literal' }) | undefined {
  return w?.value?.kind === 'literal' ? w.value : undefined;
}

/** `broken`: a parameter name could not be resolved, so what is absent is not known (no -Roll-without-date then). */
function checkValues(cmdlet: string, command: StaticCommand, written: Map<string, Written>, state: Deployment, options: CheckOptions, broken: boolean): ScriptDiagnostic[] {
  const out: ScriptDiagnostic[] = [];
  // -Type: every value must be a CertType [S1][S3].
  const typeValue = literal(written.get('Type'));
  const uses: CertUse[] = [];
  for (const item of typeValue?.items ?? []) {
    const use = parseCertUse(item);
    if (use) uses.push(use);
    else out.push(diagnostic('unknown-type', 'error', `${cmdlet}: "${item}" is not a -Type value. Use one of Default, WebServicesInternal, WebServicesExternal, OAuthTokenIssuer, AudioVideoAuthentication, … (the CertType values).`, typeValue!));
  }
  // A use the deployment's product version does not have (XMPPServer on Skype for Business Server 2019 [S53]).
  // Removing such an assignment (the fix the rules give for a leftover one) is fine.
  const reading = deploymentVersion(state);
  for (const use of cmdlet === 'Remove-CsCertificate' ? [] : uses) {
    const why = useMissingFromVersion(use, reading.version);
    if (why) out.push(diagnostic('type-not-in-version', 'error', `${cmdlet}: -Type ${use} does not exist in ${productName(reading.version)} (${reading.basis}): ${why}.`, typeValue!, reading.known ? 'product' : 'extension-rule'));
  }
  const oauth = uses.includes('OAuthTokenIssuer');
  // -Identity: only global is documented for the certificate cmdlets; OAuthTokenIssuer is global [S7].
  const identity = written.get('Identity');
  const identityText = literal(identity)?.items.join(',');
  if (identity && identityText !== undefined && identityText.toLowerCase() !== 'global' && cmdlet !== 'Get-CsManagementStoreReplicationStatus') {
    out.push(diagnostic('identity-not-global', 'error', `${cmdlet}: -Identity "${identityText}" is not modelled; only -Identity global is documented for the certificate cmdlets.${oauth ? ' The OAuthTokenIssuer certificate is assigned once, at global scope.' : ''}`, identity.value!, 'extension-rule',
      [{ title: 'Use -Identity global', start: identity.value!.start, end: identity.value!.end, newText: 'global' }]));
  }
  if (oauth && !identity && (cmdlet === 'Set-CsCertificate' || cmdlet === 'Import-CsCertificate')) {
    out.push(diagnostic('oauth-without-global', 'warning', `${cmdlet} -Type OAuthTokenIssuer without -Identity global: whether it acts globally is undocumented; on one computer only, the Front Ends would be left with different OAuth certificates. Add -Identity global.`, { start: command.nameStart, end: command.nameEnd }, 'extension-rule',
      [{ title: 'Add -Identity global', start: command.nameEnd, end: command.nameEnd, newText: ' -Identity global' }]));
  }
  // -Roll needs -EffectiveDate [S1]; a date the cmdlet would not parse.
  const roll = written.get('Roll');
  const dateWritten = written.get('EffectiveDate');
  if (roll && !dateWritten && !broken) {
    out.push(diagnostic('roll-needs-effective-date', 'error', `${cmdlet}: -Roll needs -EffectiveDate, the date and time the certificate becomes current. Add -EffectiveDate, e.g. -EffectiveDate "7/1/2015" or "7/22/2015 6:00:00 AM".`, roll.name!));
  }
  let effective: Date | undefined;
  const dateValue = literal(dateWritten);
  if (dateValue) {
    const parsed = parseEffectiveDate(dateValue.items.join(','));
    if (parsed.ok) effective = parsed.date;
    else out.push(diagnostic('bad-date', 'error', `${cmdlet}: -EffectiveDate: ${parsed.error.message}${parsed.error.fix ? ` ${parsed.error.fix}` : ''}`, dateValue, parsed.error.source));
  }
  // -Password "…" in plain text: the script file then holds the PFX password.
  const password = written.get('Password');
  const passwordValue = literal(password);
  if (passwordValue?.quoted) {
    out.push(diagnostic('plain-text-password', 'info', `${cmdlet}: the PFX password is written in the script in plain text, so whoever reads the file has it. Read it when the script runs: (Read-Host "PFX password" -AsSecureString).`, passwordValue, 'extension-rule',
      [{ title: 'Read the password with Read-Host -AsSecureString', start: passwordValue.start, end: passwordValue.end, newText: '(Read-Host "PFX password" -AsSecureString)' }]));
  }
  // -Thumbprint: the U+200E mark MMC copies carry; in a modelled store; the OAuth candidate's requirements.
  const thumbValue = literal(written.get('Thumbprint'));
  if (thumbValue && thumbValue.items.length === 1) {
    const typed = thumbValue.items[0];
    const normalized = normalizeThumbprint(typed);
    if ('error' in normalized) {
      out.push(diagnostic('bad-thumbprint', 'error', `${cmdlet}: ${normalized.error} Copy the thumbprint again (Get-ChildItem Cert:\\LocalMachine\\My).`, thumbValue));
    } else {
      if (/[\u200E\u200F\u202A-\u202E\uFEFF]/.test(typed)) {
        out.push(diagnostic('invisible-mark', 'warning', `${cmdlet}: the thumbprint carries an invisible mark (U+200E LEFT-TO-RIGHT MARK), which the Certificates MMC adds when you copy a thumbprint; the cmdlet then finds no certificate. Remove it.`, thumbValue, 'product',
          [{ title: 'Remove the invisible mark', start: thumbValue.start, end: thumbValue.end, newText: normalized.thumbprint }]));
      }
      const held = certificateIndex(state).get(normalized.thumbprint);
      if (!held) {
        out.push(diagnostic('thumbprint-not-found', 'warning', `${cmdlet}: no modelled store holds a certificate with thumbprint ${normalized.thumbprint}. Import it first (Import-CsCertificate -Path …), or check the thumbprint with Get-ChildItem Cert:\\LocalMachine\\My.`, thumbValue, 'extension-rule'));
      } else if (oauth && cmdlet === 'Set-CsCertificate') {
        out.push(...oauthCandidate(cmdlet, held, effective, thumbValue, state, options));
      }
    }
  }
  return out;
}

function oauthCandidate(cmdlet: string, held: Held, effective: Date | undefined, at: { start: number; end: number }, state: Deployment, options: CheckOptions): ScriptDiagnostic[] {
  const cert = held.cert;
  const findings = checkOAuthCandidate(cert, state.sipDomains, options.now, { expiryWarningDays: options.expiryWarningDays, effectiveDate: effective });
  const notExportable = oauthExportableFinding(cert, { path: '' });
  if (notExportable) findings.push(notExportable);
  if (effective) {
    const slot = state.cms.assignments.OAuthTokenIssuer ?? {};
    findings.push(...checkPendingRoll({ ...slot, pending: { thumbprint: cert.thumbprint, effectiveDate: effective.toISOString(), updateTime: options.now.toISOString() } }, 'OAuthTokenIssuer',
      (t) => certificateIndex(state).get(t)?.cert, 'cms.assignments.OAuthTokenIssuer').filter((f) => f.rule !== 'roll.not-in-store'));
  }
  const seen = new Set<string>();
  const distinct = findings.filter((f) => f.severity !== 'info' && !seen.has(f.message) && seen.add(f.message));
  return distinct.map((f) => diagnostic(f.rule, f.severity, `${cmdlet}: ${f.message}${f.fix ? ` ${f.fix}` : ''} (held by ${placesText(held.where)})`, at, f.source));
}

/** The SfB cmdlet calls of one statement, judged. */
function checkStatement(statement: Node, state: Deployment, options: CheckOptions): ScriptDiagnostic[] {
  const out: ScriptDiagnostic[] = [];
  const pipedStarts = new Set<number>();
  const visit = (node: Node) => {
    if (node.type === 'pipeline_chain') {
      let afterPipe = false;
      for (const child of children(node)) {
        if (child.type === '|') afterPipe = true;
        else if (child.type === 'command' && afterPipe) pipedStarts.add(child.startIndex);
      }
    }
    for (const child of namedChildren(node)) visit(child);
  };
  visit(statement);
  for (const command of staticCommands(statement)) {
    const spec = findCommand(command.name);
    if (!spec || !(spec.name in SFB_CMDLETS)) continue;
    out.push(...checkCommand(command, pipedStarts.has(command.start), state, options));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The incremental checker
// ---------------------------------------------------------------------------------------------

interface Cached {
  /** Offsets relative to the statement's start. */
  diagnostics: ScriptDiagnostic[];
}

/** One top-level statement of the last check: where it was, its text and its diagnostics (absolute offsets). */
interface Entry {
  start: number;
  end: number;
  key: string;
  cached: Cached;
  diagnostics: ScriptDiagnostic[];
}

/**
 * What the last re-parse changed, in the new text's offsets: the edited lines [start, newEnd) (they were
 * [start, oldEnd) before), and the span of the comma recoveries it made. A statement outside both has the text it had
 * before, at the same offset before the edit or shifted by newEnd - oldEnd after it.
 */
interface Change {
  start: number;
  oldEnd: number;
  newEnd: number;
  recoveredFrom: number;
  recoveredTo: number;
}

function shift(d: ScriptDiagnostic, by: number): ScriptDiagnostic {
  return { ...d, start: d.start + by, end: d.end + by, ...(d.fixes ? { fixes: d.fixes.map((f) => ({ ...f, start: f.start + by, end: f.end + by })) } : {}) };
}

/**
 * Checks one script as it changes: `check(text)` after every edit. The tree is edited and re-parsed incrementally;
 * statements whose text did not change keep their diagnostics. The deployment and its clock can change too.
 */
export class ScriptChecker {
  private tree: Tree | undefined;
  /** The text the tree was parsed from (comma lists recovered; same length as the script). */
  private parsed = '';
  private raw = '';
  /** Diagnostics by statement text, for statements that moved or came back. */
  private cache = new Map<string, Cached>();
  /** The last check's statements, in order. */
  private entries: Entry[] = [];
  /** An incremental re-parse met a syntax error since the last fresh parse (see `mayDiffer`). */
  private errorSeen = false;
  /** A known row in `parsed` (see textPoints.ts): an edit's position is counted from here, not from the start. */
  private anchor: Anchor = TEXT_START;

  private constructor(private readonly parser: Parser, private state: Deployment, private options: CheckOptions) {}

  static async create(state: Deployment, options: CheckOptions): Promise<ScriptChecker> {
    return new ScriptChecker(await loadParser(), state, options);
  }

  /** A new deployment state or clock: every statement is judged again at the next check. */
  setDeployment(state: Deployment, options: CheckOptions = this.options): void {
    this.state = state;
    this.options = options;
    this.cache.clear();
    this.entries = [];
  }

  /**
   * Whether a fresh check of the same text might read it differently: an edit since the last fresh parse met a
   * syntax error (the grammar's error recovery is not local, and an incremental re-parse may recover from an error
   * differently than a fresh one). The editor resyncs such a checker once typing pauses.
   */
  get mayDiffer(): boolean {
    return this.errorSeen;
  }

  /** The next check parses the script afresh (and equals a check from scratch). */
  resync(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.errorSeen = false;
    this.anchor = TEXT_START;
  }

  check(text: string): ScriptDiagnostic[] {
    const change = this.reparse(text);
    const tree = this.tree!;
    const old = this.entries;
    let o = 0;
    const entries: Entry[] = [];
    const out: ScriptDiagnostic[] = [];
    forEachStatement(tree, (cursor) => {
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      let entry: Entry | undefined;
      // Outside the edited lines and the recoveries, a statement where one was before has the same text (the key).
      if (change && (end <= change.recoveredFrom || start >= change.recoveredTo)) {
        const moved = end <= change.start ? 0 : start >= change.newEnd ? change.newEnd - change.oldEnd : undefined;
        if (moved !== undefined) {
          while (o < old.length && old[o].start < start - moved) o++;
          const was = old[o];
          if (was && was.start === start - moved && was.end === end - moved) entry = moved === 0 ? was : this.entry(start, end, was.key, was.cached);
        }
      }
      if (!entry) {
        const key = this.parsed.slice(start, end);
        let cached = this.cache.get(key);
        if (!cached) {
          const statement = cursor.currentNode;
          cached = { diagnostics: checkStatement(statement, this.state, this.options).map((d) => shift(d, -start)) };
          this.cache.set(key, cached);
        }
        entry = this.entry(start, end, key, cached);
      }
      entries.push(entry);
      for (const d of entry.diagnostics) out.push(d);
    });
    this.entries = entries;
    // The text cache keeps what the script has now, and what it had a few edits ago, within bounds.
    if (this.cache.size > 2 * entries.length + 256) this.cache = new Map(entries.map((e) => [e.key, e.cached]));
    // What the grammar could not read: each ERROR / MISSING node, on every check (the walk only enters subtrees with an error).
    const root = tree.rootNode;
    if (root.hasError) for (const p of parseProblems(root, this.raw)) out.push(diagnostic(p.errorId, 'error', p.message, p));
    return out;
  }

  private entry(start: number, end: number, key: string, cached: Cached): Entry {
    return { start, end, key, cached, diagnostics: cached.diagnostics.length ? cached.diagnostics.map((d) => shift(d, start)) : cached.diagnostics };
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }

  /**
   * Applies the edit from the last text to `text` to the tree, re-parses with it, and recovers comma lists. Says what
   * changed, or undefined after a parse from scratch.
   */
  private reparse(text: string): Change | undefined {
    let tree = this.tree;
    const incremental = tree !== undefined && text !== this.raw;
    let change: Change | undefined = tree && { start: this.parsed.length, oldEnd: this.parsed.length, newEnd: this.parsed.length, recoveredFrom: Infinity, recoveredTo: -Infinity };
    if (!tree) {
      this.parsed = text;
      this.anchor = TEXT_START;
      tree = this.parser.parse(text)!;
    } else if (text !== this.raw) {
      const old = this.raw;
      let start = commonPrefix(old, text);
      const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - start);
      let oldEnd = old.length - suffix;
      let newEnd = text.length - suffix;
      // The edited lines go back to the script's own text, so no comma recovered on them before the edit survives it
      // ("a ,b" with its space deleted would otherwise read "a b"); elsewhere the old recoveries stay, so the tree and
      // its text agree. A line break is a line boundary in both texts where both have it (a recovery turns the breaks
      // it spans into spaces).
      const parsed = this.parsed;
      while (start > 0 && !(old.charCodeAt(start - 1) === 10 && parsed.charCodeAt(start - 1) === 10)) start--;
      while (oldEnd < old.length && !(old.charCodeAt(oldEnd) === 10 && parsed.charCodeAt(oldEnd) === 10)) {
        oldEnd++;
        newEnd++;
      }
      const candidate = parsed.slice(0, start) + text.slice(start, newEnd) + parsed.slice(oldEnd);
      const startPosition = pointNear(parsed, start, this.anchor);
      this.anchor = startPosition;
      tree.edit(treeEdit({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition, oldEndPosition: point(parsed, oldEnd, startPosition, start), newEndPosition: point(candidate, newEnd, startPosition, start) }));
      const next: Tree = this.parser.parse(candidate, tree)!;
      tree.delete();
      tree = next;
      this.parsed = candidate;
      change = { start, oldEnd, newEnd, recoveredFrom: Infinity, recoveredTo: -Infinity };
    }
    this.raw = text;
    for (let round = 0; round < 8 && tree.rootNode.hasError; round++) {
      const edits = commaListEdits(this.parsed, tree.rootNode);
      if (!edits.length) break;
      const before = this.parsed;
      const recovered = applySameLength(before, edits);
      if (change) {
        change.recoveredFrom = Math.min(change.recoveredFrom, edits[0].start);
        change.recoveredTo = Math.max(change.recoveredTo, edits[edits.length - 1].end);
      }
      // Each edit in the coordinates of the text with the earlier ones applied: `recovered` up to its start.
      // The text before the first edit is the same in both: count from the anchor to it, then on from edit to edit.
      let startPosition: { row: number; column: number } = pointNear(before, edits[0].start, this.anchor);
      let at = edits[0].start;
      this.anchor = { offset: at, ...startPosition };
      for (const e of edits) {
        startPosition = point(recovered, e.start, startPosition, at);
        at = e.start;
        tree.edit(treeEdit({ startIndex: e.start, oldEndIndex: e.end, newEndIndex: e.end, startPosition, oldEndPosition: point(before, e.end, startPosition, e.start), newEndPosition: point(recovered, e.end, startPosition, e.start) }));
      }
      const next: Tree = this.parser.parse(recovered, tree)!;
      tree.delete();
      tree = next;
      this.parsed = recovered;
    }
    // The grammar's error recovery is not local, and an incremental re-parse may recover from an error differently
    // than a fresh parse: once an edit leaves one (not a comma list: recovered, or read as one array), a fresh check may differ.
    if (incremental && tree.rootNode.hasError && firstError(tree.rootNode)) this.errorSeen = true;
    this.tree = tree;
    return change;
  }
}

/** Checks a whole script once. */
export async function lintScript(text: string, state: Deployment, options: CheckOptions): Promise<ScriptDiagnostic[]> {
  const checker = await ScriptChecker.create(state, options);
  try {
    return checker.check(text);
  } finally {
    checker.dispose();
  }
}

/** 1-based line and column of an offset, for file:line:col output. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const p = point(text, offset);
  return { line: p.row + 1, column: p.column + 1 };
}
