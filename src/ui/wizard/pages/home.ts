// The Deployment Wizard's home page: choose the computer, then Install or Update Skype for Business Server System.
// On a large topology the computer list holds at most HOME_SERVER_LIMIT computers (the chosen one always), those whose
// name contains the text the user typed: 12,000 options made the page's HTML a megabyte and its first paint 2× an empty
// webview's. Narrowing the list is SfB Certificates' own (the real wizard runs on one computer and lists none).
import { findServer, type Deployment, type Pool, type Server } from '../../../core';
import type { PageBody, ServerFilterView, ServerOptionView } from '../../../shared/protocol';
import type { Page } from '../page';
import { roleName } from '../rows';
import { go, onServer, refuse, type PlainUi } from '../state';
import { LAYOUT_NOT_CONFIRMED, button, nav } from '../widgets';

function serverLabel(pool: Pool, server: Server): string {
  return `${server.fqdn} — ${roleName(pool)}${pool.fqdn.toLowerCase() === server.fqdn.toLowerCase() ? '' : ` (pool ${pool.fqdn})`}`;
}

/** Computers the home page lists at most (a select of thousands is slow to build and to use). */
export const HOME_SERVER_LIMIT = 200;

function serverList(state: Deployment, ui: PlainUi): { servers: ServerOptionView[]; filter?: ServerFilterView } {
  let total = 0;
  for (const pool of state.pools) total += pool.servers.length;
  if (total <= HOME_SERVER_LIMIT) return { servers: state.pools.flatMap((pool) => pool.servers.map((s) => ({ fqdn: s.fqdn, label: serverLabel(pool, s) }))) };
  const text = (ui.serverFilter ?? '').trim().toLowerCase();
  const servers: ServerOptionView[] = [];
  let matching = 0;
  let chosen: ServerOptionView | undefined;
  for (const pool of state.pools) {
    const poolMatches = pool.fqdn.toLowerCase().includes(text);
    for (const s of pool.servers) {
      const isChosen = s.fqdn === ui.serverFqdn;
      if (!poolMatches && !s.fqdn.toLowerCase().includes(text)) {
        if (isChosen) chosen = { fqdn: s.fqdn, label: serverLabel(pool, s) };
        continue;
      }
      matching++;
      if (servers.length < HOME_SERVER_LIMIT) servers.push({ fqdn: s.fqdn, label: serverLabel(pool, s) });
      else if (isChosen) chosen = { fqdn: s.fqdn, label: serverLabel(pool, s) };
    }
  }
  // The chosen computer stays in the list (the select shows it), first when the text leaves it out.
  if (chosen) servers.unshift(chosen);
  return { servers, filter: { text: ui.serverFilter ?? '', matching, total, limit: HOME_SERVER_LIMIT } };
}

function homeBody(state: Deployment, ui: PlainUi): PageBody {
  return {
    kind: 'home',
    intro: 'The Deployment Wizard runs on one computer of the topology. Choose the computer, then install or update Skype for Business Server on it.',
    ...serverList(state, ui),
    serverFqdn: ui.serverFqdn,
    tasks: [button('install-or-update', 'Install or Update Skype for Business Server System', { type: 'installOrUpdate' }, Boolean(ui.serverFqdn), { primary: true })],
  };
}

export const homePage: Page<PlainUi> = {
  navigate: (ui, action) => (action === 'close' ? go(ui, { kind: 'dispose' }) : undefined),
  receive(ui, msg, { state }) {
    switch (msg.type) {
      case 'pickServer': {
        const found = findServer(state, msg.serverFqdn);
        if (!found) return refuse(`no server named ${msg.serverFqdn} is in the deployment`);
        // The list stays as narrowed.
        return go(found.server.fqdn === ui.serverFqdn ? ui : { ...onServer(ui, found.server.fqdn), serverFilter: ui.serverFilter });
      }
      case 'filterServers':
        return go({ ...ui, serverFilter: msg.text });
      case 'installOrUpdate':
        return go({ ...ui, page: 'steps' });
      default:
        return undefined;
    }
  },
  render: (ui, { state }) => ({
    body: homeBody(state, ui),
    buttons: [nav('close', 'Exit')],
    unconfirmed: `Only "Install or Update Skype for Business Server System" is simulated; the page's other tasks are left out ${LAYOUT_NOT_CONFIRMED}.`,
  }),
};
