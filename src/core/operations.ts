// One function per cmdlet / MMC action: (state, args, clock) → OperationOutcome (new state, result, the exact
// PowerShell line, findings, notes). Errors are values and leave the state untouched; the input state is never
// mutated. Every operation first applies the rolls whose effective date has come, and every state change is
// recorded in the history. The UI, the wizard and the history all go through runOperation.
//
// Passwords are used for the duration of a call only: never stored, never in a PowerShell line or the history.
import type { KeyObject } from 'node:crypto';
import { normalizeThumbprint } from './certificates/thumbprint';
import { readCertificateFile, readCertificateFileWithKey } from './certificates/read';
import { UNCONFIRMED_RULE, about, sfbError, type ErrorSource, type SfbError } from './errors';
import { applyDueRolls, clockFor, parseEffectiveDate, systemClock, type AppliedRoll } from './clock';
import {
  CERT_USES, PFX_PASSWORD_NOTE, certUseFacts, formatUsDateTime, isCertUse, isGlobalUse, renderActionComment, renderPowerShell,
  type ActionName, type CertificateReference, type CmdletName, type PowerShellCommand, type ReplicaStatus,
} from './cmdlets';
import type {
  Assignments, CertificateRecord, CertUse, Clock, Deployment, Finding, HistoryEntry, OperationFailed, OperationOutcome, Slot, SlotEntry, StoredCertificate,
} from './model';
import {
  bumpCmsVersion, isUpToDate, replicaStatus, replicaTargets, replicate, updateSlot, usesGlobalOAuth, withReachability, withServer,
  type ReplicationResult, type SlotChange,
} from './replication';
import { defaultComputer, findServer, receivesGlobalCertificates, serverPath, type ServerLocation } from './topology';
import { buildPfx } from './pfx/write';
import { OAUTH_GLOBAL_PATH, checkCertificateForUse, checkOAuthCandidate, checkPendingRoll, type RuleOptions } from './rules';

export { formatCertificateReferences, formatReplicationStatus } from './cmdlets';
export type { CertificateReference, ReplicaStatus } from './cmdlets';
export type { ReplicationResult } from './replication';

// ---------------------------------------------------------------------------------------------
// Arguments, one interface per cmdlet / action
// ---------------------------------------------------------------------------------------------

export interface GetCertificateArgs {
  /** 'global': the Central Management store's assignments. Otherwise the computer's own. */
  identity?: 'global';
  /** The computer the shell runs on (cmdlets without -Identity act on it). Default: a Front End of the CMS pool. */
  computer?: string;
  type?: CertUse[];
  /** SfB Certificates' addition (Get-CsCertificate has no documented -Previous): also list previous and pending. */
  includePreviousAndPending?: boolean;
}

interface CertificateFile {
  /** Display path, as written in the PowerShell line. */
  path: string;
  bytes: Uint8Array;
  /** Used for this call only. */
  password?: string;
  /** Workspace-relative path recorded as StoredCertificate.sourceFile (default: `path`). */
  sourceFile?: string;
}

/** Import-CsCertificate, CMS parameter set: imports and assigns at global scope. */
export interface ImportGlobalArgs extends CertificateFile {
  identity: 'global';
  type: CertUse[];
  effectiveDate?: string;
  roll?: boolean;
}

/** Import-CsCertificate, local parameter set: into one computer's store, nothing assigned. */
export interface ImportLocalArgs extends CertificateFile {
  identity?: undefined;
  computer: string;
  privateKeyExportable?: boolean;
}

export type ImportCertificateArgs = ImportGlobalArgs | ImportLocalArgs;

export interface SetCertificateArgs {
  identity?: 'global';
  /** The computer the shell runs on: its store is searched, and without -Identity its uses are set. */
  computer?: string;
  type: CertUse[];
  /** As typed: spaces, lowercase and invisible marks (U+200E) are cleaned up with a note. */
  thumbprint: string;
  /** US style ("7/1/2015", "7/22/2015 6:00:00 AM") or ISO 8601; no zone = UTC. */
  effectiveDate?: string;
  roll?: boolean;
}

export interface RemoveCertificateArgs {
  identity?: 'global';
  computer?: string;
  type: CertUse[];
  previous?: boolean;
}

export interface ReplicaArgs {
  replicaFqdn?: string;
}

/** Certificates MMC: Export with the private key to a PFX. The store holds no keys, so the source PFX is read again. */
export interface MmcExportArgs {
  computer: string;
  thumbprint: string;
  /** The PFX named by the certificate's sourceFile, and its password. */
  sourceBytes: Uint8Array;
  sourcePassword?: string;
  /** Password protecting the exported file (used for this call only). */
  password: string;
  /** Where the exported file goes (display only; the caller writes the bytes). */
  path: string;
}

/** Certificates MMC: Import of a file into one computer's store. Not replicated. */
export interface MmcImportArgs extends CertificateFile {
  computer: string;
  /** "Mark this key as exportable" — unchecked by default in Windows' import wizard. */
  exportable?: boolean;
}

export interface SimulatedDateArgs {
  /** ISO (or US style); undefined = real time. */
  date: string | undefined;
}

export interface ReachabilityArgs {
  replicaFqdn: string;
  reachable: boolean;
}

/** Every operation's arguments, by the cmdlet (or action) name a request carries. */
export interface OperationArgs {
  'Get-CsCertificate': GetCertificateArgs;
  'Import-CsCertificate': ImportCertificateArgs;
  'Set-CsCertificate': SetCertificateArgs;
  'Remove-CsCertificate': RemoveCertificateArgs;
  'Get-CsManagementStoreReplicationStatus': ReplicaArgs;
  'Invoke-CsManagementStoreReplication': ReplicaArgs;
  'MMC-Export': MmcExportArgs;
  'MMC-Import': MmcImportArgs;
  'Set-SimulatedDate': SimulatedDateArgs;
  'Simulate-ReplicaReachability': ReachabilityArgs;
}

export type OperationName = keyof OperationArgs;

/** A request for one operation (N), or for any of them (the default). */
export type OperationRequest<N extends OperationName = OperationName> = { [K in N]: { cmdlet: K } & OperationArgs[K] }[N];

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export interface AssignmentResult {
  thumbprint: string;
  /** 'global' or the computer's FQDN. */
  scope: string;
  uses: CertUse[];
  /** ISO; set when the assignment was staged with -Roll. */
  effectiveDate?: string;
}

export interface ImportResult {
  thumbprint: string;
  /** 'global' or the computer's FQDN. */
  scope: string;
  hasPrivateKey: boolean;
  /** Set for the CMS parameter set (the import also assigns). */
  assignment?: AssignmentResult;
}

export interface RemoveResult {
  scope: string;
  uses: CertUse[];
  previous: boolean;
  thumbprints: string[];
}

export interface ExportResult {
  thumbprint: string;
  /** The new PKCS #12 file, protected by the new password. */
  pfx: Uint8Array;
}

export interface ReachabilityResult {
  replicaFqdn: string;
  reachable: boolean;
}

