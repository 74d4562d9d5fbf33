// The Deployment Wizard as a pure state machine: no 'vscode', no I/O. The panel (panel.ts) feeds it the webview's
// (already parsed) messages and the deployment; it answers with the next state and, where something must happen
// outside (run an operation, read a file, open the log), an effect for the panel to perform. `view` turns a state
// into the complete page the webview renders.
//
// Each page is a module of pages/ with its own state type (state.ts): the Deployment Wizard home, the Skype for
// Business Server steps page, the Certificate Wizard, the Certificate Assignment wizard and the import path. This
// module picks the page for a state, keeps the state in line with the deployment and restores a saved page. What
// Microsoft does not document is labelled on the page (PageView.unconfirmed).
import { findServer } from '../../core';
import type { PageId, PageView, SavedState, ToHost } from '../../shared/protocol';
import type { NavAction, Page, PageMessage } from './page';
import { assignIntroPage } from './pages/assignIntro';
import { assignStorePage } from './pages/assignStore';
import { assignSummaryPage } from './pages/assignSummary';
import { certificatesPage } from './pages/certificates';
import { executingPage } from './pages/executing';
import { homePage } from './pages/home';
import { importFilePage } from './pages/importFile';
import { importSummaryPage } from './pages/importSummary';
import { pendingPage } from './pages/pending';
import { requestPage } from './pages/request';
import { removeIntroPage, viewPage } from './pages/rowActions';
import { stepsPage } from './pages/steps';
import { defaultServer, locate, rowsOf, storeCertificate } from './rows';
import {
  EMPTY_FORM, go, isAssignPage, onServer, refuse, toCertificates,
  type PageEnv, type PlainPage, type Transition, type WizardBase, type WizardContext, type WizardUi,
} from './state';
import { PAGE_TITLES, nav, subWizardSteps, windowOf, type Rendered } from './widgets';

/** A page together with the state it is in. */
interface BoundPage {
  navigate(action: NavAction, env: PageEnv): Transition | undefined;
  receive(msg: PageMessage, env: PageEnv): Transition | undefined;
  settle(env: PageEnv): WizardUi;
  render(env: PageEnv): Rendered;
}

function bind<S extends WizardUi>(page: Page<S>, ui: S): BoundPage {
  return {
    navigate: (action, env) => page.navigate(ui, action, env),
    receive: (msg, env) => page.receive?.(ui, msg, env),
    settle: (env) => page.settle?.(ui, env) ?? ui,
    render: (env) => page.render(ui, env),
  };
}

function pageOf(ui: WizardUi): BoundPage {
  switch (ui.page) {
    case 'no-deployment':
    case 'home':
      return bind(homePage, ui);
    case 'steps':
      return bind(stepsPage, ui);
    case 'certificates':
      return bind(certificatesPage, ui);
    case 'assign-intro':
      return bind(assignIntroPage, ui);
    case 'assign-store':
      return bind(assignStorePage, ui);
    case 'assign-summary':
      return bind(assignSummaryPage, ui);
    case 'import-file':
      return bind(importFilePage, ui);
    case 'import-summary':
      return bind(importSummaryPage, ui);
    case 'assign-executing':
    case 'import-executing':
    case 'remove-executing':
    case 'request-executing':
    case 'pending-executing':
      return bind(executingPage, ui);
    case 'view-certificate':
      return bind(viewPage, ui);
    case 'remove-intro':
      return bind(removeIntroPage, ui);
    case 'pending-intro':
      return bind(pendingPage, ui);
    default:
      return bind(requestPage, ui);
  }
}

function envOf(ui: WizardUi, ctx: WizardContext): PageEnv | undefined {
  const at = locate(ui, ctx);
  return ctx.state && at ? { ctx, state: ctx.state, at } : undefined;
}

/** A new wizard: the home page on `serverFqdn` (when it exists) or the default server. */
export function initialUi(ctx: WizardContext, serverFqdn?: string): WizardUi {
  const named = ctx.state && serverFqdn ? findServer(ctx.state, serverFqdn)?.server.fqdn : undefined;
  return {
    serverFqdn: named ?? (ctx.state ? defaultServer(ctx.state) : undefined),
    page: ctx.state ? 'home' : 'no-deployment',
    importForm: EMPTY_FORM,
    pristine: true,
  };
}

/** The wizard is opened again for `serverFqdn`: another computer starts over on the home page. */
export function reopened(ui: WizardUi, ctx: WizardContext, serverFqdn: string): WizardUi {
  const found = ctx.state ? findServer(ctx.state, serverFqdn) : undefined;
  if (!found || found.server.fqdn === ui.serverFqdn) return ui;
  return { ...onServer(ui, found.server.fqdn), pristine: false };
}

