// The Certificate Request wizard (reference §5.3; the Deployment Wizard's certificate-request help pages): one form
// page per step, each with its fields and how its answers change the draft, then Executing Commands. The request
// itself is the core's one request operation (Request-CsCertificate): the panel makes the key, writes the request
// and key files under the server drive and runs it.
import {
  DEFAULT_REQUEST_KEY_SIZE, REQUEST_KEY_SIZES, SIMPLE_URL_RULE, certificateFileFor, keyFileFor, renderRequestPowerShell, requestNames, type CertUse, type OperationOutcome, type RequestResult, type RequestWithoutKey,
} from '../../../core';
import { REQUEST_PAGE_IDS, type FormFieldView, type FormValues, type RequestPageId, type UseRowId } from '../../../shared/protocol';
import type { Page } from '../page';
import { ROW_LABELS, usesAt } from '../rows';
import { baseOf, go, refuse, toCertificates, type PageEnv, type RequestDraft, type RequestUi, type WizardUi } from '../state';
import { LAYOUT_NOT_CONFIRMED, wizardButtons } from '../widgets';

/** How the wizard keeps a request's key: said on the pages where the files are named. */
export const KEY_FILE_NOTE = "Windows keeps a pending request's private key in the computer's request store. SfB Certificates keeps it in a .key.pem file beside the request file (PKCS #8, not password-protected) and never in the deployment file: keep that file private, and delete it once the CA's answer is imported.";

/** "C:\\Certificates\\x.req" → "Certificates/x.req" (the server drive's relative path), or undefined when not under C:\\. */
export function driveRelative(path: string): string | undefined {
  const m = /^[cC]:[\\/]+(.+)$/.exec(path.trim());
  if (!m) return undefined;
  const parts = m[1].split(/[\\/]+/).filter(Boolean);
  if (!parts.length || parts.some((p) => p === '.' || p === '..')) return undefined;
  return parts.join('/');
}

export function newDraft(env: PageEnv, use: UseRowId): RequestDraft {
  const host = env.at.server.fqdn.split('.')[0];
  const primary = env.state.sipDomains.find((d) => d.isDefault)?.name ?? env.state.sipDomains[0]?.name;
  return {
    mode: env.ctx.testCa ? 'test-ca' : 'offline',
    requestFile: `C:\\Certificates\\${host}-${use.toLowerCase()}.req`,
    ca: env.ctx.testCa ?? '',
    useTemplate: false,
    template: '',
    friendlyName: '',
    keySize: DEFAULT_REQUEST_KEY_SIZE,
    exportable: use === 'OAuthTokenIssuer',
    organization: '',
    ou: '',
    country: '',
    state: '',
    city: '',
    sipDomains: primary ? [primary] : [],
    extra: '',
  };
}

/** The core request the draft describes (without its key, made by the panel). */
export function requestOf(computer: string, uses: CertUse[], draft: RequestDraft): RequestWithoutKey {
  const common = {
    computer, type: uses, keySize: draft.keySize, friendlyName: draft.friendlyName || undefined, privateKeyExportable: draft.exportable,
    template: draft.useTemplate ? draft.template : undefined, organization: draft.organization || undefined, ou: draft.ou || undefined,
    country: draft.country || undefined, state: draft.state || undefined, city: draft.city || undefined,
    sipDomains: [...draft.sipDomains], domainName: draft.extra.split(',').map((n) => n.trim()).filter(Boolean),
  };
  const rel = driveRelative(draft.requestFile) ?? 'Certificates/request.req';
  if (draft.mode === 'offline') return { ...common, mode: 'offline', output: draft.requestFile, requestFile: rel, keyFile: keyFileFor(rel) };
  return { ...common, mode: 'test-ca', ca: draft.ca, keyFile: keyFileFor(rel), certificateFile: certificateFileFor(rel) };
}

interface FormPage {
  intro: (ui: RequestUi, env: PageEnv) => string;
  fields: (ui: RequestUi, env: PageEnv) => FormFieldView[];
  /** The draft with the page's answers, or why they cannot be taken. */
  apply?: (draft: RequestDraft, values: FormValues, env: PageEnv) => RequestDraft | string;
  /** Not shown for this draft. */
  skip?: (draft: RequestDraft) => boolean;
  notes?: (ui: RequestUi, env: PageEnv) => string[];
}

