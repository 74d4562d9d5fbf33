// The Deployment Wizard's messages (src/ui/wizard/panel.ts ↔ media/wizard/main.ts).
//
// Direction webview → host (`ToHost`): the webview reports what the user did (a click, a selection, a form) and
// never decides anything. Every message is checked by `parseToHost` before the host looks at it; the host then
// checks it against the deployment (a server or thumbprint that does not exist is rejected too).
// Direction host → webview (`ToWebview`): one `render` message with the complete page; the webview shows only
// what it is sent. A PFX password travels in exactly one message (`requestImport`) and never comes back.
import { Invalid, MAX_FQDN_LENGTH, MAX_PASSWORD_LENGTH, MAX_PATH_LENGTH, boolean, fqdn, oneOf, onlyKeys, parsing, record, text, thumbprint } from './check';

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
  /** Home page on a large topology: the text that narrows the computer list. */
  | { type: 'filterServers'; text: string }
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

/**
 * The home page's computer list on a large topology: it holds at most `limit` computers (the chosen one always), those
 * whose name contains `text`; the user narrows it by typing (the `filterServers` message).
 */
export interface ServerFilterView {
  text: string;
  /** Computers whose FQDN or pool FQDN contains the text, and in the topology. */
  matching: number;
  total: number;
  limit: number;
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
  | { kind: 'home'; intro: string; servers: ServerOptionView[]; serverFqdn?: string; tasks: ButtonView[]; filter?: ServerFilterView }
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
  'ready', 'navigate', 'pickServer', 'filterServers', 'installOrUpdate', 'runStep3', 'selectUse', 'assign', 'openImport', 'openRequest', 'openRemove', 'openView', 'refresh', 'openPending', 'form',
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
    case 'filterServers':
      fields('text');
      return { type, text: text(obj.text, 'filterServers.text', 255, { allowEmpty: true }) };
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
export const parseToHost = parsing<ToHost>(toHost);

/** Checks UI state saved by the webview (its own getState, or VS Code's serializer). */
export const parseSavedState = parsing<SavedState>(savedState);
