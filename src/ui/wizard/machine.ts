// The Deployment Wizard's pages as a pure state machine: no 'vscode', no I/O. The panel (panel.ts) feeds it the
// webview's (already parsed) messages and the deployment; it answers with the next UI state and, where something
// must happen outside (run an operation, read a file, open the log), an effect for the panel to perform. `view`
// turns a UI state into the complete page the webview renders.
//
// Pages follow sfb-reference.md §5: the Deployment Wizard home, the Skype for Business Server steps page, the
// Certificate Wizard, the Certificate Assignment wizard (§5.4) and the import path (§5.5). What Microsoft does
// not document is labelled on the page (PageView.unconfirmed).
import { PFX_PASSWORD_NOTE, formatUsDateTime, isGlobalUse, psString, renderPowerShell, readCertificateFile, findServer, receivesGlobalCertificates, checkCertificateForUse, type CertificateRecord, type CertUse, type Deployment, type Finding, type OperationOutcome, type Pool, type PoolKind, type Server, type Severity, type Slot, type StoredCertificate, type OperationRequest, type ServerLocation } from '../../core';
import type {
  ButtonView, CertificateDetailsView, CertificateRowView, CommandRunView, DeploymentStepView, FieldView, PageBody, PageId, PageView,
  ReplicaRowView, SavedState, StatusTone, StatusView, ToHost, ToHostType, UseRowId, UseRowView,
} from '../../shared/protocol';
import { certificateName } from '../treeModel';

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** What the wizard is given about the deployment. */
export interface WizardContext {
  state: Deployment | undefined;
  findings: readonly Finding[];
  now: Date;
  /** The expiry warning window (days) of the user's settings, as the tree and the Problems panel use it. */
  expiryWarningDays: number;
}

/** What the rules need besides the deployment: the time and the expiry warning window. */
type RuleTime = Pick<WizardContext, 'now' | 'expiryWarningDays'>;

export interface ImportForm {
  path: string;
  hasPrivateKey: boolean;
  /** Bumped when the host changes the form, so the webview drops what the user had typed (the password too). */
  revision: number;
  /** Why the file cannot be imported (the certificate reader's message); nothing was changed. */
  error?: string;
}

/** A file the reader accepted, waiting on the Import Certificate Summary page. Never holds the password. */
export interface ImportCandidate {
  path: string;
  passwordGiven: boolean;
  record: CertificateRecord;
  notes: string[];
}

export interface Execution {
  runs: CommandRunView[];
  ok: boolean;
  /** A global assignment: the Central Management store version it created and the certificate replication deploys. */
  global?: { cmsVersion: number; thumbprint: string };
}

export interface WizardUi {
  readonly serverFqdn?: string;
  readonly page: PageId;
  /** Certificate Wizard row. */
  readonly use?: UseRowId;
  /** Certificate Store selection. */
  readonly thumbprint?: string;
  /** The selected certificate's warnings were accepted. */
  readonly override: boolean;
  /** Certificate whose details are shown on the Certificate Store page. */
  readonly details?: string;
  /** Replicate right after a global assignment. */
  readonly replicate: boolean;
  readonly importForm: ImportForm;
  readonly importCandidate?: ImportCandidate;
  readonly execution?: Execution;
  /** No user intent was applied yet: the webview's saved state may still restore the page. */
  readonly pristine: boolean;
}

export type SetCertificateRequest = Extract<OperationRequest, { cmdlet: 'Set-CsCertificate' }>;

/** What the panel must do outside the machine. */
export type Effect =
  | { kind: 'dispose' }
  | { kind: 'show-log' }
  | { kind: 'browse' }
  /** Read the file, then call `importFileRead` (the password lives only until then). */
  | { kind: 'read-import'; path: string; hasPrivateKey: boolean; password?: string }
  /** Run the assignment (then replication when `replicate`), then call `assignExecuted`. */
  | { kind: 'run-assign'; request: SetCertificateRequest; replicate: boolean }
  /** Run `importRequest(...)` with the bytes and password kept since `importFileRead`, then call `importExecuted`. */
  | { kind: 'run-import' };

export type Transition = { ok: true; ui: WizardUi; effect?: Effect } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------------
// Facts: rows per server kind, pages of the sub-wizards, wording
// ---------------------------------------------------------------------------------------------

interface RowFacts {
  label: string;
  uses: CertUse[];
}

const ROW_FACTS: Record<UseRowId, RowFacts> = {
  Default: { label: 'Default', uses: ['Default'] },
  WebServicesInternal: { label: 'WebServicesInternal', uses: ['WebServicesInternal'] },
  WebServicesExternal: { label: 'WebServicesExternal', uses: ['WebServicesExternal'] },
  OAuthTokenIssuer: { label: 'OAuthTokenIssuer', uses: ['OAuthTokenIssuer'] },
  EdgeInternal: { label: 'Edge internal', uses: ['Internal'] },
  // The uses the wizard assigns together on an Edge (SfB 2019: no XMPP) [S17].
  EdgeExternal: { label: 'Edge external', uses: ['AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'] },
};

const ROWS_BY_POOL: Record<PoolKind, UseRowId[]> = {
  FrontEndEnterprise: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  StandardEdition: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  Director: ['Default', 'WebServicesInternal', 'WebServicesExternal'],
  Mediation: ['Default'],
  Edge: ['EdgeInternal', 'EdgeExternal'],
};

const ROLE_NAME: Record<PoolKind, string> = {
  FrontEndEnterprise: 'Front End',
  StandardEdition: 'Standard Edition',
  Director: 'Director',
  Mediation: 'Mediation',
  Edge: 'Edge',
};

const DEPLOYMENT_WINDOW = 'Skype for Business Server - Deployment Wizard';
const ASSIGN_PAGES: PageId[] = ['assign-intro', 'assign-store', 'assign-summary', 'assign-executing'];
const IMPORT_PAGES: PageId[] = ['import-tasks', 'import-file', 'import-summary', 'import-executing'];
const PAGE_TITLES: Record<PageId, string> = {
  'no-deployment': 'Skype for Business Server Deployment Wizard',
  home: 'Skype for Business Server Deployment Wizard',
  steps: 'Skype for Business Server',
  certificates: 'Certificate Wizard',
  'assign-intro': 'Certificate Assignment',
  'assign-store': 'Certificate Store',
  'assign-summary': 'Certificate Assignment Summary',
  'assign-executing': 'Executing Commands',
  'import-tasks': 'Available Certificate Tasks',
  'import-file': 'Import Certificate',
  'import-summary': 'Import Certificate Summary',
  'import-executing': 'Executing Commands',
};

