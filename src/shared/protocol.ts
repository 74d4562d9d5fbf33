// The one message protocol between the Deployment Wizard host (src/ui/wizard/panel.ts) and its webview
// (media/wizard/main.ts). No DOM and no 'vscode' here: both sides and the unit tests import it.
//
// Direction webview → host (`ToHost`): the webview reports what the user did (a click, a selection, a form) and
// never decides anything. Every message is checked by `parseToHost` before the host looks at it; the host then
// checks it against the deployment (a server or thumbprint that does not exist is rejected too).
// Direction host → webview (`ToWebview`): one `render` message with the complete page; the webview shows only
// what it is sent. A PFX password travels in exactly one message (`requestImport`) and never comes back.

// The FQDN rule is the model's own; it comes from the pure leaf module that holds it, not from the core's public
// entry, because the webview bundles this file and must not pull in the rest of the core (node:crypto and all).
import { isFqdn } from '../core/topology';
// The timeline's view types are the core's layout model; a type-only import, erased from the webview bundle.
import type { RenewalSituation, RenewalStepKind, TimelineLayout } from '../core';

// ---------------------------------------------------------------------------------------------
// Pages, certificate-use rows, saved UI state
// ---------------------------------------------------------------------------------------------

/** The Certificate Request wizard's form pages, in order (reference §5.3; Deployment Wizard help pages). */
export const REQUEST_PAGE_IDS = [
  'request-intro', 'request-delay', 'request-file', 'request-ca', 'request-template', 'request-name', 'request-org', 'request-geo', 'request-names', 'request-sip',
  'request-sans', 'request-summary',
] as const;
const REQUEST_PAGE_IDS_ = REQUEST_PAGE_IDS;
export type RequestPageId = (typeof REQUEST_PAGE_IDS)[number];

export const PAGE_IDS = [
  'no-deployment',
  'home',
  'steps',
  'certificates',
  'assign-intro',
  'assign-store',
  'assign-summary',
  'assign-executing',
  'import-file',
  'import-summary',
  'import-executing',
  'view-certificate',
  'remove-intro',
  'remove-executing',
  ...REQUEST_PAGE_IDS_,
  'request-executing',
  'pending-intro',
  'pending-executing',
] as const;
export type PageId = (typeof PAGE_IDS)[number];

/**
 * The rows of the Certificate Wizard. A Front End lists its -Type values; an Edge lists "Edge internal" and
 * "Edge external", each standing for the -Type values the wizard assigns together.
 */
export const USE_ROW_IDS = ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer', 'EdgeInternal', 'EdgeExternal'] as const;
export type UseRowId = (typeof USE_ROW_IDS)[number];

/** What the webview keeps with `setState` (and sends back in `ready`). Never a password. */
export interface SavedSelection {
  use?: UseRowId;
  thumbprint?: string;
  importPath?: string;
  hasPrivateKey?: boolean;
}

export interface SavedState {
  serverFqdn?: string;
  page: PageId;
  selection: SavedSelection;
}

// ---------------------------------------------------------------------------------------------
// Webview → host
// ---------------------------------------------------------------------------------------------

export const NAVIGATE_ACTIONS = ['next', 'back', 'cancel', 'finish', 'close'] as const;
export type NavigateAction = (typeof NAVIGATE_ACTIONS)[number];

export type ToHost =
  /** The webview's script is listening; `state` is what it saved before it was hidden or reloaded. */
  | { type: 'ready'; state?: SavedState }
  | { type: 'navigate'; action: NavigateAction }
  /** Home page: the computer the Deployment Wizard runs on. */
  | { type: 'pickServer'; serverFqdn: string }
  /** Home page: "Install or Update Skype for Business Server System". */
  | { type: 'installOrUpdate' }
  /** Steps page: Step 3's Run / Run Again. */
  | { type: 'runStep3' }
  /** Certificate Wizard: a row (certificate use) is selected. */
  | { type: 'selectUse'; use: UseRowId }
  /** Certificate Wizard: Assign (for the selected row). */
  | { type: 'assign' }
  /** Certificate Wizard: Import Certificate. */
  | { type: 'openImport' }
  /** Certificate Wizard: Request, Remove, View (for the selected row), Refresh, Process Pending Request. */
  | { type: 'openRequest' }
  | { type: 'openRemove' }
  | { type: 'openView' }
  | { type: 'refresh' }
  | { type: 'openPending' }
  /** A form page's fields (the Certificate Request pages, Process Pending Request), sent with its Next. */
  | { type: 'form'; values: FormValues }
  /** Certificate Store page: a certificate is selected. */
  | { type: 'selectCertificate'; thumbprint: string }
  /** Certificate Store page: the user accepts the selected certificate's warnings. */
  | { type: 'overrideWarning'; checked: boolean }
  | { type: 'viewCertificateDetails'; thumbprint: string }
  /** Certificate Assignment Summary: replicate right after a global assignment. */
  | { type: 'setReplicate'; checked: boolean }
  /** Import Certificate page: Browse… */
  | { type: 'browse' }
  /** Import Certificate page: Next. The only message that ever carries a password. */
  | { type: 'requestImport'; path: string; hasPrivateKey: boolean; password?: string }
  | { type: 'viewLog' };

