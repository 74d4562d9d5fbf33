// The wizard's state: what every page shares (the computer, the selected certificate use, the import form) and
// what each page adds, as one union on `page`. A page's own fields exist only on that page, so leaving it drops
// them, and a page cannot be reached without what it needs (the Certificate Store without a use, the summary
// without a certificate, Executing Commands without the commands' results).
import type { CertUse, CertificateRecord, Deployment, Finding, OperationOutcome, OperationRequest, ServerLocation } from '../../core';
import type { CommandRunView, RequestPageId, UseRowId } from '../../shared/protocol';

/** What the wizard is given about the deployment. */
export interface WizardContext {
  state: Deployment | undefined;
  findings: readonly Finding[];
  now: Date;
  /** The expiry warning window (days) of the user's settings, as the tree and the Problems panel use it. */
  expiryWarningDays: number;
  /** The sample's test CA's name when its file is in the workspace: the one online CA a request can go to. */
  testCa?: string;
}

/** What the rules need besides the deployment: the time and the expiry warning window. */
export type RuleTime = Pick<WizardContext, 'now' | 'expiryWarningDays'>;

/** A page's surroundings once a deployment with the wizard's computer is loaded. */
export interface PageEnv {
  ctx: WizardContext;
  state: Deployment;
  at: ServerLocation;
}

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

/** What every page keeps. */
export interface WizardBase {
  readonly serverFqdn?: string;
  /** The home page's text narrowing its computer list (a large topology); left behind with the home page (baseOf). */
  readonly serverFilter?: string;
  /** The Certificate Wizard's selected row; it stays selected through the sub-wizards. */
  readonly use?: UseRowId;
  readonly importForm: ImportForm;
  /** No user intent was applied yet: the webview's saved state may still restore the page. */
  readonly pristine: boolean;
}

/** Pages with nothing of their own. */
export type PlainPage = 'no-deployment' | 'home' | 'steps' | 'certificates' | 'import-file' | 'pending-intro';
export type PlainUi = WizardBase & { readonly page: PlainPage };

/** The Certificate Assignment sub-wizard's choices, from its first page to its summary. */
export interface AssignChoice {
  readonly use: UseRowId;
  /** Certificate Store selection. */
  readonly thumbprint?: string;
  /** The selected certificate's warnings were accepted. */
  readonly override: boolean;
  /** Certificate whose details are shown on the Certificate Store page. */
  readonly details?: string;
  /** Replicate right after a global assignment. */
  readonly replicate: boolean;
}
export type AssignIntroUi = WizardBase & AssignChoice & { readonly page: 'assign-intro' };
export type AssignStoreUi = WizardBase & AssignChoice & { readonly page: 'assign-store' };
export type AssignSummaryUi = WizardBase & AssignChoice & { readonly page: 'assign-summary'; readonly thumbprint: string };
export type AssignUi = AssignIntroUi | AssignStoreUi | AssignSummaryUi;

export type ImportSummaryUi = WizardBase & { readonly page: 'import-summary'; readonly candidate: ImportCandidate };
export type ExecutingPage = 'assign-executing' | 'import-executing' | 'remove-executing' | 'request-executing' | 'pending-executing';
export type ExecutingUi = WizardBase & { readonly page: ExecutingPage; readonly execution: Execution };

/** View and Remove act on the selected row, which has a certificate. */
export type RowUi = WizardBase & { readonly page: 'view-certificate' | 'remove-intro'; readonly use: UseRowId };

/** The Certificate Request wizard's answers, page by page (reference §5.3). */
export interface RequestDraft {
  /** "Send the request immediately to an online certification authority" or "Prepare the request now, but send it later". */
  readonly mode: 'test-ca' | 'offline';
  /** The request file, as a path on the server (C:\…). */
  readonly requestFile: string;
  readonly ca: string;
  readonly useTemplate: boolean;
  readonly template: string;
  readonly friendlyName: string;
  readonly keySize: number;
  readonly exportable: boolean;
  readonly organization: string;
  readonly ou: string;
  readonly country: string;
  readonly state: string;
  readonly city: string;
  /** SIP domains whose sip.<domain> is added. */
  readonly sipDomains: readonly string[];
  /** Additional SANs, comma-separated as typed. */
  readonly extra: string;
}
export type RequestUi = WizardBase & { readonly page: RequestPageId; readonly use: UseRowId; readonly draft: RequestDraft; readonly error?: string };

export type WizardUi = PlainUi | AssignUi | ImportSummaryUi | ExecutingUi | RowUi | RequestUi;

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
  | { kind: 'run-import'; computer: string; path: string }
  /** Remove-CsCertificate for the selected row, then call `removeExecuted`. */
  | { kind: 'run-remove'; request: Extract<OperationRequest, { cmdlet: 'Remove-CsCertificate' }> }
  /** Make the key, write the request's files and run Request-CsCertificate, then call `requestExecuted`. */
  | { kind: 'run-request'; computer: string; uses: CertUse[]; draft: RequestDraft }
  /** Read the CA's answer and the pending request's key, run Process-PendingRequest, then call `pendingExecuted`. */
  | { kind: 'run-pending'; computer: string; requestFile: string; path: string };

export type Transition = { ok: true; ui: WizardUi; effect?: Effect } | { ok: false; reason: string };

export type FileRead = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/** What the panel keeps (and nothing else does) between the Import Certificate page and the summary's Next. */
export interface PendingImport {
  bytes: Uint8Array;
  password?: string;
}

/** The outcome of an import whose file is no longer held (the panel drops it when the summary is left). */
export const IMPORT_FILE_DROPPED: OperationOutcome<never> = {
  ok: false,
  error: { code: 'internal-error', message: 'The file read for this import is no longer held.', fix: 'Go back to Import Certificate and read the file again.', source: 'product' },
};

export const EMPTY_FORM: ImportForm = { path: '', hasPrivateKey: true, revision: 0 };

/** The shared part of a state: what a page that is left keeps. */
export function baseOf(ui: WizardUi): WizardBase {
  const base: { -readonly [K in keyof WizardBase]: WizardBase[K] } = { importForm: ui.importForm, pristine: ui.pristine };
  if (ui.serverFqdn !== undefined) base.serverFqdn = ui.serverFqdn;
  if (ui.use !== undefined) base.use = ui.use;
  return base;
}

export function isAssignPage(ui: WizardUi): ui is AssignUi {
  return ui.page === 'assign-intro' || ui.page === 'assign-store' || ui.page === 'assign-summary';
}

/** Leaves a sub-wizard: back on the Certificate Wizard, the row still selected, everything else dropped. */
export function toCertificates(ui: WizardUi): PlainUi {
  return { ...baseOf(ui), importForm: { ...ui.importForm, error: undefined }, page: 'certificates' };
}

/** Another computer: the home page with a clean flow. */
export function onServer(ui: WizardUi, fqdn: string): PlainUi {
  return { ...toCertificates(ui), serverFqdn: fqdn, page: 'home', use: undefined };
}

export function refuse(reason: string): Transition {
  return { ok: false, reason };
}

/** An accepted message: the next state (the user acted, so saved state no longer restores) and its effect. */
export function go(ui: WizardUi, effect?: Effect): Transition {
  return effect ? { ok: true, ui: { ...ui, pristine: false }, effect } : { ok: true, ui: { ...ui, pristine: false } };
}