export const LAYOUT_NOT_CONFIRMED = '(layout not confirmed by Microsoft documentation)';
export const REQUEST_NOT_SIMULATED =
  'Request is not simulated here: Request-CsCertificate sends the request to a certification authority, which SfB Certificates does not model. Get the certificate from your CA, then use Import Certificate.';
const STEP_NOT_SIMULATED = 'Not simulated by SfB Certificates: the step\'s state comes from the deployment file (the server\'s "setup" record).';
/** The report file the Deployment Wizard passes to Set-CsCertificate, as observed [S17]; the time is when it runs. */
export const REPORT_PATH_PATTERN = '%TEMP%\\Set-CSCertificate-[yyyy_MM_dd][HH_mm_ss].html';
export const REPLICATE_ALL: OperationRequest = { cmdlet: 'Invoke-CsManagementStoreReplication' };

// ---------------------------------------------------------------------------------------------
// Reading the deployment
// ---------------------------------------------------------------------------------------------

function locate(ui: WizardUi, ctx: WizardContext): ServerLocation | undefined {
  return ctx.state && ui.serverFqdn ? findServer(ctx.state, ui.serverFqdn) : undefined;
}

/** The server the wizard starts on: the first Front End (or Standard Edition server), else the first server. */
function defaultServer(state: Deployment): string | undefined {
  const pool = state.pools.find((p) => receivesGlobalCertificates(p) && p.servers.length) ?? state.pools.find((p) => p.servers.length);
  return pool?.servers[0].fqdn;
}

function rowsOf(pool: Pool): UseRowId[] {
  return ROWS_BY_POOL[pool.kind];
}

function isGlobalRow(row: UseRowId): boolean {
  return ROW_FACTS[row].uses.every(isGlobalUse);
}

/**
 * The slots a row shows. OAuthTokenIssuer: the Central Management store's slot once a global assignment was ever
 * made, else the computer's own (the manual MMC path [S7]).
 */
function rowSlots(state: Deployment, server: Server, row: UseRowId): (Slot | undefined)[] {
  if (isGlobalRow(row) && state.cms.assignments.OAuthTokenIssuer) return [state.cms.assignments.OAuthTokenIssuer];
  return ROW_FACTS[row].uses.map((u) => server.assignments[u]);
}

function lookupFor(state: Deployment, server: Server, row: UseRowId): (thumbprint: string) => StoredCertificate | undefined {
  const stores = isGlobalRow(row) ? [state.cms.certificates, server.certificates] : [server.certificates];
  return (thumbprint) => stores.map((s) => s.find((c) => c.thumbprint === thumbprint)).find(Boolean);
}

function storeCertificate(server: Server, thumbprint: string | undefined): StoredCertificate | undefined {
  return thumbprint === undefined ? undefined : server.certificates.find((c) => c.thumbprint === thumbprint);
}

const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };
const TONE_OF: Record<Severity, StatusTone> = { info: 'info', warning: 'warning', error: 'error' };

function worst(findings: readonly Finding[]): Finding | undefined {
  return findings.reduce<Finding | undefined>((w, f) => (!w || SEVERITY_RANK[f.severity] > SEVERITY_RANK[w.severity] ? f : w), undefined);
}

/** The deployment's findings that speak about this row of this server. */
function rowFindings(findings: readonly Finding[], fqdn: string, row: UseRowId, thumbprint: string): Finding[] {
  const uses = ROW_FACTS[row].uses;
  const global = isGlobalRow(row);
  return findings.filter((f) => {
    if (f.severity === 'info') return false;
    const w = f.where;
    if (global) return w.use === 'OAuthTokenIssuer' && (!w.serverFqdn || w.serverFqdn === fqdn);
    // A certificate serving several uses is judged once, under the first use that names it: match its thumbprint too.
    return w.serverFqdn === fqdn && ((w.use !== undefined && uses.includes(w.use)) || (w.thumbprint === thumbprint && w.path.includes('.certificates[')));
  });
}

function useRow(state: Deployment, findings: readonly Finding[], server: Server, row: UseRowId): UseRowView {
  const facts = ROW_FACTS[row];
  const slots = rowSlots(state, server, row);
  const lookup = lookupFor(state, server, row);
  const thumbprints = slots.map((s) => s?.current?.thumbprint);
  const first = thumbprints.find((t): t is string => t !== undefined);
  const cert = first === undefined ? undefined : lookup(first);
  const view: UseRowView = {
    id: row,
    label: facts.label,
    uses: facts.uses,
    certificate: cert ? certificateName(cert) : first ?? '',
    expiration: cert ? formatUsDateTime(new Date(cert.notAfter)) : '',
    location: isGlobalRow(row) ? 'Global' : 'Local',
    status: { tone: 'none', text: 'Not assigned' },
  };
  if (first !== undefined) {
    view.thumbprint = first;
    if (thumbprints.some((t) => t !== first)) {
      view.status = { tone: 'warning', text: `Not one certificate for all of ${facts.uses.join(', ')}: assign one certificate to all of them.` };
    } else {
      const w = worst(rowFindings(findings, server.fqdn, row, first));
      view.status = w ? { tone: TONE_OF[w.severity], text: w.message } : { tone: 'ok', text: 'Assigned' };
    }
  }
  const pending = slots[0]?.pending;
  if (pending) {
    const next = lookup(pending.thumbprint);
    view.pending = `Roll staged: ${next ? certificateName(next) : pending.thumbprint} becomes current on ${formatUsDateTime(new Date(pending.effectiveDate))}.`;
  }
  return view;
}

function useRows(state: Deployment, findings: readonly Finding[], at: ServerLocation): UseRowView[] {
  return rowsOf(at.pool).map((row) => useRow(state, findings, at.server, row));
}