export type ToHostType = ToHost['type'];

/** A form page's fields by id: text and choices as strings, checkboxes as booleans, a checkbox list as strings. */
export type FormValues = Record<string, string | boolean | string[]>;

// ---------------------------------------------------------------------------------------------
// Host → webview: the page view model
// ---------------------------------------------------------------------------------------------

/** `data-action` of a button; tests and the webview's keyboard handling find buttons by it. */
export type ButtonAction =
  | NavigateAction
  | 'install-or-update'
  | 'run-step1'
  | 'run-step2'
  | 'run-step3'
  | 'run-step4'
  | 'request'
  | 'assign'
  | 'remove'
  | 'view'
  | 'refresh'
  | 'import'
  | 'process-pending'
  | 'view-details'
  | 'browse'
  | 'view-log';

export interface ButtonView {
  action: ButtonAction;
  label: string;
  enabled: boolean;
  primary?: boolean;
  /** What the button does, or why it is disabled: a tooltip, and visible text when disabled. */
  hint?: string;
  /** The message a click sends; 'import-form' = the Import Certificate form's fields as a `requestImport`; 'form' = a form page's fields. */
  send?: ToHost | 'import-form' | 'form';
}

export type StatusTone = 'ok' | 'none' | 'info' | 'warning' | 'error';

export interface StatusView {
  tone: StatusTone;
  text: string;
}

export interface ServerOptionView {
  fqdn: string;
  /** e.g. "fe01.contoso.com — Enterprise Edition Front End pool pool01.contoso.com" */
  label: string;
}

export interface DeploymentStepView {
  number: 1 | 2 | 3 | 4;
  name: string;
  status: StatusView;
  run: ButtonView;
}

export interface UseRowView {
  id: UseRowId;
  label: string;
  /** The -Type values the row assigns. */
  uses: string[];
  /** Friendly name or subject of the assigned certificate; '' when none. */
  certificate: string;
  thumbprint?: string;
  expiration: string;
  location: 'Global' | 'Local';
  status: StatusView;
  /** A staged roll, e.g. "Roll staged: … becomes current on 7/1/2026 12:00:00 AM". */
  pending?: string;
}

export interface CertificateRowView {
  thumbprint: string;
  friendlyName: string;
  subject: string;
  expiration: string;
  keySize: string;
  /** False when a rule with severity error refuses it for this use. */
  selectable: boolean;
  tone: StatusTone;
  /** Why it cannot be chosen, or what to weigh before choosing it. */
  reasons: string[];
  currentlyAssigned: boolean;
}

export interface FieldView {
  label: string;
  value: string;
}

export interface CertificateDetailsView {
  thumbprint: string;
  title: string;
  fields: FieldView[];
}

export interface CommandRunView {
  powershell: string;
  ok: boolean;
  output: string[];
}

export interface ReplicaRowView {
  fqdn: string;
  role: string;
  status: StatusView;
}

export interface TaskOptionView {
  id: string;
  label: string;
  enabled: boolean;
  selected: boolean;
  hint?: string;
}

/** One field of a form page. `id` is the key its value is sent under. */
export type FormFieldView =
  | { kind: 'text'; id: string; label: string; value: string; hint?: string; enabled?: boolean }
  | { kind: 'checkbox'; id: string; label: string; checked: boolean; hint?: string }
  | { kind: 'radio'; id: string; label: string; value: string; options: { value: string; label: string; hint?: string; enabled?: boolean }[] }
  | { kind: 'select'; id: string; label: string; value: string; options: { value: string; label: string }[] }
  /** Checkboxes, one per option; the value is the checked options. */
  | { kind: 'checklist'; id: string; label: string; values: string[]; options: { value: string; label: string }[] }
  /** Read-only lines (the topology's names, the summary). */
  | { kind: 'list'; label: string; items: string[] };

