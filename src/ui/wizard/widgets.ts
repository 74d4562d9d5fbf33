// The pieces every page view is built from: page titles and windows, buttons, sub-wizard steps, status lines,
// and the labels for what Microsoft does not document.
import { REQUEST_PAGE_IDS, type ButtonView, type PageBody, type PageId, type PageView, type StatusTone, type StatusView } from '../../shared/protocol';

export const PAGE_TITLES: Record<PageId, string> = {
  'no-deployment': 'Skype for Business Server Deployment Wizard',
  home: 'Skype for Business Server Deployment Wizard',
  steps: 'Skype for Business Server',
  certificates: 'Certificate Wizard',
  'assign-intro': 'Certificate Assignment',
  'assign-store': 'Certificate Store',
  'assign-summary': 'Certificate Assignment Summary',
  'assign-executing': 'Executing Commands',
  'import-file': 'Import Certificate',
  'import-summary': 'Import Certificate Summary',
  'import-executing': 'Executing Commands',
  'view-certificate': 'View Certificate',
  'remove-intro': 'Remove Certificate',
  'remove-executing': 'Executing Commands',
  'request-intro': 'Certificate Request',
  'request-delay': 'Delayed or Immediate Requests',
  'request-file': 'Certificate Request File',
  'request-ca': 'Choose a Certificate Authority (CA)',
  'request-template': 'Specify Alternate Certificate Template',
  'request-name': 'Name and Security Settings',
  'request-org': 'Organization Information',
  'request-geo': 'Geographical Information',
  'request-names': 'Subject Name / Subject Alternative Names',
  'request-sip': 'SIP Domain setting on Subject Alternative Names (SANs)',
  'request-sans': 'Configure Additional Subject Alternative Names',
  'request-summary': 'Certificate Request Summary',
  'request-executing': 'Executing Commands',
  'pending-intro': 'Process Pending Request',
  'pending-executing': 'Executing Commands',
};

const DEPLOYMENT_WINDOW = 'Skype for Business Server - Deployment Wizard';
const ASSIGN_PAGES: PageId[] = ['assign-intro', 'assign-store', 'assign-summary', 'assign-executing'];
const IMPORT_PAGES: PageId[] = ['import-file', 'import-summary', 'import-executing'];
const REQUEST_PAGES: PageId[] = [...REQUEST_PAGE_IDS, 'request-executing'];
const SMALL_PAGES: PageId[] = ['view-certificate', 'remove-intro', 'remove-executing', 'pending-intro', 'pending-executing'];

export const LAYOUT_NOT_CONFIRMED = '(layout not confirmed by Microsoft documentation)';

/** The window a page belongs to: the Deployment Wizard, the Certificate Wizard, or the Certificate Assignment wizard. */
export function windowOf(page: PageId): string {
  if (ASSIGN_PAGES.includes(page)) return 'Certificate Assignment';
  if (REQUEST_PAGES.includes(page)) return 'Certificate Request';
  if (IMPORT_PAGES.includes(page) || SMALL_PAGES.includes(page) || page === 'certificates') return 'Certificate Wizard';
  return DEPLOYMENT_WINDOW;
}

/** The step list a sub-wizard page shows (done, current, to do), or undefined outside the sub-wizards. */
export function subWizardSteps(page: PageId): PageView['steps'] {
  const pages = [ASSIGN_PAGES, IMPORT_PAGES, REQUEST_PAGES].find((list) => list.includes(page));
  if (!pages) return undefined;
  const index = pages.indexOf(page);
  return pages.map((p, i) => ({ label: PAGE_TITLES[p], state: i < index ? 'done' : i === index ? 'current' : 'todo' }));
}

/** What a page renders besides its title and window. */
export interface Rendered {
  body: PageBody;
  buttons: ButtonView[];
  /** What on the page Microsoft does not document. */
  unconfirmed?: string;
}

export function button(action: ButtonView['action'], label: string, send: ButtonView['send'] | undefined, enabled = true, extra: Partial<ButtonView> = {}): ButtonView {
  return { action, label, enabled, ...(send ? { send } : {}), ...extra };
}

export const nav = (action: 'next' | 'back' | 'cancel' | 'finish' | 'close', label: string, enabled = true, primary = false): ButtonView =>
  button(action, label, { type: 'navigate', action }, enabled, primary ? { primary } : {});

/** Back, Next and Cancel of a sub-wizard page. */
export function wizardButtons(opts: { back: boolean; next: boolean | 'import-form' | 'form'; cancel?: boolean }): ButtonView[] {
  const next = typeof opts.next === 'string' ? button('next', 'Next', opts.next, true, { primary: true }) : nav('next', 'Next', opts.next, true);
  return [nav('back', 'Back', opts.back), next, nav('cancel', 'Cancel', opts.cancel ?? true)];
}

export function status(tone: StatusTone, text: string): StatusView {
  return { tone, text };
}