const str = (values: FormValues, key: string): string => (typeof values[key] === 'string' ? (values[key] as string).trim() : '');
const bool = (values: FormValues, key: string): boolean => values[key] === true;

function names(ui: RequestUi, env: PageEnv) {
  return requestNames(env.state, env.at, usesAt(env.state, env.at.server, ui.use), ui.draft.sipDomains);
}

const PAGES: Record<RequestPageId, FormPage> = {
  'request-intro': {
    intro: (ui, env) => `Request a certificate for ${ROW_LABELS[ui.use]} (-Type ${usesAt(env.state, env.at.server, ui.use).join(',')}) on ${env.at.server.fqdn}. The subject name and subject alternative names come from the topology. Click Next.`,
    fields: () => [],
  },
  'request-delay': {
    intro: () => 'Send the request now to an online certification authority, or prepare it now and send it later (offline request).',
    fields: (ui, env) => [{
      kind: 'radio', id: 'mode', label: 'Request', value: ui.draft.mode, options: [
        {
          value: 'test-ca', label: 'Send the request immediately to an online certification authority', enabled: Boolean(env.ctx.testCa),
          hint: env.ctx.testCa ? `Only the sample's test CA, ${env.ctx.testCa}, answers here (a lab). (SfB Certificates' rule: no other online CA is modelled.)` : "No online CA is modelled: only the sample's test CA answers, and its file is not in this workspace. (SfB Certificates' rule.)",
        },
        { value: 'offline', label: 'Prepare the request now, but send it later (offline certificate request)' },
      ],
    }],
    apply: (draft, values, env) => {
      const mode = str(values, 'mode');
      if (mode !== 'offline' && mode !== 'test-ca') return 'Choose how to send the request.';
      if (mode === 'test-ca' && !env.ctx.testCa) return "No online certification authority is available: choose the offline request. (SfB Certificates' rule.)";
      return { ...draft, mode };
    },
  },
  'request-file': {
    skip: (d) => d.mode !== 'offline',
    intro: () => 'Type the full path and file name of the certificate signing request (CSR) to create. Send this file to your certification authority.',
    fields: (ui) => [{ kind: 'text', id: 'requestFile', label: 'File name', value: ui.draft.requestFile, hint: 'A path on the server\'s C:\\ drive, which is a folder of this workspace (setting sfbCertificates.serverDrive).' }],
    notes: () => [KEY_FILE_NOTE],
    apply: (draft, values) => {
      const path = str(values, 'requestFile');
      const rel = driveRelative(path);
      if (!rel) return `"${path}" is not a file path on the server's C:\\ drive, e.g. C:\\Certificates\\request.req.`;
      return { ...draft, requestFile: path };
    },
  },
  'request-ca': {
    skip: (d) => d.mode !== 'test-ca',
    intro: () => 'Select the certification authority (CA) the request is sent to.',
    fields: (ui, env) => [{ kind: 'select', id: 'ca', label: 'Select a CA from the list detected in your environment', value: ui.draft.ca, options: env.ctx.testCa ? [{ value: env.ctx.testCa, label: `${env.ctx.testCa} (the sample's test CA)` }] : [] }],
    apply: (draft, values, env) => (str(values, 'ca') && str(values, 'ca') === env.ctx.testCa ? { ...draft, ca: str(values, 'ca') } : 'Select a certification authority.'),
  },
  'request-template': {
    intro: () => 'By default the request uses the Web Server template. Check the box to name another template of the CA (its template name, not its display name).',
    fields: (ui) => [
      { kind: 'checkbox', id: 'useTemplate', label: 'Use alternative certificate template for the selected Certificate Authority', checked: ui.draft.useTemplate },
      { kind: 'text', id: 'template', label: 'Certificate template name', value: ui.draft.template },
    ],
    apply: (draft, values) => (bool(values, 'useTemplate') && !str(values, 'template') ? 'Type the template name, or uncheck the box.' : { ...draft, useTemplate: bool(values, 'useTemplate'), template: str(values, 'template') }),
  },
  'request-name': {
    intro: () => 'Name the certificate and choose its key length. Left blank, the friendly name is generated.',
    fields: (ui) => [
      { kind: 'text', id: 'friendlyName', label: 'Friendly Name', value: ui.draft.friendlyName },
      { kind: 'select', id: 'keySize', label: 'Bit length', value: String(ui.draft.keySize), options: REQUEST_KEY_SIZES.map((n) => ({ value: String(n), label: String(n) })) },
      { kind: 'checkbox', id: 'exportable', label: "Mark the certificate's private key as exportable", checked: ui.draft.exportable, hint: 'Needed to copy the certificate with its key to other servers; the OAuthTokenIssuer certificate needs an exportable private key [S8].' },
    ],
    apply: (draft, values) => {
      const keySize = Number(str(values, 'keySize'));
      if (!(REQUEST_KEY_SIZES as readonly number[]).includes(keySize)) return `Choose a bit length of ${REQUEST_KEY_SIZES.join(', ')}.`;
      return { ...draft, friendlyName: str(values, 'friendlyName'), keySize, exportable: bool(values, 'exportable') };
    },
  },
  'request-org': {
    intro: () => 'The organization and organizational unit in the certificate\'s subject (optional).',
    fields: (ui) => [{ kind: 'text', id: 'organization', label: 'Organization', value: ui.draft.organization }, { kind: 'text', id: 'ou', label: 'Organizational unit', value: ui.draft.ou }],
    apply: (draft, values) => ({ ...draft, organization: str(values, 'organization'), ou: str(values, 'ou') }),
  },
  'request-geo': {
    intro: () => 'The location in the certificate\'s subject (optional).',
    fields: (ui) => [
      { kind: 'text', id: 'country', label: 'Country/Region (two-letter code)', value: ui.draft.country },
      { kind: 'text', id: 'state', label: 'State/Province', value: ui.draft.state },
      { kind: 'text', id: 'city', label: 'City/Locality', value: ui.draft.city },
    ],
    apply: (draft, values) => {
      const country = str(values, 'country');
      if (country && !/^[A-Za-z]{2}$/.test(country)) return `Country/Region "${country}" is not a two-letter code (e.g. US).`;
      return { ...draft, country: country.toUpperCase(), state: str(values, 'state'), city: str(values, 'city') };
    },
  },
  'request-names': {
    intro: () => 'The subject name and subject alternative names, filled in from the topology. They cannot be edited here.',
    fields: (ui, env) => {
      const n = names(ui, env);
      return [{ kind: 'list', label: 'Subject name', items: [n.commonName] }, { kind: 'list', label: 'Subject alternative names', items: n.dnsNames }];
    },
    notes: (ui, env) => names(ui, env).notes.filter((note) => note === SIMPLE_URL_RULE),
  },
  'request-sip': {
    intro: () => 'Check each SIP domain whose sip.<domain> name the certificate should carry as a subject alternative name.',
    fields: (ui, env) => [{ kind: 'checklist', id: 'sipDomains', label: 'SIP domains', values: [...ui.draft.sipDomains], options: env.state.sipDomains.map((d) => ({ value: d.name, label: `${d.name} (sip.${d.name})` })) }],
    apply: (draft, values, env) => {
      const chosen = Array.isArray(values.sipDomains) ? values.sipDomains : [];
      if (chosen.some((d) => !env.state.sipDomains.some((s) => s.name === d))) return 'Choose SIP domains of the topology.';
      return { ...draft, sipDomains: chosen };
    },
  },
  'request-sans': {
    intro: () => 'Add more subject alternative names, separated by commas (optional).',
    fields: (ui) => [{ kind: 'text', id: 'extra', label: 'Additional subject alternative names', value: ui.draft.extra }],
    apply: (draft, values) => ({ ...draft, extra: str(values, 'extra') }),
  },
  'request-summary': {
    intro: () => 'Review the request. Click Back to change it, or Next to run it.',
    fields: (ui, env) => {
      const n = names(ui, env);
      const d = ui.draft;
      const sans = [...new Set([...n.dnsNames, ...n.sipDomainNames, ...d.extra.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)])];
      return [{
        kind: 'list', label: 'Request', items: [
          `Computer: ${env.at.server.fqdn}`,
          `Uses: ${usesAt(env.state, env.at.server, ui.use).join(', ')}`,
          d.mode === 'offline' ? `Offline request file: ${d.requestFile}` : `Certification authority: ${d.ca}`,
          `Private key file: C:\\${keyFileFor(driveRelative(d.requestFile) ?? 'Certificates/request.req').replace(/\//g, '\\')}`,
          `Friendly name: ${d.friendlyName || '(generated)'}`,
          `Bit length: ${d.keySize}`,
          `Private key exportable: ${d.exportable ? 'Yes' : 'No'}`,
          `Template: ${d.useTemplate ? d.template : 'Web Server (default)'}`,
          `Subject: CN=${n.commonName}${d.ou ? `, OU=${d.ou}` : ''}${d.organization ? `, O=${d.organization}` : ''}${d.city ? `, L=${d.city}` : ''}${d.state ? `, S=${d.state}` : ''}${d.country ? `, C=${d.country}` : ''}`,
        ],
      }, { kind: 'list', label: 'Subject alternative names', items: sans }];
    },
    notes: () => [KEY_FILE_NOTE],
  },
};