export type PageBody =
  | { kind: 'message'; paragraphs: string[] }
  | { kind: 'home'; intro: string; servers: ServerOptionView[]; serverFqdn?: string; tasks: ButtonView[] }
  | { kind: 'steps'; intro: string; steps: DeploymentStepView[] }
  | { kind: 'certificates'; intro: string; rows: UseRowView[]; selected?: UseRowId; actions: ButtonView[] }
  | {
      kind: 'store';
      intro: string;
      certificates: CertificateRowView[];
      selected?: string;
      /** Shown when the selected certificate has warnings: Next stays disabled until it is checked. */
      override?: { checked: boolean; label: string };
      actions: ButtonView[];
      details?: CertificateDetailsView;
    }
  | { kind: 'summary'; intro: string; items: FieldView[]; powershell: string[]; notes: string[]; replicate?: { checked: boolean; label: string } }
  | { kind: 'executing'; intro: string; commands: CommandRunView[]; status: StatusView; replication?: { intro: string; rows: ReplicaRowView[] }; actions: ButtonView[] }
  | { kind: 'tasks'; intro: string; options: TaskOptionView[] }
  | { kind: 'form'; intro: string; fields: FormFieldView[]; notes: string[]; powershell?: string[]; error?: string; actions: ButtonView[]; details?: CertificateDetailsView }
  | {
      kind: 'import-form';
      intro: string;
      path: string;
      hasPrivateKey: boolean;
      /** Changes whenever the host changes the form (Browse, a refused import): the webview then drops its draft. */
      revision: number;
      error?: string;
      actions: ButtonView[];
    };

export type StepState = 'done' | 'current' | 'todo';

export interface PageView {
  page: PageId;
  /** The window the page belongs to: "Skype for Business Server Deployment Wizard", "Certificate Wizard", … */
  window: string;
  /** The page name (#title). */
  title: string;
  serverFqdn?: string;
  /** The sub-wizard's pages (left column). */
  steps?: { label: string; state: StepState }[];
  /** Set when the page's layout or wording comes from memory, not from Microsoft documentation. */
  unconfirmed?: string;
  body: PageBody;
  /** The bottom-right row (Back / Next / Cancel, Finish, Close, Exit). */
  buttons: ButtonView[];
  /** What the webview should save with setState. */
  saved: SavedState;
}

export type ToWebview = { type: 'render'; view: PageView };

// ---------------------------------------------------------------------------------------------
// Validation of webview messages
// ---------------------------------------------------------------------------------------------

export const MAX_FQDN_LENGTH = 253;
export const MAX_PATH_LENGTH = 4096;
export const MAX_PASSWORD_LENGTH = 1024;

const THUMBPRINT = /^[0-9A-F]{40}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export type Parsed<T> = { ok: true; msg: T } | { ok: false; reason: string };

class Invalid extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Invalid(`${what} is not a plain object`);
  return value;
}