export interface ClockResult {
  /** ISO; the model's now after the change. */
  now: string;
  simulated: boolean;
  rollsApplied: AppliedRoll[];
}

/** Every operation's result, by the cmdlet (or action) name: what `run` and `preview` return for a request. */
export interface OperationResults {
  'Get-CsCertificate': CertificateReference[];
  'Import-CsCertificate': ImportResult;
  'Set-CsCertificate': AssignmentResult;
  'Remove-CsCertificate': RemoveResult;
  'Get-CsManagementStoreReplicationStatus': ReplicaStatus[];
  'Invoke-CsManagementStoreReplication': ReplicationResult[];
  'MMC-Export': ExportResult;
  'MMC-Import': ImportResult;
  'Set-SimulatedDate': ClockResult;
  'Simulate-ReplicaReachability': ReachabilityResult;
}

/** The outcome of a request, its result typed by the request's cmdlet. */
export type OutcomeOf<N extends OperationName> = OperationOutcome<OperationResults[N]>;

// ---------------------------------------------------------------------------------------------
// The frame every operation runs in
// ---------------------------------------------------------------------------------------------

interface Applied<R> {
  ok: true;
  state: Deployment;
  result: R;
  powershell: string;
  findings?: Finding[];
  notes?: string[];
  /** The history line; required when the state changed. */
  summary?: string;
  /** The step moved the model's clock: rolls due by then take effect, and what follows is dated then. */
  movedClockTo?: Date;
}

/** What an operation runs with: the clock, and the expiry warning window of the findings it returns (default 45 days). */
export interface OperationContext extends Clock, RuleOptions {}

type Step<A, R> = (state: Deployment, args: A, now: Date, rules: RuleOptions) => Applied<R> | OperationFailed;

function fail(code: string, message: string, fix?: string, options: { source?: ErrorSource; powershell?: string } = {}): OperationFailed {
  return failWith(sfbError(code, message, fix, options.source), options.powershell);
}

function failWith(error: SfbError, powershell?: string): OperationFailed {
  return powershell ? { ok: false, error, powershell } : { ok: false, error };
}

function failed(value: object): value is OperationFailed {
  return (value as { ok?: unknown }).ok === false;
}

/**
 * Applies due rolls, runs the step, applies rolls the step made due (a staged date already past), and records
 * history: one entry for the step, one for each batch of rolls that took effect.
 */
function performWithRolls<A, R>(name: CmdletName | ActionName, step: Step<A, R>, state: Deployment, args: A, clock: OperationContext): { outcome: OperationOutcome<R>; rolls: AppliedRoll[] } {
  const now = clock.now();
  const before = applyDueRolls(state, now);
  const out = step(before.state, args, now, { expiryWarningDays: clock.expiryWarningDays });
  if (!out.ok) return { outcome: out, rolls: [] };
  const later = out.movedClockTo ?? now;
  const after = applyDueRolls(out.state, later);
  const entries: HistoryEntry[] = [];
  if (before.applied.length) entries.push(rollHistory(before.applied, now));
  if (out.state !== before.state) entries.push({ at: later.toISOString(), cmdlet: name, powershell: out.powershell, summary: out.summary ?? `${name} done.` });
  if (after.applied.length) entries.push(rollHistory(after.applied, later));
  const notes = [...describeRolls(before.applied), ...(out.notes ?? []), ...describeRolls(after.applied)];
  const next = entries.length ? { ...after.state, history: [...after.state.history, ...entries] } : after.state;
  return {
    outcome: { ok: true, state: next, result: out.result, powershell: out.powershell, findings: out.findings ?? [], notes },
    rolls: [...before.applied, ...after.applied],
  };
}

function perform<A, R>(name: CmdletName | ActionName, step: Step<A, R>, state: Deployment, args: A, clock: OperationContext): OperationOutcome<R> {
  return performWithRolls(name, step, state, args, clock).outcome;
}

