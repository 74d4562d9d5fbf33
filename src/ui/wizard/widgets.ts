// The pieces every page view is built from: page titles and windows, buttons, sub-wizard steps, status lines,
// and the labels for what Microsoft does not document.
import type { ButtonView, PageBody, PageId, PageView, StatusTone, StatusView } from '../../shared/protocol';

export const PAGE_TITLES: Record<PageId, string> = {
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

const DEPLOYMENT_WINDOW = 'Skype for Business Server - Deployment Wizard';
const ASSIGN_PAGES: PageId[] = ['assign-intro', 'assign-store', 'assign-summary', 'assign-executing'];
const IMPORT_PAGES: PageId[] = ['import-tasks', 'import-file', 'import-summary', 'import-executing'];

export const LAYOUT_NOT_CONFIRMED = '(layout not confirmed by Microsoft documentation)';
export const REQUEST_NOT_SIMULATED =
  'Request is not simulated here: Request-CsCertificate sends the request to a certification authority, which SfB Certificates does not model. Get the certificate from your CA, then use Import Certificate.';

/** The window a page belongs to: the Deployment Wizard, the Certificate Wizard, or the Certificate Assignment wizard. */
export function windowOf(page: PageId): string {
  if (ASSIGN_PAGES.includes(page)) return 'Certificate Assignment';
  if (IMPORT_PAGES.includes(page) || page === 'certificates') return 'Certificate Wizard';
  return DEPLOYMENT_WINDOW;
}

/** The step list a sub-wizard page shows (done, current, to do), or undefined outside the sub-wizards. */
export function subWizardSteps(page: PageId): PageView['steps'] {
  const pages = ASSIGN_PAGES.includes(page) ? ASSIGN_PAGES : IMPORT_PAGES.includes(page) ? IMPORT_PAGES : undefined;
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
export function wizardButtons(opts: { back: boolean; next: boolean | 'import-form'; cancel?: boolean }): ButtonView[] {
  const next = opts.next === 'import-form' ? button('next', 'Next', 'import-form', true, { primary: true }) : nav('next', 'Next', opts.next, true);
  return [nav('back', 'Back', opts.back), next, nav('cancel', 'Cancel', opts.cancel ?? true)];
}

export function status(tone: StatusTone, text: string): StatusView {
  return { tone, text };
}