/** Only the listed keys may be present. */
function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length) throw new Invalid(`${what} has unexpected field${extra.length === 1 ? '' : 's'} ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new Invalid(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Invalid(`${what} must be true or false`);
  return value;
}

function text(value: unknown, what: string, max: number, options: { allowEmpty?: boolean; allowControl?: boolean } = {}): string {
  if (typeof value !== 'string') throw new Invalid(`${what} must be a string`);
  if (value.length > max) throw new Invalid(`${what} is longer than ${max} characters`);
  if (!options.allowEmpty && !value.trim()) throw new Invalid(`${what} is empty`);
  if (!options.allowControl && CONTROL_CHARACTERS.test(value)) throw new Invalid(`${what} contains control characters`);
  return value;
}

function fqdn(value: unknown, what: string): string {
  const s = text(value, what, MAX_FQDN_LENGTH);
  if (!isFqdn(s)) throw new Invalid(`${what} is not a host name`);
  return s;
}

function thumbprint(value: unknown, what: string): string {
  if (typeof value !== 'string' || !THUMBPRINT.test(value)) throw new Invalid(`${what} must be 40 uppercase hexadecimal characters`);
  return value;
}

function selection(value: unknown): SavedSelection {
  const obj = record(value, 'state.selection');
  onlyKeys(obj, ['use', 'thumbprint', 'importPath', 'hasPrivateKey'], 'state.selection');
  const out: SavedSelection = {};
  if (obj.use !== undefined) out.use = oneOf(obj.use, USE_ROW_IDS, 'state.selection.use');
  if (obj.thumbprint !== undefined) out.thumbprint = thumbprint(obj.thumbprint, 'state.selection.thumbprint');
  if (obj.importPath !== undefined) out.importPath = text(obj.importPath, 'state.selection.importPath', MAX_PATH_LENGTH, { allowEmpty: true });
  if (obj.hasPrivateKey !== undefined) out.hasPrivateKey = boolean(obj.hasPrivateKey, 'state.selection.hasPrivateKey');
  return out;
}

function savedState(value: unknown): SavedState {
  const obj = record(value, 'state');
  onlyKeys(obj, ['serverFqdn', 'page', 'selection'], 'state');
  const out: SavedState = { page: oneOf(obj.page, PAGE_IDS, 'state.page'), selection: selection(obj.selection) };
  if (obj.serverFqdn !== undefined) out.serverFqdn = fqdn(obj.serverFqdn, 'state.serverFqdn');
  return out;
}

export const MAX_FORM_FIELDS = 40;
export const MAX_FORM_TEXT = 4096;
const FORM_KEY = /^[a-z][A-Za-z0-9-]{0,39}$/;

function formValues(value: unknown): FormValues {
  const obj = record(value, 'form.values');
  const keys = Object.keys(obj);
  if (keys.length > MAX_FORM_FIELDS) throw new Invalid(`form.values has more than ${MAX_FORM_FIELDS} fields`);
  const out: FormValues = {};
  for (const key of keys) {
    if (!FORM_KEY.test(key)) throw new Invalid(`form.values has an invalid field name ${JSON.stringify(key.slice(0, 40))}`);
    const v = obj[key];
    if (typeof v === 'boolean') out[key] = v;
    else if (Array.isArray(v)) {
      if (v.length > MAX_FORM_FIELDS) throw new Invalid(`form.values.${key} has more than ${MAX_FORM_FIELDS} items`);
      out[key] = v.map((item, i) => text(item, `form.values.${key}[${i}]`, MAX_FQDN_LENGTH));
    } else out[key] = text(v, `form.values.${key}`, MAX_FORM_TEXT, { allowEmpty: true });
  }
  return out;
}

const TO_HOST_TYPES: readonly ToHostType[] = [
  'ready', 'navigate', 'pickServer', 'installOrUpdate', 'runStep3', 'selectUse', 'assign', 'openImport', 'openRequest', 'openRemove', 'openView', 'refresh', 'openPending', 'form',
  'selectCertificate', 'overrideWarning', 'viewCertificateDetails', 'setReplicate', 'browse', 'requestImport', 'viewLog',
];

function toHost(value: unknown): ToHost {
  const obj = record(value, 'message');
  const type = oneOf(obj.type, TO_HOST_TYPES, 'message.type');
  const fields = (...keys: string[]) => onlyKeys(obj, ['type', ...keys], `"${type}" message`);
  switch (type) {
    case 'ready':
      fields('state');
      return obj.state === undefined ? { type } : { type, state: savedState(obj.state) };
    case 'navigate':
      fields('action');
      return { type, action: oneOf(obj.action, NAVIGATE_ACTIONS, 'navigate.action') };
    case 'pickServer':
      fields('serverFqdn');
      return { type, serverFqdn: fqdn(obj.serverFqdn, 'pickServer.serverFqdn') };
    case 'selectUse':
      fields('use');
      return { type, use: oneOf(obj.use, USE_ROW_IDS, 'selectUse.use') };
    case 'selectCertificate':
    case 'viewCertificateDetails':
      fields('thumbprint');
      return { type, thumbprint: thumbprint(obj.thumbprint, `${type}.thumbprint`) };
    case 'overrideWarning':
    case 'setReplicate':
      fields('checked');
      return { type, checked: boolean(obj.checked, `${type}.checked`) };
    case 'requestImport': {
      fields('path', 'hasPrivateKey', 'password');
      const hasPrivateKey = boolean(obj.hasPrivateKey, 'requestImport.hasPrivateKey');
      const msg: ToHost = { type, path: text(obj.path, 'requestImport.path', MAX_PATH_LENGTH), hasPrivateKey };
      if (obj.password !== undefined) {
        if (!hasPrivateKey) throw new Invalid('requestImport.password is only taken when hasPrivateKey is true');
        msg.password = text(obj.password, 'requestImport.password', MAX_PASSWORD_LENGTH, { allowEmpty: true, allowControl: true });
      }
      return msg;
    }
    case 'form':
      fields('values');
      return { type, values: formValues(obj.values) };
    case 'installOrUpdate':
    case 'runStep3':
    case 'assign':
    case 'openImport':
    case 'openRequest':
    case 'openRemove':
    case 'openView':
    case 'refresh':
    case 'openPending':
    case 'browse':
    case 'viewLog':
      fields();
      return { type };
  }
}

/** Checks a message from the webview: unknown type, wrong shape, overlong strings and extra fields are refused. */
export function parseToHost(msg: unknown): Parsed<ToHost> {
  try {
    return { ok: true, msg: toHost(msg) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Checks UI state saved by the webview (its own getState, or VS Code's serializer). */
export function parseSavedState(value: unknown): Parsed<SavedState> {
  try {
    return { ok: true, msg: savedState(value) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// The certificate timeline (src/ui/timeline/panel.ts ↔ media/timeline/main.ts), issue #17
// ---------------------------------------------------------------------------------------------

/** What the timeline webview keeps with `setState` (and sends back in `ready`). */
export interface TimelineSavedState {
  /** Group ids shown expanded; absent = the default. */
  expanded?: string[];
  scrollTop?: number;
  /** The renewal plan is shown (a what-if), with this certificate when one was chosen. */
  plan?: { thumbprint?: string };
}

export const TIMELINE_EXPORT_FORMATS = ['svg', 'png'] as const;
export type TimelineExportFormat = (typeof TIMELINE_EXPORT_FORMATS)[number];

export type TimelineToHost =
  | { type: 'ready'; state?: TimelineSavedState }
  | { type: 'toggleGroup'; group: string }
  /** A date on the axis was clicked (or entered): the simulated clock moves there. ISO 8601 with a zone. */
  | { type: 'setDate'; date: string }
  | { type: 'realTime' }
  /** A bar was clicked or focused: show its certificate card. */
  | { type: 'selectBar'; rowId: string; thumbprint: string }
  | { type: 'closeCard' }
  /** Show the renewal plan (optionally rolling in `thumbprint`), or hide it. */
  | { type: 'plan'; thumbprint?: string }
  | { type: 'closePlan' }
  | { type: 'applyPlan' }
  /** The view as an image, for a change request: SVG text or a PNG data URL. */
  | { type: 'export'; format: TimelineExportFormat; data: string };

export interface TimelineCardView {
  rowId: string;
  thumbprint: string;
  title: string;
  fields: FieldView[];
  /** Where it is assigned ("OAuthTokenIssuer (global, current)", "Default on fe01.contoso.com"). */
  assigned: string[];
  tone: StatusTone;
}

export interface TimelinePlanView {
  situation: RenewalSituation;
  effectiveDate: string;
  /** e.g. "7/30/2026 12:00:00 AM (UTC)". */
  effectiveText: string;
  steps: { kind: RenewalStepKind; when: string; title: string; detail: string; powershell: string[] }[];
  warnings: string[];
  candidates: { thumbprint: string; label: string; fit: boolean; chosen: boolean }[];
  canApply: boolean;
  /** Why Apply is disabled, when it is. */
  applyHint?: string;
  /** The extension's own rules the plan applies (the lead's rounding to midnight, the step dates). */
  note: string;
}

export interface TimelineView {
  layout: TimelineLayout;
  /** The dates as the model writes them, for the header: "Today: 6/15/2026 10:00:00 AM (UTC)". */
  nowText: string;
  simulatedClockAllowed: boolean;
  card?: TimelineCardView;
  plan?: TimelinePlanView;
  /** A message for the user (an applied plan, a refused date). */
  notice?: StatusView;
  saved: TimelineSavedState;
}

export type TimelineToWebview = { type: 'render'; view: TimelineView };

/** An exported PNG or SVG may be large (12,000 servers), but not unbounded. */
export const MAX_TIMELINE_EXPORT_LENGTH = 64 * 1024 * 1024;
const MAX_GROUP_ID_LENGTH = 300;
const MAX_EXPANDED_GROUPS = 20_000;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function groupId(value: unknown, what: string): string {
  const s = text(value, what, MAX_GROUP_ID_LENGTH);
  if (s !== 'global' && !(s.startsWith('pool:') && isFqdn(s.slice(5)))) throw new Invalid(`${what} is not a timeline group`);
  return s;
}

function timelineSavedState(value: unknown): TimelineSavedState {
  const obj = record(value, 'state');
  onlyKeys(obj, ['expanded', 'scrollTop', 'plan'], 'state');
  const out: TimelineSavedState = {};
  if (obj.expanded !== undefined) {
    if (!Array.isArray(obj.expanded) || obj.expanded.length > MAX_EXPANDED_GROUPS) throw new Invalid('state.expanded must be a list of group ids');
    out.expanded = obj.expanded.map((g, i) => groupId(g, `state.expanded[${i}]`));
  }
  if (obj.scrollTop !== undefined) {
    if (typeof obj.scrollTop !== 'number' || !Number.isFinite(obj.scrollTop) || obj.scrollTop < 0) throw new Invalid('state.scrollTop must be a number ≥ 0');
    out.scrollTop = obj.scrollTop;
  }
  if (obj.plan !== undefined) {
    const plan = record(obj.plan, 'state.plan');
    onlyKeys(plan, ['thumbprint'], 'state.plan');
    out.plan = plan.thumbprint === undefined ? {} : { thumbprint: thumbprint(plan.thumbprint, 'state.plan.thumbprint') };
  }
  return out;
}

const TIMELINE_TO_HOST_TYPES: readonly TimelineToHost['type'][] = ['ready', 'toggleGroup', 'setDate', 'realTime', 'selectBar', 'closeCard', 'plan', 'closePlan', 'applyPlan', 'export'];

function timelineToHost(value: unknown): TimelineToHost {
  const obj = record(value, 'message');
  const type = oneOf(obj.type, TIMELINE_TO_HOST_TYPES, 'message.type');
  const fields = (...keys: string[]) => onlyKeys(obj, ['type', ...keys], `"${type}" message`);
  switch (type) {
    case 'ready':
      fields('state');
      return obj.state === undefined ? { type } : { type, state: timelineSavedState(obj.state) };
    case 'toggleGroup':
      fields('group');
      return { type, group: groupId(obj.group, 'toggleGroup.group') };
    case 'setDate': {
      fields('date');
      const date = text(obj.date, 'setDate.date', 40);
      if (!ISO_WITH_ZONE.test(date) || Number.isNaN(Date.parse(date))) throw new Invalid('setDate.date must be an ISO 8601 date-time with a zone');
      return { type, date };
    }
    case 'selectBar':
      fields('rowId', 'thumbprint');
      return { type, rowId: text(obj.rowId, 'selectBar.rowId', MAX_GROUP_ID_LENGTH + 40), thumbprint: thumbprint(obj.thumbprint, 'selectBar.thumbprint') };
    case 'plan':
      fields('thumbprint');
      return obj.thumbprint === undefined ? { type } : { type, thumbprint: thumbprint(obj.thumbprint, 'plan.thumbprint') };
    case 'export': {
      fields('format', 'data');
      const format = oneOf(obj.format, TIMELINE_EXPORT_FORMATS, 'export.format');
      const data = text(obj.data, 'export.data', MAX_TIMELINE_EXPORT_LENGTH, { allowControl: true });
      if (format === 'png' && !data.startsWith('data:image/png;base64,')) throw new Invalid('export.data must be a PNG data URL');
      if (format === 'svg' && !data.startsWith('<svg')) throw new Invalid('export.data must be SVG text');
      return { type, format, data };
    }
    case 'realTime':
    case 'closeCard':
    case 'closePlan':
    case 'applyPlan':
      fields();
      return { type };
  }
}

/** Checks a message from the timeline webview, as parseToHost does the wizard's. */
export function parseTimelineToHost(msg: unknown): Parsed<TimelineToHost> {
  try {
    return { ok: true, msg: timelineToHost(msg) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Checks timeline UI state saved by the webview (its own getState, or VS Code's serializer). */
export function parseTimelineSavedState(value: unknown): Parsed<TimelineSavedState> {
  try {
    return { ok: true, msg: timelineSavedState(value) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}