/** The page after (or before) `page` for this draft, skipping those that do not apply. */
function neighbour(page: RequestPageId, draft: RequestDraft, step: 1 | -1): RequestPageId | undefined {
  for (let i = REQUEST_PAGE_IDS.indexOf(page) + step; i >= 0 && i < REQUEST_PAGE_IDS.length; i += step) {
    const id = REQUEST_PAGE_IDS[i];
    if (!PAGES[id].skip?.(draft)) return id;
  }
  return undefined;
}

function advance(ui: RequestUi, draft: RequestDraft, env: PageEnv) {
  const next = neighbour(ui.page, draft, 1);
  if (next) return go({ ...ui, page: next, draft, error: undefined });
  const uses = usesAt(env.state, env.at.server, ui.use);
  return go({ ...ui, draft, error: undefined }, { kind: 'run-request', computer: env.at.server.fqdn, uses, draft });
}

export const requestPage: Page<RequestUi> = {
  navigate(ui, action, env) {
    if (action === 'cancel') return go(toCertificates(ui));
    if (action === 'back') {
      const back = neighbour(ui.page, ui.draft, -1);
      return back ? go({ ...ui, page: back, error: undefined }) : go(toCertificates(ui));
    }
    if (action === 'next') return PAGES[ui.page].apply ? refuse(`the ${ui.page} page goes on with a "form" message (it carries the fields)`) : advance(ui, ui.draft, env);
    return undefined;
  },
  receive(ui, msg, env) {
    if (msg.type !== 'form') return undefined;
    const apply = PAGES[ui.page].apply;
    if (!apply) return advance(ui, ui.draft, env);
    const applied = apply(ui.draft, msg.values, env);
    return typeof applied === 'string' ? go({ ...ui, error: applied }) : advance(ui, applied, env);
  },
  render(ui, env) {
    const page = PAGES[ui.page];
    const uses = usesAt(env.state, env.at.server, ui.use);
    const isLast = ui.page === 'request-summary';
    return {
      body: {
        kind: 'form',
        intro: page.intro(ui, env),
        fields: page.fields(ui, env),
        notes: page.notes?.(ui, env) ?? [],
        ...(isLast ? { powershell: [renderRequestPowerShell(requestOf(env.at.server.fqdn, uses, ui.draft))] } : {}),
        ...(ui.error ? { error: ui.error } : {}),
        actions: [],
      },
      buttons: wizardButtons({ back: true, next: page.apply ? 'form' : true }),
      unconfirmed: `Page order and wording follow the Deployment Wizard's help pages; the layout ${LAYOUT_NOT_CONFIRMED.slice(1, -1)}.`,
    };
  },
};

/** The status lines after the request ran ("Online Certificate Request Status" / the offline completion). */
export function requestStatus(request: RequestWithoutKey, outcome: OperationOutcome<unknown>): string[] {
  if (!outcome.ok) return [];
  const result = outcome.result as RequestResult;
  const at = (rel: string) => `C:\\${rel.replace(/\//g, '\\')}`;
  if (request.mode === 'offline') {
    return [
      `Status: the request is pending. Send ${request.output} to your certification authority; when it answers, use Process Pending Request on the Certificate Wizard.`,
      `The private key is in ${at(result.keyFile)}.`,
    ];
  }
  return [`Status: issued. ${result.issued?.thumbprint} is in the certificate store of ${result.computer}; assign it with Assign.`, `The private key is in ${at(result.keyFile)}.`];
}

/** Request on the Certificate Wizard: the first page, for the selected row. */
export function startRequest(ui: WizardUi, env: PageEnv, use: UseRowId): RequestUi {
  return { ...baseOf(ui), page: 'request-intro', use, draft: newDraft(env, use) };
}