/** The rules' verdict on a store certificate for a row: errors refuse it, warnings need an explicit override. */
function verdict(state: Deployment, cert: StoredCertificate, row: UseRowId, at: RuleTime): Finding[] {
  // Several uses (Edge external) repeat the same checks: keep one finding per rule.
  const out: Finding[] = [];
  for (const f of ROW_FACTS[row].uses.flatMap((use) => checkCertificateForUse(cert, use, state.sipDomains, at.now, { expiryWarningDays: at.expiryWarningDays }))) {
    if (!out.some((o) => o.rule === f.rule)) out.push(f);
  }
  return out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

function certificateRow(state: Deployment, cert: StoredCertificate, row: UseRowId, time: RuleTime, current: string | undefined): CertificateRowView {
  const findings = verdict(state, cert, row, time);
  const w = worst(findings);
  return {
    thumbprint: cert.thumbprint,
    friendlyName: cert.friendlyName ?? '',
    subject: cert.subject,
    expiration: formatUsDateTime(new Date(cert.notAfter)),
    keySize: `${cert.keyAlgorithm} ${cert.keySize}`,
    selectable: w?.severity !== 'error',
    tone: w ? TONE_OF[w.severity] : 'ok',
    reasons: findings.map((f) => f.message),
    currentlyAssigned: cert.thumbprint === current,
  };
}

/** Why the selected certificate cannot be used yet, or undefined when Next may go on. */
function storeBlocker(ui: WizardUi, ctx: WizardContext, at: ServerLocation): string | undefined {
  const cert = storeCertificate(at.server, ui.thumbprint);
  if (!cert || !ui.use) return 'no certificate is selected';
  const findings = verdict(ctx.state!, cert, ui.use, ctx);
  if (findings.some((f) => f.severity === 'error')) return `${cert.thumbprint} fails a requirement for ${ROW_FACTS[ui.use].label}`;
  if (findings.some((f) => f.severity === 'warning') && !ui.override) return 'the selected certificate has warnings that were not accepted';
  return undefined;
}

function currentThumbprint(state: Deployment, at: ServerLocation, row: UseRowId): string | undefined {
  return rowSlots(state, at.server, row)[0]?.current?.thumbprint;
}

// ---------------------------------------------------------------------------------------------
// Creating, restoring and settling the UI state
// ---------------------------------------------------------------------------------------------

const EMPTY_FORM: ImportForm = { path: '', hasPrivateKey: true, revision: 0 };

/** A new wizard: the home page on `serverFqdn` (when it exists) or the default server. */
export function initialUi(ctx: WizardContext, serverFqdn?: string): WizardUi {
  const named = ctx.state && serverFqdn ? findServer(ctx.state, serverFqdn)?.server.fqdn : undefined;
  return {
    serverFqdn: named ?? (ctx.state ? defaultServer(ctx.state) : undefined),
    page: ctx.state ? 'home' : 'no-deployment',
    override: false,
    replicate: true,
    importForm: EMPTY_FORM,
    pristine: true,
  };
}

/** Leaves a sub-wizard: back on the Certificate Wizard, the row still selected, everything else dropped. */
function toCertificates(ui: WizardUi): WizardUi {
  return { ...ui, page: 'certificates', thumbprint: undefined, override: false, details: undefined, importCandidate: undefined, execution: undefined, importForm: { ...ui.importForm, error: undefined } };
}

/** Another computer: the home page with a clean flow. */
function onServer(ui: WizardUi, fqdn: string): WizardUi {
  return { ...toCertificates(ui), serverFqdn: fqdn, page: 'home', use: undefined };
}

/** The wizard is opened again for `serverFqdn`: another computer starts over on the home page. */
export function reopened(ui: WizardUi, ctx: WizardContext, serverFqdn: string): WizardUi {
  const found = ctx.state ? findServer(ctx.state, serverFqdn) : undefined;
  if (!found || found.server.fqdn === ui.serverFqdn) return ui;
  return { ...onServer(ui, found.server.fqdn), pristine: false };
}

/**
 * Brings the UI state in line with the deployment (which may have changed under it): a vanished server, row,
 * certificate or deployment moves the wizard back to the last page that still makes sense.
 */
export function settle(ui: WizardUi, ctx: WizardContext): WizardUi {
  if (!ctx.state) return ui.page === 'no-deployment' ? ui : { ...toCertificates(ui), page: 'no-deployment' };
  const at = locate(ui, ctx);
  if (!at) {
    const fallback = defaultServer(ctx.state);
    return fallback ? onServer(ui, fallback) : { ...toCertificates(ui), serverFqdn: undefined, use: undefined, page: 'no-deployment' };
  }
  let next: WizardUi = ui.page === 'no-deployment' ? { ...ui, page: 'home' } : ui;
  if (next.use && !rowsOf(at.pool).includes(next.use)) next = { ...next, use: undefined };
  if (ASSIGN_PAGES.includes(next.page) && next.page !== 'assign-executing' && !next.use) next = toCertificates(next);
  if (next.thumbprint && !storeCertificate(at.server, next.thumbprint)) next = { ...next, thumbprint: undefined, override: false, page: next.page === 'assign-summary' ? 'assign-store' : next.page };
  if (next.details && !storeCertificate(at.server, next.details)) next = { ...next, details: undefined };
  if (next.page === 'assign-summary' && storeBlocker(next, ctx, at)) next = { ...next, page: 'assign-store' };
  if (next.page === 'import-summary' && !next.importCandidate) next = { ...next, page: 'import-file' };
  if ((next.page === 'assign-executing' || next.page === 'import-executing') && !next.execution) next = toCertificates(next);
  return next;
}

/** The page the webview saved, as far as it still holds: pages that need what only the host had fall back. */
function restore(ui: WizardUi, saved: SavedState, ctx: WizardContext): Transition {
  if (!ctx.state) return { ok: true, ui: { ...ui, pristine: false } };
  const fqdn = saved.serverFqdn ?? ui.serverFqdn;
  const at = fqdn ? findServer(ctx.state, fqdn) : undefined;
  if (!at) return { ok: false, reason: `the saved state names ${fqdn ?? 'no server'}, which is not in the deployment` };
  const { selection } = saved;
  if (selection.use && !rowsOf(at.pool).includes(selection.use)) return { ok: false, reason: `the saved state names the use ${selection.use}, which ${at.server.fqdn} does not have` };
  if (selection.thumbprint && !storeCertificate(at.server, selection.thumbprint)) return { ok: false, reason: `the saved state names certificate ${selection.thumbprint}, which is not in the store of ${at.server.fqdn}` };
  const page: PageId =
    saved.page === 'assign-executing' || saved.page === 'import-executing' ? 'certificates'
      : saved.page === 'import-summary' ? 'import-file'
        : saved.page;
  const restored: WizardUi = {
    ...ui,
    serverFqdn: at.server.fqdn,
    page,
    use: selection.use,
    thumbprint: selection.thumbprint,
    importForm: { path: selection.importPath ?? '', hasPrivateKey: selection.hasPrivateKey ?? true, revision: ui.importForm.revision + 1 },
    pristine: false,
  };
  return { ok: true, ui: settle(restored, ctx) };
}

// ---------------------------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------------------------

function refuse(reason: string): Transition {
  return { ok: false, reason };
}

function go(ui: WizardUi, effect?: Effect): Transition {
  return effect ? { ok: true, ui: { ...ui, pristine: false }, effect } : { ok: true, ui: { ...ui, pristine: false } };
}

/** The pages on which each message (other than ready and navigate) may arrive. */
const ALLOWED_ON: Record<Exclude<ToHostType, 'ready' | 'navigate'>, PageId[]> = {
  pickServer: ['home'],
  installOrUpdate: ['home'],
  runStep3: ['steps'],
  selectUse: ['certificates'],
  assign: ['certificates'],
  openImport: ['certificates'],
  selectCertificate: ['assign-store'],
  overrideWarning: ['assign-store'],
  viewCertificateDetails: ['assign-store'],
  setReplicate: ['assign-summary'],
  browse: ['import-file'],
  requestImport: ['import-file'],
  viewLog: ['assign-executing', 'import-executing'],
};

function assignRequest(at: ServerLocation, row: UseRowId, thumbprint: string): SetCertificateRequest {
  const type = ROW_FACTS[row].uses;
  return isGlobalRow(row)
    ? { cmdlet: 'Set-CsCertificate', identity: 'global', computer: at.server.fqdn, type, thumbprint }
    : { cmdlet: 'Set-CsCertificate', computer: at.server.fqdn, type, thumbprint };
}

function navigate(ui: WizardUi, action: ToHost & { type: 'navigate' }, ctx: WizardContext, at: ServerLocation): Transition {
  const nope = () => refuse(`"${action.action}" does not apply to the ${PAGE_TITLES[ui.page]} page`);
  switch (ui.page) {
    case 'no-deployment':
    case 'home':
      return action.action === 'close' ? go(ui, { kind: 'dispose' }) : nope();
    case 'steps':
      if (action.action === 'back') return go({ ...ui, page: 'home' });
      return action.action === 'close' ? go(ui, { kind: 'dispose' }) : nope();
    case 'certificates':
      return action.action === 'close' ? go({ ...ui, page: 'steps' }) : nope();
    case 'assign-intro':
      if (action.action === 'next') {
        // Preselect the certificate chosen before (Back) or the one assigned now, when it may be chosen.
        const candidate = storeCertificate(at.server, ui.thumbprint ?? currentThumbprint(ctx.state!, at, ui.use!));
        const keep = candidate && !verdict(ctx.state!, candidate, ui.use!, ctx).some((f) => f.severity === 'error') ? candidate.thumbprint : undefined;
        return go({ ...ui, page: 'assign-store', thumbprint: keep });
      }
      return action.action === 'cancel' ? go(toCertificates(ui)) : nope();
    case 'assign-store': {
      if (action.action === 'back') return go({ ...ui, page: 'assign-intro' });
      if (action.action === 'cancel') return go(toCertificates(ui));
      if (action.action !== 'next') return nope();
      const blocker = storeBlocker(ui, ctx, at);
      return blocker ? refuse(`Next is not available: ${blocker}`) : go({ ...ui, page: 'assign-summary', details: undefined });
    }
    case 'assign-summary': {
      if (action.action === 'back') return go({ ...ui, page: 'assign-store' });
      if (action.action === 'cancel') return go(toCertificates(ui));
      if (action.action !== 'next') return nope();
      const blocker = storeBlocker(ui, ctx, at);
      if (blocker) return refuse(`the assignment cannot run: ${blocker}`);
      return go(ui, { kind: 'run-assign', request: assignRequest(at, ui.use!, ui.thumbprint!), replicate: isGlobalRow(ui.use!) && ui.replicate });
    }
    case 'import-tasks':
      if (action.action === 'next') return go({ ...ui, page: 'import-file' });
      return action.action === 'cancel' ? go(toCertificates(ui)) : nope();
    case 'import-file':
      if (action.action === 'back') return go({ ...ui, page: 'import-tasks', importForm: { ...ui.importForm, error: undefined } });
      if (action.action === 'cancel') return go(toCertificates(ui));
      return action.action === 'next' ? refuse('the Import Certificate page goes on with a "requestImport" message (it carries the form)') : nope();
    case 'import-summary':
      if (action.action === 'back') return go({ ...ui, page: 'import-file', importCandidate: undefined });
      if (action.action === 'cancel') return go(toCertificates(ui));
      return action.action === 'next' ? go(ui, { kind: 'run-import' }) : nope();
    case 'assign-executing':
    case 'import-executing':
      return action.action === 'finish' ? go(toCertificates(ui)) : nope();
  }
}

/** Applies one parsed webview message. Refusals leave the state as it was (the panel logs them). */
export function reduce(current: WizardUi, msg: ToHost, ctx: WizardContext): Transition {
  const ui = settle(current, ctx);
  if (msg.type === 'ready') return msg.state && ui.pristine ? restore(ui, msg.state, ctx) : { ok: true, ui };
  const at = locate(ui, ctx);
  // Without a deployment (or a server) only Exit applies.
  if (!at) return msg.type === 'navigate' && msg.action === 'close' ? go(ui, { kind: 'dispose' }) : refuse('no deployment with a server is loaded');
  if (msg.type === 'navigate') return navigate(ui, msg, ctx, at);
  if (!ALLOWED_ON[msg.type].includes(ui.page)) return refuse(`"${msg.type}" does not apply to the ${PAGE_TITLES[ui.page]} page (${ui.page})`);
  const state = ctx.state!;
  switch (msg.type) {
    case 'pickServer': {
      const found = findServer(state, msg.serverFqdn);
      if (!found) return refuse(`no server named ${msg.serverFqdn} is in the deployment`);
      return go(found.server.fqdn === ui.serverFqdn ? ui : onServer(ui, found.server.fqdn));
    }
    case 'installOrUpdate':
      return go({ ...ui, page: 'steps' });
    case 'runStep3':
      return go({ ...ui, page: 'certificates' });
    case 'selectUse':
      return rowsOf(at.pool).includes(msg.use) ? go({ ...ui, use: msg.use }) : refuse(`${at.server.fqdn} has no ${msg.use} certificate use`);
    case 'assign':
      return ui.use ? go({ ...ui, page: 'assign-intro', thumbprint: undefined, override: false, details: undefined, replicate: true }) : refuse('Assign needs a selected certificate use');
    case 'openImport':
      return go({ ...ui, page: 'import-tasks', importCandidate: undefined });
    case 'selectCertificate': {
      const cert = storeCertificate(at.server, msg.thumbprint);
      if (!cert) return refuse(`no certificate ${msg.thumbprint} is in the store of ${at.server.fqdn}`);
      if (verdict(state, cert, ui.use!, ctx).some((f) => f.severity === 'error')) return refuse(`${msg.thumbprint} fails a requirement for ${ROW_FACTS[ui.use!].label} and cannot be chosen`);
      if (msg.thumbprint === ui.thumbprint) return go(ui);
      return go({ ...ui, thumbprint: msg.thumbprint, override: false, details: ui.details === msg.thumbprint ? ui.details : undefined });
    }
    case 'overrideWarning': {
      const cert = storeCertificate(at.server, ui.thumbprint);
      if (!cert || !verdict(state, cert, ui.use!, ctx).some((f) => f.severity === 'warning')) return refuse('the selected certificate has no warning to accept');
      return go({ ...ui, override: msg.checked });
    }
    case 'viewCertificateDetails':
      return storeCertificate(at.server, msg.thumbprint) ? go({ ...ui, details: msg.thumbprint }) : refuse(`no certificate ${msg.thumbprint} is in the store of ${at.server.fqdn}`);
    case 'setReplicate':
      return isGlobalRow(ui.use!) ? go({ ...ui, replicate: msg.checked }) : refuse('replication applies to a global assignment only');
    case 'browse':
      return go(ui, { kind: 'browse' });
    case 'requestImport': {
      const effect: Effect = { kind: 'read-import', path: msg.path, hasPrivateKey: msg.hasPrivateKey };
      if (msg.password !== undefined) effect.password = msg.password;
      return go({ ...ui, importForm: { ...ui.importForm, path: msg.path, hasPrivateKey: msg.hasPrivateKey, error: undefined } }, effect);
    }
    case 'viewLog':
      return go(ui, { kind: 'show-log' });
  }
}

// ---------------------------------------------------------------------------------------------
// Results of effects
// ---------------------------------------------------------------------------------------------

/** Browse picked a file. */
export function browsed(ui: WizardUi, path: string): WizardUi {
  return { ...ui, importForm: { ...ui.importForm, path, error: undefined, revision: ui.importForm.revision + 1 } };
}

export type FileRead = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/** What the panel keeps (and nothing else does) between the Import Certificate page and the summary's Next. */
export interface PendingImport {
  bytes: Uint8Array;
  password?: string;
}

/**
 * The file named on the Import Certificate page was read: the certificate reader decides. Refused → the Import
 * page shows why and nothing changes. Accepted → the summary, and the bytes and password for the panel to keep.
 */
/** The Import Certificate page shows why the file cannot be imported (and drops what was typed, the password too). */
export function importRefused(ui: WizardUi, error: string): WizardUi {
  return { ...ui, importForm: { ...ui.importForm, error, revision: ui.importForm.revision + 1 } };
}

export function importFileRead(ui: WizardUi, effect: Effect & { kind: 'read-import' }, file: FileRead): { ui: WizardUi; pending?: PendingImport } {
  const refused = (error: string) => ({ ui: importRefused(ui, error) });
  if (!file.ok) return refused(file.message);
  const fileName = effect.path.split(/[\\/]/).pop() || effect.path;
  const read = readCertificateFile(file.bytes, { password: effect.password, fileName });
  if (!read.ok) return refused(`${fileName}: ${read.error.message}${read.error.fix ? ` ${read.error.fix}` : ''}`);
  if (effect.hasPrivateKey && !read.record.hasPrivateKey) {
    return refused(`${fileName} holds no private key, but "Certificate file contains certificate's private key" is checked. Uncheck it to import the certificate alone, or choose the .pfx file that contains the key. (SfB Certificates' rule; the product's exact behaviour is unconfirmed.)`);
  }
  const candidate: ImportCandidate = { path: effect.path, passwordGiven: effect.password !== undefined, record: read.record, notes: read.notes };
  return {
    ui: { ...ui, page: 'import-summary', importCandidate: candidate },
    pending: effect.password === undefined ? { bytes: file.bytes } : { bytes: file.bytes, password: effect.password },
  };
}

/** Import-CsCertificate, local parameter set: into this computer's store. */
export function importRequest(ui: WizardUi, pending: PendingImport): OperationRequest {
  const request: Extract<OperationRequest, { cmdlet: 'Import-CsCertificate' }> = { cmdlet: 'Import-CsCertificate', computer: ui.serverFqdn ?? '', path: ui.importCandidate?.path ?? '', bytes: pending.bytes };
  if (pending.password !== undefined) request.password = pending.password;
  return request;
}

function outputOf(outcome: OperationOutcome<unknown>): string[] {
  if (!outcome.ok) return [`Error: ${outcome.error.message}`, ...(outcome.error.fix ? [`What to do: ${outcome.error.fix}`] : [])];
  const findings = outcome.findings.map((f) => `${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Note'}: ${f.message}`);
  return [...findings, ...outcome.notes];
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** The report file for a run at `now`: %TEMP%\Set-CSCertificate-[yyyy_MM_dd][HH_mm_ss].html (UTC, the model's time). */
export function reportPath(now: Date): string {
  const date = `${now.getUTCFullYear()}_${two(now.getUTCMonth() + 1)}_${two(now.getUTCDate())}`;
  const time = `${two(now.getUTCHours())}_${two(now.getUTCMinutes())}_${two(now.getUTCSeconds())}`;
  return REPORT_PATH_PATTERN.replace('[yyyy_MM_dd]', `[${date}]`).replace('[HH_mm_ss]', `[${time}]`);
}

/** What the Deployment Wizard adds to the Set-CsCertificate line it runs [S17]. */
export function withWizardAdditions(powershell: string, report: string): string {
  return `${powershell} -Confirm:$false -Report ${psString(report)}`;
}

function setLine(request: SetCertificateRequest): string {
  return renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: request.identity, type: request.type, thumbprint: request.thumbprint });
}

/** The assignment (and the replication after it) ran. */
export function assignExecuted(ui: WizardUi, ctx: WizardContext, request: SetCertificateRequest, set: OperationOutcome<unknown>, replication?: OperationOutcome<unknown>): WizardUi {
  const runs: CommandRunView[] = [{ powershell: withWizardAdditions(set.powershell ?? setLine(request), reportPath(ctx.now)), ok: set.ok, output: outputOf(set) }];
  if (replication) runs.push({ powershell: replication.powershell ?? renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication' }), ok: replication.ok, output: outputOf(replication) });
  const execution: Execution = { runs, ok: runs.every((r) => r.ok) };
  if (set.ok && request.identity === 'global' && ctx.state) execution.global = { cmsVersion: ctx.state.cms.version, thumbprint: request.thumbprint };
  return { ...ui, page: 'assign-executing', execution };
}

/** Import-CsCertificate ran. */
export function importExecuted(ui: WizardUi, outcome: OperationOutcome<unknown>): WizardUi {
  const c = ui.importCandidate;
  const powershell = outcome.powershell ?? renderPowerShell({ cmdlet: 'Import-CsCertificate', path: c?.path ?? '', password: c?.passwordGiven ? '' : undefined });
  return { ...ui, page: 'import-executing', execution: { runs: [{ powershell, ok: outcome.ok, output: outputOf(outcome) }], ok: outcome.ok } };
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

function button(action: ButtonView['action'], label: string, send: ButtonView['send'] | undefined, enabled = true, extra: Partial<ButtonView> = {}): ButtonView {
  return { action, label, enabled, ...(send ? { send } : {}), ...extra };
}

const nav = (action: 'next' | 'back' | 'cancel' | 'finish' | 'close', label: string, enabled = true, primary = false): ButtonView =>
  button(action, label, { type: 'navigate', action }, enabled, primary ? { primary } : {});

function wizardButtons(opts: { back: boolean; next: boolean | 'import-form'; cancel?: boolean }): ButtonView[] {
  const next = opts.next === 'import-form' ? button('next', 'Next', 'import-form', true, { primary: true }) : nav('next', 'Next', opts.next, true);
  return [nav('back', 'Back', opts.back), next, nav('cancel', 'Cancel', opts.cancel ?? true)];
}

function subWizardSteps(pages: PageId[], page: PageId): PageView['steps'] {
  const index = pages.indexOf(page);
  return pages.map((p, i) => ({ label: PAGE_TITLES[p], state: i < index ? 'done' : i === index ? 'current' : 'todo' }));
}

function status(tone: StatusTone, text: string): StatusView {
  return { tone, text };
}

function serverLabel(pool: Pool, server: Server): string {
  return `${server.fqdn} — ${ROLE_NAME[pool.kind]}${pool.fqdn.toLowerCase() === server.fqdn.toLowerCase() ? '' : ` (pool ${pool.fqdn})`}`;
}

function homeBody(state: Deployment, ui: WizardUi): PageBody {
  return {
    kind: 'home',
    intro: 'The Deployment Wizard runs on one computer of the topology. Choose the computer, then install or update Skype for Business Server on it.',
    servers: state.pools.flatMap((pool) => pool.servers.map((s) => ({ fqdn: s.fqdn, label: serverLabel(pool, s) }))),
    serverFqdn: ui.serverFqdn,
    tasks: [button('install-or-update', 'Install or Update Skype for Business Server System', { type: 'installOrUpdate' }, Boolean(ui.serverFqdn), { primary: true })],
  };
}

function setupStep(number: 1 | 2 | 4, name: string, done: boolean): DeploymentStepView {
  const action = `run-step${number}` as const;
  return { number, name, status: done ? status('ok', 'Complete') : status('none', 'Not run'), run: button(action, done ? 'Run Again' : 'Run', undefined, false, { hint: STEP_NOT_SIMULATED }) };
}

function stepsBody(state: Deployment, findings: readonly Finding[], at: ServerLocation): PageBody {
  const { server } = at;
  const rows = useRows(state, findings, at);
  const missing = rows.filter((r) => !r.thumbprint).map((r) => r.label);
  const step3Status = missing.length === rows.length ? status('none', 'Not run')
    : missing.length ? status('warning', `Incomplete: not assigned — ${missing.join(', ')}`)
      : status('ok', 'Complete');
  return {
    kind: 'steps',
    intro: `Install or Update Skype for Business Server System on ${server.fqdn}. Only Step 3 is simulated; Steps 1, 2 and 4 show the state recorded for this computer.`,
    steps: [
      setupStep(1, 'Step 1: Install Local Configuration Store', server.setup.localStoreInstalled),
      setupStep(2, 'Step 2: Setup or Remove Skype for Business Server Components', server.setup.componentsInstalled),
      {
        number: 3,
        name: 'Step 3: Request, Install or Assign Certificates',
        status: step3Status,
        // "If you have already installed certificates on this computer then the Run button will be labeled Run Again" [S7].
        run: button('run-step3', server.certificates.length ? 'Run Again' : 'Run', { type: 'runStep3' }, true, { primary: true }),
      },
      setupStep(4, 'Step 4: Start Services', server.setup.servicesStarted),
    ],
  };
}

function certificatesBody(state: Deployment, findings: readonly Finding[], at: ServerLocation, ui: WizardUi): PageBody {
  return {
    kind: 'certificates',
    intro: `Certificate uses of ${at.server.fqdn}. Select a use, then click Assign to give it a certificate from this computer's store, or Import Certificate to add a certificate to the store.`,
    rows: useRows(state, findings, at),
    selected: ui.use,
    actions: [
      button('request', 'Request', undefined, false, { hint: REQUEST_NOT_SIMULATED }),
      button('assign', 'Assign', { type: 'assign' }, Boolean(ui.use), { primary: true, hint: ui.use ? undefined : 'Select a certificate use first.' }),
      button('import', 'Import Certificate', { type: 'openImport' }),
    ],
  };
}

function frontEndNames(state: Deployment): string[] {
  return state.pools.filter(receivesGlobalCertificates).flatMap((p) => p.servers.map((s) => s.fqdn));
}

function assignIntroBody(state: Deployment, at: ServerLocation, row: UseRowId): PageBody {
  const facts = ROW_FACTS[row];
  const paragraphs = [`This wizard assigns a certificate from the certificate store of ${at.server.fqdn} to ${facts.label} (-Type ${facts.uses.join(',')}).`];
  paragraphs.push(isGlobalRow(row)
    ? `OAuthTokenIssuer is a global certificate: it is assigned once, in the Central Management store, and replication deploys it to every Front End Server (${frontEndNames(state).join(', ')}). Do not assign it again on each Front End.`
    : `The assignment applies to ${at.server.fqdn} only.`);
  paragraphs.push('Click Next to choose the certificate.');
  return { kind: 'message', paragraphs };
}

function detailsOf(cert: StoredCertificate): CertificateDetailsView {
  const fields: FieldView[] = [
    { label: 'Subject', value: cert.subject },
    { label: 'Issuer', value: cert.issuer },
    { label: 'Friendly name', value: cert.friendlyName ?? '' },
    { label: 'Thumbprint', value: cert.thumbprint },
    { label: 'Serial number', value: cert.serialNumber },
    { label: 'Valid from', value: formatUsDateTime(new Date(cert.notBefore)) },
    { label: 'Valid to', value: formatUsDateTime(new Date(cert.notAfter)) },
    { label: 'Public key', value: `${cert.keyAlgorithm} (${cert.keySize} bits${cert.keyCurve ? `, ${cert.keyCurve}` : ''})` },
    { label: 'Signature algorithm', value: cert.signatureAlgorithm },
    { label: 'Subject alternative names', value: cert.subjectAlternativeNames.map((s) => `${s.type.toUpperCase()}: ${s.value}`).join(', ') || 'none' },
    { label: 'Enhanced key usage', value: cert.enhancedKeyUsages.map((e) => e.name).join(', ') || 'none' },
    { label: 'Private key', value: cert.hasPrivateKey ? (cert.exportable ? 'Yes (exportable)' : 'Yes (not exportable)') : 'No' },
    { label: 'Certification authority', value: cert.isCA ? 'Yes' : 'No' },
  ];
  return { thumbprint: cert.thumbprint, title: `Certificate details: ${certificateName(cert)}`, fields };
}

function storeBody(state: Deployment, at: ServerLocation, ui: WizardUi, time: RuleTime): PageBody {
  const row = ui.use!;
  const current = currentThumbprint(state, at, row);
  const certificates = at.server.certificates.map((c) => certificateRow(state, c, row, time, current));
  const selected = certificates.find((c) => c.thumbprint === ui.thumbprint);
  const detailsCert = storeCertificate(at.server, ui.details);
  const intro = at.server.certificates.length
    ? `Select the certificate to assign to ${ROW_FACTS[row].label} on ${at.server.fqdn}. A certificate that fails a requirement for this use is shown with the reason and cannot be chosen.`
    : `The certificate store of ${at.server.fqdn} is empty: cancel, and use Import Certificate to add a certificate first.`;
  return {
    kind: 'store',
    intro,
    certificates,
    selected: ui.thumbprint,
    ...(selected?.tone === 'warning' ? { override: { checked: ui.override, label: 'Use this certificate despite the warnings shown for it' } } : {}),
    actions: [button('view-details', 'View Certificate Details', ui.thumbprint ? { type: 'viewCertificateDetails', thumbprint: ui.thumbprint } : undefined, Boolean(ui.thumbprint), { hint: ui.thumbprint ? undefined : 'Select a certificate first.' })],
    ...(detailsCert ? { details: detailsOf(detailsCert) } : {}),
  };
}

function describeCertificate(cert: StoredCertificate | undefined, thumbprint: string): string {
  return cert ? `${certificateName(cert)} (${thumbprint})` : thumbprint;
}

function assignSummaryBody(state: Deployment, at: ServerLocation, ui: WizardUi, time: RuleTime): PageBody {
  const row = ui.use!;
  const facts = ROW_FACTS[row];
  const cert = storeCertificate(at.server, ui.thumbprint)!;
  const current = currentThumbprint(state, at, row);
  const global = isGlobalRow(row);
  const frontEnds = frontEndNames(state);
  const accepted = verdict(state, cert, row, time).filter((f) => f.severity === 'warning');
  const items: FieldView[] = [
    { label: 'Computer', value: at.server.fqdn },
    { label: 'Certificate use', value: `${facts.label} (-Type ${facts.uses.join(',')})` },
    { label: 'Certificate', value: certificateName(cert) },
    { label: 'Subject', value: cert.subject },
    { label: 'Thumbprint', value: cert.thumbprint },
    { label: 'Expiration date', value: formatUsDateTime(new Date(cert.notAfter)) },
    {
      label: 'Location',
      value: global
        ? `Global: stored in the Central Management store and replicated to all ${frontEnds.length} Front End and Standard Edition servers (${frontEnds.join(', ')})`
        : `Local: ${at.server.fqdn} only`,
    },
    { label: 'Currently assigned', value: current ? describeCertificate(lookupFor(state, at.server, row)(current), current) : 'nothing' },
  ];
  if (accepted.length) items.push({ label: 'Warnings accepted', value: accepted.map((f) => f.message).join(' ') });
  const notes = [`The Deployment Wizard adds -Confirm:$false and an HTML report in %TEMP%; the report's name takes the date and time the command runs.`];
  if (global) notes.push('Run once, on one Front End: replication deploys the certificate to the others.');
  return {
    kind: 'summary',
    intro: 'Review the assignment, then click Next to run it.',
    items,
    powershell: [withWizardAdditions(setLine(assignRequest(at, row, cert.thumbprint)), REPORT_PATH_PATTERN)],
    notes,
    ...(global ? {
      replicate: {
        checked: ui.replicate,
        label: 'Then replicate to every replica now (Invoke-CsManagementStoreReplication). Skype for Business Server replicates by itself within minutes; the model waits until replication is invoked.',
      },
    } : {}),
  };
}

function replicaRows(state: Deployment, global: NonNullable<Execution['global']>): ReplicaRowView[] {
  return state.pools.flatMap((pool) => pool.servers.map((server): ReplicaRowView => {
    const r = server.replica;
    const receives = receivesGlobalCertificates(pool);
    let s: StatusView;
    if (r.unreachable) s = status('error', `Replication fails: the replica is unreachable (version ${r.appliedVersion} of ${state.cms.version}).`);
    else if (r.appliedVersion < global.cmsVersion) s = status('info', `Waiting for replication (version ${r.appliedVersion} of ${state.cms.version}).`);
    else if (receives && server.assignments.OAuthTokenIssuer?.current?.thumbprint === global.thumbprint) s = status('ok', 'Up to date: the OAuthTokenIssuer certificate is deployed.');
    else s = status('ok', 'Up to date.');
    return { fqdn: server.fqdn, role: `${ROLE_NAME[pool.kind]}${receives ? '' : ' (no OAuthTokenIssuer certificate)'}`, status: s };
  }));
}

function executingBody(state: Deployment, ui: WizardUi): PageBody {
  const execution = ui.execution!;
  return {
    kind: 'executing',
    intro: execution.ok ? 'The commands ran. Click Finish to go back to the Certificate Wizard.' : 'A command failed; nothing else was changed. Click Finish to go back to the Certificate Wizard.',
    commands: execution.runs,
    status: execution.ok ? status('ok', 'Task status: Completed.') : status('error', 'Task status: Failed.'),
    ...(execution.global ? {
      replication: {
        intro: `Replication of Central Management store version ${execution.global.cmsVersion}, per replica. This list follows replication run from anywhere while the page is open.`,
        rows: replicaRows(state, execution.global),
      },
    } : {}),
    actions: [button('view-log', 'View Log', { type: 'viewLog' })],
  };
}

function importFormBody(at: ServerLocation, ui: WizardUi): PageBody {
  return {
    kind: 'import-form',
    intro: `Import a certificate file into the certificate store of ${at.server.fqdn} (Import-CsCertificate on this computer). Nothing is assigned yet: assign it afterwards with Assign.`,
    path: ui.importForm.path,
    hasPrivateKey: ui.importForm.hasPrivateKey,
    revision: ui.importForm.revision,
    ...(ui.importForm.error ? { error: ui.importForm.error } : {}),
    actions: [button('browse', 'Browse…', { type: 'browse' })],
  };
}

function importSummaryBody(at: ServerLocation, candidate: ImportCandidate): PageBody {
  const r = candidate.record;
  return {
    kind: 'summary',
    intro: 'Review the import, then click Next to run it.',
    items: [
      { label: 'Computer', value: at.server.fqdn },
      { label: 'File', value: candidate.path },
      { label: 'Subject', value: r.subject },
      { label: 'Friendly name', value: r.friendlyName ?? '' },
      { label: 'Issuer', value: r.issuer },
      { label: 'Thumbprint', value: r.thumbprint },
      { label: 'Expiration date', value: formatUsDateTime(new Date(r.notAfter)) },
      { label: 'Public key', value: `${r.keyAlgorithm} (${r.keySize} bits)` },
      { label: 'Private key', value: r.hasPrivateKey ? 'Included' : 'Not included' },
      { label: 'Already in the store', value: at.server.certificates.some((c) => c.thumbprint === r.thumbprint) ? 'Yes: the imported copy replaces it' : 'No' },
    ],
    powershell: [renderPowerShell({ cmdlet: 'Import-CsCertificate', path: candidate.path, password: candidate.passwordGiven ? '' : undefined })],
    notes: [...candidate.notes, ...(candidate.passwordGiven ? [PFX_PASSWORD_NOTE] : [])],
  };
}

function bodyAndButtons(ui: WizardUi, ctx: WizardContext, state: Deployment, at: ServerLocation): { body: PageBody; buttons: ButtonView[]; unconfirmed?: string } {
  switch (ui.page) {
    case 'no-deployment':
    case 'home':
      return {
        body: homeBody(state, ui),
        buttons: [nav('close', 'Exit')],
        unconfirmed: `Only "Install or Update Skype for Business Server System" is simulated; the page's other tasks are left out ${LAYOUT_NOT_CONFIRMED}.`,
      };
    case 'steps':
      return { body: stepsBody(state, ctx.findings, at), buttons: [nav('back', 'Back'), nav('close', 'Exit')] };
    case 'certificates':
      return {
        body: certificatesBody(state, ctx.findings, at, ui),
        buttons: [nav('close', 'Close')],
        unconfirmed: `Columns, status wording and the Import Certificate button ${LAYOUT_NOT_CONFIRMED}.`,
      };
    case 'assign-intro':
      return { body: assignIntroBody(state, at, ui.use!), buttons: wizardButtons({ back: false, next: true }) };
    case 'assign-store':
      return {
        body: storeBody(state, at, ui, ctx),
        buttons: wizardButtons({ back: true, next: !storeBlocker(ui, ctx, at) }),
        unconfirmed: `Columns ${LAYOUT_NOT_CONFIRMED}; the requirement checks are SfB Certificates' rules.`,
      };
    case 'assign-summary':
      return { body: assignSummaryBody(state, at, ui, ctx), buttons: wizardButtons({ back: true, next: true }) };
    case 'import-tasks':
      return {
        body: {
          kind: 'tasks',
          intro: 'Choose a certificate task, then click Next.',
          options: [
            { id: 'import', label: 'Import a certificate from a .P7b, .pfx or .cer file', enabled: true, selected: true },
            { id: 'request', label: 'Create a new certificate request', enabled: false, selected: false, hint: REQUEST_NOT_SIMULATED },
          ],
        },
        buttons: wizardButtons({ back: false, next: true }),
        unconfirmed: `Microsoft documents this page for Edge Servers; on other servers it is assumed ${LAYOUT_NOT_CONFIRMED}.`,
      };
    case 'import-file':
      return { body: importFormBody(at, ui), buttons: wizardButtons({ back: true, next: 'import-form' }) };
    case 'import-summary':
      return { body: importSummaryBody(at, ui.importCandidate!), buttons: wizardButtons({ back: true, next: true }) };
    case 'assign-executing':
    case 'import-executing':
      return {
        body: executingBody(state, ui),
        buttons: [nav('back', 'Back', false), nav('finish', 'Finish', true, true), nav('cancel', 'Cancel', false)],
        unconfirmed: `Output ${LAYOUT_NOT_CONFIRMED}.${ui.page === 'import-executing' ? ' The switches the wizard adds to Import-CsCertificate are not documented, so the line is the documented cmdlet form.' : ''}`,
      };
  }
}

function windowOf(page: PageId): string {
  if (ASSIGN_PAGES.includes(page)) return 'Certificate Assignment';
  if (IMPORT_PAGES.includes(page) || page === 'certificates') return 'Certificate Wizard';
  return DEPLOYMENT_WINDOW;
}

function saved(ui: WizardUi): SavedState {
  const out: SavedState = { page: ui.page, selection: { hasPrivateKey: ui.importForm.hasPrivateKey } };
  if (ui.serverFqdn) out.serverFqdn = ui.serverFqdn;
  if (ui.use) out.selection.use = ui.use;
  if (ui.thumbprint) out.selection.thumbprint = ui.thumbprint;
  if (ui.importForm.path) out.selection.importPath = ui.importForm.path;
  return out;
}

/** The complete page for a (settled) UI state. */
export function view(current: WizardUi, ctx: WizardContext): PageView {
  const ui = settle(current, ctx);
  const state = ctx.state;
  const at = locate(ui, ctx);
  const base = { page: ui.page, window: windowOf(ui.page), title: PAGE_TITLES[ui.page], saved: saved(ui) };
  if (!state || !at) {
    return {
      ...base,
      page: 'no-deployment',
      body: {
        kind: 'message',
        paragraphs: state
          ? ['The deployment has no server yet. Import a topology (SfB Certificates view) and the wizard follows.']
          : ['No deployment is loaded in this workspace.', 'Open the sample deployment, create a deployment file or import a topology from the SfB Certificates view; the wizard follows.'],
      },
      buttons: [nav('close', 'Exit')],
    };
  }
  const { body, buttons, unconfirmed } = bodyAndButtons(ui, ctx, state, at);
  const steps = ASSIGN_PAGES.includes(ui.page) ? subWizardSteps(ASSIGN_PAGES, ui.page) : IMPORT_PAGES.includes(ui.page) ? subWizardSteps(IMPORT_PAGES, ui.page) : undefined;
  return { ...base, serverFqdn: at.server.fqdn, ...(steps ? { steps } : {}), ...(unconfirmed ? { unconfirmed } : {}), body, buttons };
}