/** One line per use and certificate, however many servers rolled with it. */
function describeRolls(applied: AppliedRoll[]): string[] {
  const groups = new Map<string, AppliedRoll[]>();
  for (const roll of applied) {
    const key = `${roll.use}|${roll.thumbprint}`;
    groups.set(key, [...(groups.get(key) ?? []), roll]);
  }
  return [...groups.values()].map((rolls) => {
    const first = rolls[0];
    const servers = rolls.filter((r) => r.serverFqdn).length;
    const where = [rolls.some((r) => !r.serverFqdn) ? 'global' : '', servers ? `${servers} server${servers === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ');
    return `${first.use} roll took effect (${where}): ${first.thumbprint} is now current${first.previousThumbprint ? `, ${first.previousThumbprint} is previous` : ''} — effective ${formatUsDateTime(new Date(first.effectiveDate))}.`;
  });
}

function rollHistory(applied: AppliedRoll[], now: Date): HistoryEntry {
  return {
    at: now.toISOString(),
    cmdlet: 'Roll',
    powershell: '# Skype for Business Server (automatic): a roll staged with Set-CsCertificate -Roll -EffectiveDate took effect',
    summary: describeRolls(applied).join(' '),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

function lookup(store: readonly StoredCertificate[], thumbprint: string): StoredCertificate | undefined {
  return store.find((c) => c.thumbprint === thumbprint);
}

/** The one place certificates enter a store: replaces an entry with the same thumbprint. */
function withCertificate(store: StoredCertificate[], cert: StoredCertificate): StoredCertificate[] {
  const i = store.findIndex((c) => c.thumbprint === cert.thumbprint);
  if (i < 0) return [...store, cert];
  const out = store.slice();
  out[i] = cert;
  return out;
}

function applySlots(assignments: Assignments, uses: CertUse[], change: SlotChange): Assignments {
  return uses.reduce((acc, use) => updateSlot(acc, use, change), assignments);
}

function describeCert(c: CertificateRecord): string {
  return `${c.thumbprint} (${c.friendlyName || c.subject || 'no subject'})`;
}

/** The named computer, or a clear error (also for a missing or empty name from an untyped caller). */
function locate(state: Deployment, fqdn: string | undefined, powershell: string): ServerLocation | OperationFailed {
  if (typeof fqdn !== 'string' || !fqdn.trim()) {
    return fail('computer-required', 'Name the computer (its FQDN) the command runs on.', 'Choose a server of the topology.', { powershell });
  }
  return findServer(state, fqdn)
    ?? fail('computer-not-found', `No computer named ${fqdn} is in the topology.`, 'Check the FQDN, or import the topology that contains it.', { powershell });
}

/** Requests can come from untyped callers (the wizard's webview): a -Type value must be one of the table's. */
function unknownUses(uses: readonly string[] | undefined, powershell: string): OperationFailed | undefined {
  const unknown = (uses ?? []).filter((u) => !isCertUse(u));
  if (!unknown.length) return undefined;
  return fail('unknown-type', `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is not a -Type value' : 'are not -Type values'}.`,
    `Use one of: ${CERT_USES.map((f) => f.use).join(', ')}.`, { powershell });
}

type Scope = { kind: 'global'; notes: string[] } | { kind: 'computer'; at: ServerLocation; notes: string[] };

/**
 * Where a Set/Remove acts. -Identity global → the CMS. Without it → the named computer; for OAuthTokenIssuer,
 * whose local slot is a replica of the CMS's, the global assignment when the CMS holds one (the docs' cleanup
 * `Remove-CsCertificate -Type OAuthTokenIssuer -Previous` is run without -Identity [S8]), else the computer's own
 * slot (the manual MMC path [S7]).
 */
function resolveScope(state: Deployment, identity: 'global' | undefined, computer: string | undefined, uses: CertUse[] | undefined, powershell: string): Scope | OperationFailed {
  const unknown = unknownUses(uses, powershell);
  if (unknown) return unknown;
  if (!uses?.length) {
    return fail('type-required', 'Name the use(s) with -Type, e.g. -Type OAuthTokenIssuer or -Type Default,WebServicesInternal,WebServicesExternal.', undefined, { powershell });
  }
  const global = uses.filter(isGlobalUse);
  const local = uses.filter((u) => !isGlobalUse(u));
  if (global.length && local.length) {
    return fail('mixed-scopes', `${global.join(', ')} is global but ${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} per computer: run one command for each.`, undefined, { source: 'extension-rule', powershell });
  }
  if (identity === 'global') {
    if (local.length) {
      return fail('type-not-global', `${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} assigned per computer, not at global scope; only OAuthTokenIssuer is global.`,
        `Run it on the computer without -Identity: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', type: local, thumbprint: '<thumbprint>' })}`, { source: 'extension-rule', powershell });
    }
    return { kind: 'global', notes: [] };
  }
  if (global.length && usesGlobalOAuth(state)) {
    return { kind: 'global', notes: ['OAuthTokenIssuer is a global certificate held by the Central Management store: without -Identity the command acts on that global assignment (the computer\'s slot is its replica).'] };
  }
  if (computer === undefined) {
    return fail('computer-required', 'Without -Identity the cmdlet acts on the local computer: name the computer it runs on.', 'Choose a server, or use -Identity global for OAuthTokenIssuer.', { powershell });
  }
  const at = locate(state, computer, powershell);
  if (failed(at)) return at;
  const notes = global.length
    ? [`No global OAuthTokenIssuer assignment exists, so this sets ${at.server.fqdn}'s own slot (the manual path). Skype for Business Server does not replicate it: every Front End must get the same certificate.`]
    : [];
  return { kind: 'computer', at, notes };
}

/** -Roll needs -EffectiveDate [S1][S3]; the model takes -EffectiveDate only with -Roll. */
function readRoll(args: { effectiveDate?: string; roll?: boolean }, powershell: string): { date?: Date; notes: string[] } | OperationFailed {
  if (args.roll && !args.effectiveDate) {
    return fail('roll-needs-effective-date', 'The command fails: -Roll needs -EffectiveDate, the date and time the certificate becomes current.',
      'Add -EffectiveDate, e.g. -EffectiveDate "7/1/2015" or "7/22/2015 6:00:00 AM".', { powershell });
  }
  if (!args.effectiveDate) return { notes: [] };
  if (!args.roll) {
    return fail('effective-date-needs-roll', 'SfB Certificates takes -EffectiveDate only together with -Roll (a staged assignment).',
      'Add -Roll to stage the certificate, or leave out -EffectiveDate to assign it now.', { source: 'extension-rule', powershell });
  }
  const parsed = parseEffectiveDate(args.effectiveDate);
  if (!parsed.ok) return failWith(parsed.error, powershell);
  return { date: parsed.date, notes: parsed.notes };
}

function parsedDate(args: { effectiveDate?: string }): Date | undefined {
  if (!args.effectiveDate) return undefined;
  const parsed = parseEffectiveDate(args.effectiveDate);
  return parsed.ok ? parsed.date : undefined;
}

/** Errors refuse; warnings and infos come back as findings. */
function judgeOAuthCandidate(state: Deployment, cert: CertificateRecord, now: Date, effectiveDate: Date | undefined, rules: RuleOptions, powershell: string): Finding[] | OperationFailed {
  const findings = checkOAuthCandidate(cert, state.sipDomains, now, { ...rules, effectiveDate });
  const errors = findings.filter((f) => f.severity === 'error');
  if (!errors.length) return findings;
  // A finding's message already carries the UNCONFIRMED_RULE label where it is the extension's own rule.
  const error: SfbError = { code: 'oauth-candidate-refused', message: `${describeCert(cert)} cannot be the OAuthTokenIssuer certificate: ${errors.map((f) => f.message).join(' ')}`, source: errors.some((f) => f.unconfirmed) ? 'extension-rule' : 'product' };
  if (errors[0].fix) error.fix = errors[0].fix;
  return failWith(error, powershell);
}

function assignmentChange(thumbprint: string, date: Date | undefined, now: Date): SlotChange {
  const at = now.toISOString();
  return date ? { kind: 'stage', thumbprint, effectiveDate: date.toISOString(), at } : { kind: 'assign', thumbprint, at };
}

/** Notes about what an assignment did to the slot it changed. */
function assignmentNotes(before: Slot | undefined, thumbprint: string, date: Date | undefined, use: CertUse, now: Date): string[] {
  const notes: string[] = [];
  if (date && date.getTime() <= now.getTime()) {
    notes.push(`The effective date has already come, so ${use} rolls at once ${UNCONFIRMED_RULE}.`);
  } else if (date) {
    if (before?.pending && before.pending.thumbprint !== thumbprint) notes.push(`This replaces the roll already staged for ${use} (${before.pending.thumbprint}). What the product does with an earlier staged roll is unconfirmed; the model keeps only the latest.`);
    if (!certUseFacts(use).rollCoexistence) notes.push(`Only AudioVideoAuthentication and OAuthTokenIssuer gain a coexistence window from a roll; ${use} can be staged but gains nothing from it.`);
  } else if (before?.current && before.current.thumbprint !== thumbprint) {
    notes.push(`${before.current.thumbprint} was current and is now kept as the previous ${use} certificate (the model's choice: what an immediate Set-CsCertificate does to the previous certificate is unconfirmed).`);
  }
  return notes;
}

const REPLICATION_MODEL_NOTE = 'Model: the real Master Replicator deploys changes by itself within minutes; here replication runs when you invoke it (Invoke-CsManagementStoreReplication).';

function replicationPendingNote(state: Deployment): string {
  const frontEnds = state.pools.filter(receivesGlobalCertificates).reduce((n, p) => n + p.servers.length, 0);
  return `Central Management store version ${state.cms.version}: replication deploys the certificate to the ${frontEnds} Front End and Standard Edition server${frontEnds === 1 ? '' : 's'}. ${REPLICATION_MODEL_NOTE}`;
}

/** Applies a global OAuthTokenIssuer assignment: the CMS's copy of the certificate, the slot, a new CMS version. */
function assignGlobally(state: Deployment, cert: StoredCertificate, uses: CertUse[], date: Date | undefined, now: Date): Deployment {
  const cms = state.cms;
  const certificates = lookup(cms.certificates, cert.thumbprint) === cert ? cms.certificates : withCertificate(cms.certificates, cert);
  const assignments = applySlots(cms.assignments, uses, assignmentChange(cert.thumbprint, date, now));
  return { ...state, cms: bumpCmsVersion({ ...cms, certificates, assignments }, now) };
}

function rollFindings(assignments: Assignments, uses: CertUse[], store: readonly StoredCertificate[], slotPath: (use: CertUse) => string, serverFqdn?: string): Finding[] {
  return uses.flatMap((use) => {
    const slot = assignments[use];
    return slot ? checkPendingRoll(slot, use, (t) => lookup(store, t), slotPath(use), serverFqdn) : [];
  });
}

function readFile(file: CertificateFile, powershell: string): { record: CertificateRecord; notes: string[] } | OperationFailed {
  const fileName = file.path.split(/[\\/]/).pop() || file.path;
  const read = readCertificateFile(file.bytes, { password: file.password, fileName });
  if (!read.ok) return failWith(about(fileName, read.error), powershell);
  const notes = [...read.notes];
  if (file.password !== undefined) notes.push(PFX_PASSWORD_NOTE);
  return { record: read.record, notes };
}

function normalize(input: string, powershell: string): { thumbprint: string; notes: string[] } | OperationFailed {
  const n = normalizeThumbprint(typeof input === 'string' ? input : '');
  if ('error' in n) {
    return fail('invalid-thumbprint', n.error, 'Copy the thumbprint again, e.g. (Get-CsCertificate -Type Default).Thumbprint or the certificate\'s Details tab.', { powershell });
  }
  return { thumbprint: n.thumbprint, notes: n.notes };
}

// ---------------------------------------------------------------------------------------------
// Get-CsCertificate
// ---------------------------------------------------------------------------------------------

const getStep: Step<GetCertificateArgs, CertificateReference[]> = (state, args) => {
  const powershell = renderPowerShell({ cmdlet: 'Get-CsCertificate', identity: args.identity, type: args.type });
  const unknown = unknownUses(args.type, powershell);
  if (unknown) return unknown;
  const notes: string[] = [];
  let assignments: Assignments;
  let stores: (readonly StoredCertificate[])[];
  let scopeOf: (use: CertUse) => CertificateReference['SourceScope'];
  if (args.identity === 'global') {
    assignments = state.cms.assignments;
    stores = [state.cms.certificates];
    scopeOf = () => 'Global';
  } else {
    const at = args.computer === undefined
      ? defaultComputer(state) ?? fail('no-computer', 'The topology has no Front End to run the cmdlet on.', 'Import a topology first.', { powershell })
      : locate(state, args.computer, powershell);
    if (failed(at)) return at;
    if (args.computer === undefined) notes.push(`Run on ${at.server.fqdn} (a Front End of the pool hosting the Central Management store).`);
    assignments = at.server.assignments;
    stores = [at.server.certificates, state.cms.certificates];
    const mirrored = receivesGlobalCertificates(at.pool) && usesGlobalOAuth(state);
    scopeOf = (use) => (use === 'OAuthTokenIssuer' && mirrored ? 'Global' : 'Local');
    const wantsOAuth = !args.type || args.type.includes('OAuthTokenIssuer');
    if (wantsOAuth && mirrored && !isUpToDate(at.server.replica, state.cms)) {
      notes.push(`${at.server.fqdn}'s replica is at version ${at.server.replica.appliedVersion} of ${state.cms.version}${at.server.replica.unreachable ? ' and unreachable' : ''}: it shows the OAuthTokenIssuer assignment as of its last replication. ` +
        `See the global one with ${renderPowerShell({ cmdlet: 'Get-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'] })}, or run ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: at.server.fqdn })}.`);
    }
  }
  const uses = args.type ?? CERT_USES.map((f) => f.use);
  const roles: ('current' | 'pending' | 'previous')[] = args.includePreviousAndPending ? ['current', 'pending', 'previous'] : ['current'];
  const result: CertificateReference[] = [];
  for (const use of uses) {
    const slot = assignments[use];
    if (!slot) continue;
    for (const role of roles) {
      const entry = slot[role];
      if (!entry) continue;
      const cert = stores.map((s) => lookup(s, entry.thumbprint)).find(Boolean);
      if (!cert) notes.push(`${use} (${role}) refers to ${entry.thumbprint}, which is in no certificate store: its details are empty.`);
      result.push(reference(use, entry, role === 'current' ? slot.previous?.thumbprint : undefined, role, scopeOf(use), cert));
    }
  }
  if (args.includePreviousAndPending) notes.push('Previous and pending objects are SfB Certificates\' view: Get-CsCertificate has no documented -Previous.');
  if (result.some((r) => r.SourceScope === 'Local')) notes.push('SourceScope "Local" is the model\'s value for per-computer uses; Microsoft\'s mock only shows "Global".');
  if (!result.length) notes.push(`Nothing is assigned${args.type ? ` for ${args.type.join(', ')}` : ''}: Get-CsCertificate returns nothing.`);
  return { ok: true, state, result, powershell, notes };
};

function reference(use: CertUse, entry: SlotEntry, previousThumbprint: string | undefined, role: CertificateReference['slot'], scope: CertificateReference['SourceScope'], cert?: StoredCertificate): CertificateReference {
  return {
    Issuer: cert?.issuer ?? '',
    NotAfter: cert?.notAfter ?? '',
    NotBefore: cert?.notBefore ?? '',
    SerialNumber: cert?.serialNumber ?? '',
    Subject: cert?.subject ?? '',
    AlternativeNames: cert ? cert.subjectAlternativeNames.map((s) => s.value) : [],
    Thumbprint: entry.thumbprint,
    Use: use,
    EffectiveDate: entry.effectiveDate,
    PreviousThumbprint: previousThumbprint ?? '',
    UpdateTime: entry.updateTime,
    SourceScope: scope,
    slot: role,
  };
}

// ---------------------------------------------------------------------------------------------
// Import-CsCertificate
// ---------------------------------------------------------------------------------------------

const importStep: Step<ImportCertificateArgs, ImportResult> = (state, args, now, rules) => {
  if (args.identity === 'global') return importGlobal(state, args, now, rules);
  return importLocal(state, args, now);
};

function importGlobal(state: Deployment, args: ImportGlobalArgs, now: Date, rules: RuleOptions): Applied<ImportResult> | OperationFailed {
  const powershell = renderPowerShell({ cmdlet: 'Import-CsCertificate', identity: 'global', type: args.type, path: args.path, password: args.password, effectiveDate: parsedDate(args), roll: args.roll });
  const scope = resolveScope(state, 'global', undefined, args.type, powershell);
  if (failed(scope)) return scope;
  const roll = readRoll(args, powershell);
  if (failed(roll)) return roll;
  const file = readFile(args, powershell);
  if (failed(file)) return file;
  const judged = judgeOAuthCandidate(state, file.record, now, roll.date, rules, powershell);
  if (failed(judged)) return judged;
  const cert: StoredCertificate = { ...file.record, exportable: false, source: 'import', addedAt: now.toISOString(), sourceFile: args.sourceFile ?? args.path };
  const before = state.cms.assignments.OAuthTokenIssuer;
  const next = assignGlobally(state, cert, args.type, roll.date, now);
  const assignment: AssignmentResult = { thumbprint: cert.thumbprint, scope: 'global', uses: args.type, ...(roll.date ? { effectiveDate: roll.date.toISOString() } : {}) };
  return {
    ok: true,
    state: next,
    result: { thumbprint: cert.thumbprint, scope: 'global', hasPrivateKey: cert.hasPrivateKey, assignment },
    powershell,
    findings: [...judged, ...rollFindings(next.cms.assignments, args.type, next.cms.certificates, () => OAUTH_GLOBAL_PATH)],
    notes: [
      ...file.notes, ...roll.notes, ...args.type.flatMap((u) => assignmentNotes(before, cert.thumbprint, roll.date, u, now)),
      'Run this once, on one Front End: do not configure the OAuthTokenIssuer certificate on each Front End.',
      replicationPendingNote(next),
    ],
    summary: roll.date
      ? `Imported ${describeCert(cert)} and staged it as the global ${args.type.join(', ')} certificate from ${formatUsDateTime(roll.date)}.`
      : `Imported ${describeCert(cert)} and assigned it as the global ${args.type.join(', ')} certificate.`,
  };
}

function importLocal(state: Deployment, args: ImportLocalArgs, now: Date): Applied<ImportResult> | OperationFailed {
  const powershell = renderPowerShell({ cmdlet: 'Import-CsCertificate', path: args.path, password: args.password, privateKeyExportable: args.privateKeyExportable });
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const file = readFile(args, powershell);
  if (failed(file)) return file;
  const exportable = file.record.hasPrivateKey && args.privateKeyExportable === true;
  const cert: StoredCertificate = { ...file.record, exportable, source: 'import', addedAt: now.toISOString(), sourceFile: args.sourceFile ?? args.path };
  const notes = [...file.notes];
  if (lookup(at.server.certificates, cert.thumbprint)) notes.push(`${cert.thumbprint} was already in the store of ${at.server.fqdn}; the imported copy replaces it.`);
  if (!cert.hasPrivateKey) notes.push('The file holds no private key: the certificate cannot serve a use that signs or decrypts (every Skype for Business Server use does).');
  else if (!exportable) notes.push('The private key is not exportable (-PrivateKeyExportable $True makes it so): the Certificates MMC will not export it with its key.');
  return {
    ok: true,
    state: withServer(state, at, (s) => ({ ...s, certificates: withCertificate(s.certificates, cert) })),
    result: { thumbprint: cert.thumbprint, scope: at.server.fqdn, hasPrivateKey: cert.hasPrivateKey },
    powershell,
    notes: [...notes, `Imported into the certificate store of ${at.server.fqdn} only; assign it with Set-CsCertificate.`],
    summary: `Imported ${describeCert(cert)} into the store of ${at.server.fqdn}.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Set-CsCertificate
// ---------------------------------------------------------------------------------------------

const setStep: Step<SetCertificateArgs, AssignmentResult> = (state, args, now, rules) => {
  const draft: PowerShellCommand = { cmdlet: 'Set-CsCertificate', identity: args.identity, type: args.type, thumbprint: String(args.thumbprint ?? '').trim(), effectiveDate: parsedDate(args), roll: args.roll };
  const normalized = normalize(args.thumbprint, renderPowerShell(draft));
  if (failed(normalized)) return normalized;
  const powershell = renderPowerShell({ ...draft, thumbprint: normalized.thumbprint });
  const roll = readRoll(args, powershell);
  if (failed(roll)) return roll;
  const scope = resolveScope(state, args.identity, args.computer, args.type, powershell);
  if (failed(scope)) return scope;
  const notes = [...normalized.notes, ...roll.notes, ...scope.notes];
  return scope.kind === 'global'
    ? setGlobal(state, args, normalized.thumbprint, roll.date, now, rules, powershell, notes)
    : setOnComputer(state, scope.at, args, normalized.thumbprint, roll.date, now, rules, powershell, notes);
};

/** The certificate for a global assignment: the CMS's copy, or one from a computer's store (the CMS takes a copy with its key). */
function globalCandidate(state: Deployment, thumbprint: string, computer: string | undefined, powershell: string): { cert: StoredCertificate; notes: string[] } | OperationFailed {
  const held = lookup(state.cms.certificates, thumbprint);
  if (held) return { cert: held, notes: [] };
  let from: ServerLocation | undefined;
  if (computer !== undefined) {
    const at = locate(state, computer, powershell);
    if (failed(at)) return at;
    from = lookup(at.server.certificates, thumbprint) ? at : undefined;
  } else {
    const holders = state.pools.flatMap((pool, poolIndex) => pool.servers.map((server, serverIndex) => ({ server, pool, poolIndex, serverIndex })))
      .filter((loc) => lookup(loc.server.certificates, thumbprint));
    from = holders.find((loc) => lookup(loc.server.certificates, thumbprint)!.hasPrivateKey) ?? holders[0];
  }
  if (!from) {
    return fail('thumbprint-not-found', `No certificate with thumbprint ${thumbprint} is in the Central Management store${computer ? ` or in the store of ${computer}` : ' or in any computer\'s store'}.`,
      'Check the thumbprint (Get-ChildItem Cert:\\LocalMachine\\My lists the store), or import the certificate first: Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path … -Password $pfxPassword', { powershell });
  }
  const local = lookup(from.server.certificates, thumbprint)!;
  if (!local.hasPrivateKey) {
    return fail('no-private-key', `${describeCert(local)} in the store of ${from.server.fqdn} has no private key. The Central Management store takes a copy of the certificate with its private key to deploy it to every Front End, so it cannot use this one.`,
      'Import the certificate from a PFX that contains its private key (Import-CsCertificate -Path … -Password $pfxPassword -PrivateKeyExportable $True), then run this again.', { source: 'extension-rule', powershell });
  }
  const notes = [`The Central Management store takes a copy of ${local.thumbprint} with its private key from the store of ${from.server.fqdn}; replication distributes it, key included, to every Front End.`];
  if (computer === undefined) notes.push(`The certificate was found in the store of ${from.server.fqdn}: run the command there.`);
  if (local.source !== 'replication' && Object.values(from.server.assignments).some((slot) => slot?.current?.thumbprint === local.thumbprint)) {
    notes.push(`It is also in use on ${from.server.fqdn} (e.g. as its Default certificate): reusing a per-server certificate globally puts that certificate on every Front End.`);
  }
  return { cert: local, notes };
}

function setGlobal(state: Deployment, args: SetCertificateArgs, thumbprint: string, date: Date | undefined, now: Date, rules: RuleOptions, powershell: string, notes: string[]): Applied<AssignmentResult> | OperationFailed {
  const found = globalCandidate(state, thumbprint, args.computer, powershell);
  if (failed(found)) return found;
  const before = state.cms.assignments.OAuthTokenIssuer;
  if (date && before?.current?.thumbprint === thumbprint) {
    return fail('roll-same-certificate', `${thumbprint} is already the current OAuthTokenIssuer certificate: there is nothing to roll to.`, 'Stage a different (new) certificate.', { source: 'extension-rule', powershell });
  }
  const judged = judgeOAuthCandidate(state, found.cert, now, date, rules, powershell);
  if (failed(judged)) return judged;
  const next = assignGlobally(state, found.cert, args.type, date, now);
  return {
    ok: true,
    state: next,
    result: { thumbprint, scope: 'global', uses: args.type, ...(date ? { effectiveDate: date.toISOString() } : {}) },
    powershell,
    findings: [...judged, ...rollFindings(next.cms.assignments, args.type, next.cms.certificates, () => OAUTH_GLOBAL_PATH)],
    notes: [...notes, ...found.notes, ...args.type.flatMap((u) => assignmentNotes(before, thumbprint, date, u, now)), replicationPendingNote(next)],
    summary: date
      ? `Staged ${describeCert(found.cert)} to become the global ${args.type.join(', ')} certificate on ${formatUsDateTime(date)}.`
      : `Assigned ${describeCert(found.cert)} as the global ${args.type.join(', ')} certificate.`,
  };
}

function setOnComputer(state: Deployment, at: ServerLocation, args: SetCertificateArgs, thumbprint: string, date: Date | undefined, now: Date, rules: RuleOptions, powershell: string, notes: string[]): Applied<AssignmentResult> | OperationFailed {
  const server = at.server;
  const cert = lookup(server.certificates, thumbprint);
  if (!cert) {
    return fail('thumbprint-not-found', `No certificate with thumbprint ${thumbprint} is in the certificate store of ${server.fqdn}.`,
      `Import it on ${server.fqdn} first (Import-CsCertificate -Path … -Password $pfxPassword, or the Certificates MMC), or check the thumbprint with Get-ChildItem Cert:\\LocalMachine\\My.`, { powershell });
  }
  if (!cert.hasPrivateKey) {
    return fail('no-private-key', `${describeCert(cert)} has no private key in the store of ${server.fqdn}, so it cannot serve ${args.type.join(', ')}.`,
      'Import it from a PFX that contains the private key, then assign it.', { source: 'extension-rule', powershell });
  }
  const current = args.type.filter((u) => server.assignments[u]?.current?.thumbprint === thumbprint);
  if (date && current.length) {
    return fail('roll-same-certificate', `${thumbprint} is already the current ${current.join(', ')} certificate on ${server.fqdn}: there is nothing to roll to.`, 'Stage a different (new) certificate.', { source: 'extension-rule', powershell });
  }
  const path = serverPath(at);
  const findings: Finding[] = [];
  if (args.type.includes('OAuthTokenIssuer')) {
    const judged = judgeOAuthCandidate(state, cert, now, date, rules, powershell);
    if (failed(judged)) return judged;
    findings.push(...judged);
  } else {
    const where = { path: `${path}.certificates[${server.certificates.indexOf(cert)}]`, serverFqdn: server.fqdn, thumbprint, use: args.type[0] };
    findings.push(...checkCertificateForUse(cert, args.type[0], state.sipDomains, now, { ...rules, effectiveDate: date, where }));
  }
  const assignments = applySlots(server.assignments, args.type, assignmentChange(thumbprint, date, now));
  findings.push(...rollFindings(assignments, args.type, server.certificates, (u) => `${path}.assignments.${u}`, server.fqdn));
  if (args.type.length > 1) notes.push(`Get-CsCertificate lists one object per use: ${thumbprint} now appears ${args.type.length} times (${args.type.join(', ')}).`);
  return {
    ok: true,
    state: withServer(state, at, (s) => ({ ...s, assignments })),
    result: { thumbprint, scope: server.fqdn, uses: args.type, ...(date ? { effectiveDate: date.toISOString() } : {}) },
    powershell,
    findings,
    notes: [...notes, ...args.type.flatMap((u) => assignmentNotes(server.assignments[u], thumbprint, date, u, now))],
    summary: date
      ? `On ${server.fqdn}: staged ${describeCert(cert)} as ${args.type.join(', ')} from ${formatUsDateTime(date)}.`
      : `On ${server.fqdn}: assigned ${describeCert(cert)} as ${args.type.join(', ')}.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Remove-CsCertificate
// ---------------------------------------------------------------------------------------------

const removeStep: Step<RemoveCertificateArgs, RemoveResult> = (state, args, now) => {
  const powershell = renderPowerShell({ cmdlet: 'Remove-CsCertificate', identity: args.identity, type: args.type, previous: args.previous });
  const scope = resolveScope(state, args.identity, args.computer, args.type, powershell);
  if (failed(scope)) return scope;
  const role = args.previous ? 'previous' : 'current';
  const assignments = scope.kind === 'global' ? state.cms.assignments : scope.at.server.assignments;
  const where = scope.kind === 'global' ? 'at global scope' : `on ${scope.at.server.fqdn}`;
  const empty = args.type.filter((u) => !assignments[u]?.[role]);
  if (empty.length) {
    return fail('nothing-to-remove', `No ${role} ${empty.join(', ')} certificate is assigned ${where}.`,
      args.previous ? 'A previous certificate exists only after a roll (or a replaced assignment).' : `See what is assigned: ${renderPowerShell({ cmdlet: 'Get-CsCertificate', identity: args.identity, type: args.type })}`, { powershell });
  }
  const thumbprints = args.type.map((u) => assignments[u]![role]!.thumbprint);
  const updated = applySlots(assignments, args.type, { kind: args.previous ? 'remove-previous' : 'remove-current' });
  const next = scope.kind === 'global'
    ? { ...state, cms: bumpCmsVersion({ ...state.cms, assignments: updated }, now) }
    : withServer(state, scope.at, (s) => ({ ...s, assignments: updated }));
  const notes = [...scope.notes, 'The certificate stays in the certificate store; Skype for Business Server stops using it for these uses. The real cmdlet asks for confirmation when the certificate is in use (-Force skips the prompt).'];
  if (!args.previous && args.type.some((u) => assignments[u]?.pending)) notes.push('The staged roll stays: its certificate becomes current at its effective date.');
  if (scope.kind === 'global') notes.push(replicationPendingNote(next));
  return {
    ok: true,
    state: next,
    result: { scope: scope.kind === 'global' ? 'global' : scope.at.server.fqdn, uses: args.type, previous: Boolean(args.previous), thumbprints },
    powershell,
    notes,
    summary: `Removed the ${role} ${args.type.join(', ')} certificate (${[...new Set(thumbprints)].join(', ')}) ${where}.`,
  };
};

// ---------------------------------------------------------------------------------------------
// Replication
// ---------------------------------------------------------------------------------------------

const replicationStatusStep: Step<ReplicaArgs, ReplicaStatus[]> = (state, args) => {
  const powershell = renderPowerShell({ cmdlet: 'Get-CsManagementStoreReplicationStatus', replicaFqdn: args.replicaFqdn });
  const targets = replicaTargets(state, args.replicaFqdn);
  if (!targets.ok) return failWith(targets.error, powershell);
  const result = replicaStatus(state, targets.targets);
  const behind = result.filter((r) => !r.UpToDate);
  const notes = behind.length
    ? [`${behind.length} replica${behind.length === 1 ? ' is' : 's are'} not up to date with version ${state.cms.version}: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication' })}. ${REPLICATION_MODEL_NOTE}`]
    : [];
  return { ok: true, state, result, powershell, notes };
};

const invokeReplicationStep: Step<ReplicaArgs, ReplicationResult[]> = (state, args, now) => {
  const powershell = renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: args.replicaFqdn });
  const targets = replicaTargets(state, args.replicaFqdn);
  if (!targets.ok) return failWith(targets.error, powershell);
  const { state: next, results } = replicate(state, targets.targets, now);
  const failed = results.filter((r) => !r.upToDate);
  const deployed = results.filter((r) => r.deployedOAuth).length;
  const findings: Finding[] = targets.targets.filter((t) => t.server.replica.unreachable).map((t) => ({
    rule: 'replication.failed',
    severity: 'error',
    message: results.find((r) => r.replicaFqdn === t.server.fqdn)!.error!,
    where: { path: `${serverPath(t)}.replica`, serverFqdn: t.server.fqdn },
    fix: `Restore the connection, then: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: t.server.fqdn })}`,
  }));
  return {
    ok: true,
    state: next,
    result: results,
    powershell,
    findings,
    notes: [REPLICATION_MODEL_NOTE, ...(deployed ? [`The global OAuthTokenIssuer certificate was deployed to ${deployed} Front End and Standard Edition server${deployed === 1 ? '' : 's'}.`] : [])],
    summary: `Replicated Central Management store version ${state.cms.version} to ${results.length - failed.length} of ${results.length} replica${results.length === 1 ? '' : 's'}${failed.length ? `; failed: ${failed.map((r) => r.replicaFqdn).join(', ')}` : ''}.`,
  };
};

// ---------------------------------------------------------------------------------------------
// Certificates MMC (not cmdlets)
// ---------------------------------------------------------------------------------------------

const mmcExportStep: Step<MmcExportArgs, ExportResult> = (state, args) => {
  const describe = (thumbprint: string) => `on ${args.computer}: Personal → ${thumbprint} → All Tasks → Export… → Yes, export the private key → PKCS #12 (.PFX), include all certificates in the certification path, export all extended properties → password → "${args.path}"`;
  const powershell = renderActionComment('MMC-Export', describe(String(args.thumbprint ?? '').trim()));
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const normalized = normalize(args.thumbprint, powershell);
  if (failed(normalized)) return normalized;
  const line = renderActionComment('MMC-Export', describe(normalized.thumbprint));
  const cert = lookup(at.server.certificates, normalized.thumbprint);
  if (!cert) return fail('thumbprint-not-found', `No certificate with thumbprint ${normalized.thumbprint} is in the Personal store of ${at.server.fqdn}.`, 'Pick a certificate from that computer\'s store.', { powershell: line });
  if (!cert.hasPrivateKey) {
    return fail('no-private-key', `${describeCert(cert)} has no private key on ${at.server.fqdn}: the export wizard can only write the certificate without it (a .cer), which is useless on the other Front Ends.`,
      'Export from the computer that holds the private key, or import the certificate there from its PFX.', { powershell: line });
  }
  if (!cert.exportable) {
    return fail('key-not-exportable', `"Yes, export the private key" is greyed out for ${describeCert(cert)}: its private key was not marked exportable when it was imported or requested.`,
      'Import it again from its PFX with -PrivateKeyExportable $True (or tick "Mark this key as exportable"), or request it again with -PrivateKeyExportable $True.', { powershell: line });
  }
  if (!cert.sourceFile) {
    return fail('no-source-file', `SfB Certificates never stores private keys, and ${describeCert(cert)} did not come from a PFX file it can read again.`,
      'Import the certificate from its PFX file, then export it.', { powershell: line });
  }
  if (!args.password) {
    return fail('password-required', 'The Certificates MMC requires a password to protect an exported private key.', 'Type a password for the new PFX file.', { powershell: line });
  }
  const source = keyAndPathFromPfx(args.sourceBytes, args.sourcePassword, normalized.thumbprint, cert.sourceFile);
  if ('code' in source) return failWith(source, line);
  const pfx = buildPfx({ certificates: source.certificates, privateKey: source.privateKey, password: args.password, encryption: 'aes256', friendlyName: cert.friendlyName });
  return {
    ok: true,
    state,
    result: { thumbprint: cert.thumbprint, pfx: new Uint8Array(pfx) },
    powershell: line,
    notes: [
      ...normalized.notes,
      'Never tick "Delete the private key if the export is successful".',
      'The new password protects only the exported file; SfB Certificates does not keep it.',
      'Import the file on every other Front End: Skype for Business Server does not replicate a certificate copied this way.',
    ],
  };
};

/**
 * Reopens the PFX a certificate came from, read and selected as on import: its end-entity certificate (which must be
 * this one), only its certification path ("Include all certificates in the certification path"), and its private
 * key, which lives only for this call.
 */
function keyAndPathFromPfx(bytes: Uint8Array, password: string | undefined, thumbprint: string, fileName: string): { certificates: Buffer[]; privateKey: KeyObject } | SfbError {
  const choose = 'Choose the PFX file this certificate was imported from.';
  const read = readCertificateFileWithKey(bytes, { password, fileName });
  if (!read.ok) return about(fileName, read.error);
  if (read.format !== 'pkcs12') return sfbError('pfx-mismatch', `${fileName} is not a PKCS #12 (.pfx) file.`, choose);
  const { endEntity, privateKey, path } = read.selection;
  if (endEntity.fields.thumbprint !== thumbprint) {
    return sfbError('pfx-mismatch', `${fileName} holds the certificate ${endEntity.fields.thumbprint} (${endEntity.fields.subject || 'empty subject'}), not ${thumbprint}.`, choose);
  }
  if (!privateKey) return sfbError('no-private-key', `${fileName} holds the certificate ${thumbprint} but not its private key.`, 'Choose a PFX that contains the private key.');
  return { certificates: [endEntity.der, ...path.map((c) => c.der)], privateKey };
}

const mmcImportStep: Step<MmcImportArgs, ImportResult> = (state, args, now) => {
  const exportable = args.exportable === true;
  const powershell = renderActionComment('MMC-Import', `on ${args.computer}: Personal → All Tasks → Import… → "${args.path}"${args.password !== undefined ? ' → password' : ''} → Mark this key as exportable: ${exportable ? 'Yes' : 'No'}`);
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const file = readFile(args, powershell);
  if (failed(file)) return file;
  const cert: StoredCertificate = { ...file.record, exportable: exportable && file.record.hasPrivateKey, source: 'mmc-import', addedAt: now.toISOString(), sourceFile: args.sourceFile ?? args.path };
  const notes = file.notes.filter((n) => n !== PFX_PASSWORD_NOTE);
  if (!cert.hasPrivateKey) notes.push('The file holds no private key: this Front End cannot sign tokens with the certificate. Export it again with "Yes, export the private key".');
  if (!args.exportable) notes.push('"Mark this key as exportable" was left unchecked (Windows\' default): this copy cannot be exported with its key.');
  notes.push(`Skype for Business Server does not replicate a certificate imported this way: import it on every Front End, then assign it on each (Deployment Wizard, Step 3).`);
  return {
    ok: true,
    state: withServer(state, at, (s) => ({ ...s, certificates: withCertificate(s.certificates, cert) })),
    result: { thumbprint: cert.thumbprint, scope: at.server.fqdn, hasPrivateKey: cert.hasPrivateKey },
    powershell,
    notes,
    summary: `Certificates MMC on ${at.server.fqdn}: imported ${describeCert(cert)}.`,
  };
};

// ---------------------------------------------------------------------------------------------
// The model's own actions
// ---------------------------------------------------------------------------------------------

const reachabilityStep: Step<ReachabilityArgs, ReachabilityResult> = (state, args) => {
  const powershell = renderActionComment('Simulate-ReplicaReachability', `${args.replicaFqdn} ${args.reachable ? 'reachable again' : 'unreachable (simulated outage)'}`);
  const at = locate(state, args.replicaFqdn, powershell);
  if (failed(at)) return at;
  const unchanged = at.server.replica.unreachable === !args.reachable;
  return {
    ok: true,
    state: unchanged ? state : withReachability(state, at, args.reachable),
    result: { replicaFqdn: at.server.fqdn, reachable: args.reachable },
    powershell,
    notes: args.reachable
      ? [`${at.server.fqdn} is reachable; it stays behind until replication runs: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: at.server.fqdn })}`]
      : [`Replication to ${at.server.fqdn} now fails; Get-CsManagementStoreReplicationStatus shows it UpToDate False once the CMS changes.`],
    summary: `${at.server.fqdn} is ${args.reachable ? 'reachable again' : 'unreachable (simulated outage)'}.`,
  };
};

// ---------------------------------------------------------------------------------------------
// Exported operations
// ---------------------------------------------------------------------------------------------

export function getCertificate(state: Deployment, args: GetCertificateArgs, clock: OperationContext): OperationOutcome<CertificateReference[]> {
  return perform('Get-CsCertificate', getStep, state, args, clock);
}

export function importCertificate(state: Deployment, args: ImportCertificateArgs, clock: OperationContext): OperationOutcome<ImportResult> {
  return perform('Import-CsCertificate', importStep, state, args, clock);
}

export function setCertificate(state: Deployment, args: SetCertificateArgs, clock: OperationContext): OperationOutcome<AssignmentResult> {
  return perform('Set-CsCertificate', setStep, state, args, clock);
}

export function removeCertificate(state: Deployment, args: RemoveCertificateArgs, clock: OperationContext): OperationOutcome<RemoveResult> {
  return perform('Remove-CsCertificate', removeStep, state, args, clock);
}

export function getReplicationStatus(state: Deployment, args: ReplicaArgs, clock: OperationContext): OperationOutcome<ReplicaStatus[]> {
  return perform('Get-CsManagementStoreReplicationStatus', replicationStatusStep, state, args, clock);
}

export function invokeReplication(state: Deployment, args: ReplicaArgs, clock: OperationContext): OperationOutcome<ReplicationResult[]> {
  return perform('Invoke-CsManagementStoreReplication', invokeReplicationStep, state, args, clock);
}

/** Certificates MMC: export with the private key. Changes nothing in the deployment. */
export function mmcExport(state: Deployment, args: MmcExportArgs, clock: OperationContext): OperationOutcome<ExportResult> {
  return perform('MMC-Export', mmcExportStep, state, args, clock);
}

/** Certificates MMC: import into one computer's store (no replication). */
export function mmcImport(state: Deployment, args: MmcImportArgs, clock: OperationContext): OperationOutcome<ImportResult> {
  return perform('MMC-Import', mmcImportStep, state, args, clock);
}

/** Simulated outage on or off. */
export function setReplicaReachable(state: Deployment, replicaFqdn: string, reachable: boolean, clock: Clock = clockFor(state)): OperationOutcome<ReachabilityResult> {
  return perform('Simulate-ReplicaReachability', reachabilityStep, state, { replicaFqdn, reachable }, clock);
}

/**
 * Moves the model's clock (ISO or US style; undefined = back to real time) and applies the rolls that are due
 * by then. Moving it back does not undo rolls that already took effect (Undo does).
 */
export function setSimulatedNow(state: Deployment, date: string | undefined, realClock: Clock = systemClock): OperationOutcome<ClockResult> {
  const parsed = date === undefined ? { ok: true as const, date: realClock.now(), notes: [] } : parseEffectiveDate(date);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const target = parsed.date;
  const notes = [...parsed.notes];
  if (target.getTime() < clockFor(state, realClock).now().getTime()) notes.push('The clock moved back: rolls that already took effect stay applied (use Undo to go back).');
  const powershell = renderActionComment('Set-SimulatedDate', date === undefined ? 'back to real time' : `simulated clock set to ${formatUsDateTime(target)} (UTC)`);
  const step: Step<undefined, ClockResult> = (s) => {
    const next = { ...s };
    if (date === undefined) delete next.simulatedNow;
    else next.simulatedNow = target.toISOString();
    return {
      ok: true,
      state: next,
      result: { now: target.toISOString(), simulated: date !== undefined, rollsApplied: [] },
      powershell,
      notes,
      summary: date === undefined ? 'Back to real time.' : `Simulated clock set to ${formatUsDateTime(target)} (UTC).`,
      movedClockTo: target,
    };
  };
  const { outcome, rolls } = performWithRolls('Set-SimulatedDate', step, state, undefined, clockFor(state, realClock));
  return outcome.ok ? { ...outcome, result: { ...outcome.result, rollsApplied: rolls } } : outcome;
}

type Handlers = { [N in OperationName]: (state: Deployment, request: OperationRequest<N>, context: OperationContext) => OutcomeOf<N> };

const HANDLERS: Handlers = {
  'Get-CsCertificate': getCertificate,
  'Import-CsCertificate': importCertificate,
  'Set-CsCertificate': setCertificate,
  'Remove-CsCertificate': removeCertificate,
  'Get-CsManagementStoreReplicationStatus': getReplicationStatus,
  'Invoke-CsManagementStoreReplication': invokeReplication,
  'MMC-Export': mmcExport,
  'MMC-Import': mmcImport,
  'Set-SimulatedDate': (state, request) => setSimulatedNow(state, request.date),
  'Simulate-ReplicaReachability': (state, request, clock) => setReplicaReachable(state, request.replicaFqdn, request.reachable, clock),
};

/** The one entry point: the UI, the wizard and the history all go through it. The result is typed by the request's cmdlet. */
export function runOperation<N extends OperationName>(state: Deployment, request: OperationRequest<N>, context: OperationContext): OutcomeOf<N> {
  const handler: Handlers[N] = HANDLERS[request.cmdlet];
  return handler(state, request, context);
}