/**
 * Brings the state in line with the deployment (which may have changed under it): a vanished server, row,
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
  if (next.use && !rowsOf(ctx.state, at).includes(next.use)) {
    // The row left the computer: the sub-wizards that act on it cannot go on without it.
    next = { ...toCertificates(next), use: undefined };
  }
  return pageOf(next).settle({ ctx, state: ctx.state, at });
}

/** The page a saved state names, as far as it can be rebuilt: pages that need what only the host had fall back. */
function restoredPage(page: PageId, base: WizardBase, thumbprint: string | undefined): WizardUi {
  switch (page) {
    case 'assign-executing':
    case 'import-executing':
    case 'remove-executing':
    case 'request-executing':
    case 'pending-executing':
    case 'view-certificate':
    case 'remove-intro':
    case 'certificates':
    case 'no-deployment':
    case 'home':
    case 'steps':
    case 'import-file':
    case 'pending-intro':
      return { ...base, page: isPlain(page) ? page : 'certificates' };
    case 'import-summary':
      return { ...base, page: 'import-file' };
    case 'assign-intro':
    case 'assign-store':
    case 'assign-summary': {
      if (!base.use) return { ...base, page: 'certificates' };
      const choice = { ...base, use: base.use, thumbprint, override: false, replicate: true };
      if (page === 'assign-summary') return thumbprint === undefined ? { ...choice, page: 'assign-store' } : { ...choice, page, thumbprint };
      return { ...choice, page };
    }
    default:
      // The Certificate Request pages: their answers were not saved; start over from the Certificate Wizard.
      return { ...base, page: 'certificates' };
  }
}

function isPlain(page: PageId): page is PlainPage {
  return ['no-deployment', 'home', 'steps', 'certificates', 'import-file', 'pending-intro'].includes(page);
}

/** The page the webview saved, as far as it still holds. */
function restore(ui: WizardUi, saved: SavedState, ctx: WizardContext): Transition {
  if (!ctx.state) return { ok: true, ui: { ...ui, pristine: false } };
  const fqdn = saved.serverFqdn ?? ui.serverFqdn;
  const at = fqdn ? findServer(ctx.state, fqdn) : undefined;
  if (!at) return refuse(`the saved state names ${fqdn ?? 'no server'}, which is not in the deployment`);
  const { selection } = saved;
  if (selection.use && !rowsOf(ctx.state, at).includes(selection.use)) return refuse(`the saved state names the use ${selection.use}, which ${at.server.fqdn} does not have`);
  if (selection.thumbprint && !storeCertificate(at.server, selection.thumbprint)) return refuse(`the saved state names certificate ${selection.thumbprint}, which is not in the store of ${at.server.fqdn}`);
  const base: WizardBase = {
    serverFqdn: at.server.fqdn,
    use: selection.use,
    importForm: { path: selection.importPath ?? '', hasPrivateKey: selection.hasPrivateKey ?? true, revision: ui.importForm.revision + 1 },
    pristine: false,
  };
  return { ok: true, ui: settle(restoredPage(saved.page, base, selection.thumbprint), ctx) };
}

/** Applies one parsed webview message. Refusals leave the state as it was (the panel logs them). */
export function reduce(current: WizardUi, msg: ToHost, ctx: WizardContext): Transition {
  const ui = settle(current, ctx);
  if (msg.type === 'ready') return msg.state && ui.pristine ? restore(ui, msg.state, ctx) : { ok: true, ui };
  const env = envOf(ui, ctx);
  // Without a deployment (or a server) only Exit applies.
  if (!env) return msg.type === 'navigate' && msg.action === 'close' ? go(ui, { kind: 'dispose' }) : refuse('no deployment with a server is loaded');
  const page = pageOf(ui);
  if (msg.type === 'navigate') return page.navigate(msg.action, env) ?? refuse(`"${msg.action}" does not apply to the ${PAGE_TITLES[ui.page]} page`);
  return page.receive(msg, env) ?? refuse(`"${msg.type}" does not apply to the ${PAGE_TITLES[ui.page]} page (${ui.page})`);
}

function saved(ui: WizardUi): SavedState {
  const out: SavedState = { page: ui.page, selection: { hasPrivateKey: ui.importForm.hasPrivateKey } };
  if (ui.serverFqdn) out.serverFqdn = ui.serverFqdn;
  if (ui.use) out.selection.use = ui.use;
  if (isAssignPage(ui) && ui.thumbprint) out.selection.thumbprint = ui.thumbprint;
  if (ui.importForm.path) out.selection.importPath = ui.importForm.path;
  return out;
}

/** The complete page for a (settled) state. */
export function view(current: WizardUi, ctx: WizardContext): PageView {
  const ui = settle(current, ctx);
  const env = envOf(ui, ctx);
  const base = { page: ui.page, window: windowOf(ui.page), title: PAGE_TITLES[ui.page], saved: saved(ui) };
  if (!env) {
    return {
      ...base,
      page: 'no-deployment',
      body: {
        kind: 'message',
        paragraphs: ctx.state
          ? ['The deployment has no server yet. Import a topology (SfB Certificates view) and the wizard follows.']
          : ['No deployment is loaded in this workspace.', 'Open the sample deployment, create a deployment file or import a topology from the SfB Certificates view; the wizard follows.'],
      },
      buttons: [nav('close', 'Exit')],
    };
  }
  const { body, buttons, unconfirmed } = pageOf(ui).render(env);
  const steps = subWizardSteps(ui.page);
  return { ...base, serverFqdn: env.at.server.fqdn, ...(steps ? { steps } : {}), ...(unconfirmed ? { unconfirmed } : {}), body, buttons };
}
