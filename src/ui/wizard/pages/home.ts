// The Deployment Wizard's home page: choose the computer, then Install or Update Skype for Business Server System.
import { findServer, type Deployment, type Pool, type Server } from '../../../core';
import type { PageBody } from '../../../shared/protocol';
import type { Page } from '../page';
import { roleName } from '../rows';
import { go, onServer, refuse, type PlainUi } from '../state';
import { LAYOUT_NOT_CONFIRMED, button, nav } from '../widgets';

function serverLabel(pool: Pool, server: Server): string {
  return `${server.fqdn} — ${roleName(pool)}${pool.fqdn.toLowerCase() === server.fqdn.toLowerCase() ? '' : ` (pool ${pool.fqdn})`}`;
}

function homeBody(state: Deployment, ui: PlainUi): PageBody {
  return {
    kind: 'home',
    intro: 'The Deployment Wizard runs on one computer of the topology. Choose the computer, then install or update Skype for Business Server on it.',
    servers: state.pools.flatMap((pool) => pool.servers.map((s) => ({ fqdn: s.fqdn, label: serverLabel(pool, s) }))),
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
        return go(found.server.fqdn === ui.serverFqdn ? ui : onServer(ui, found.server.fqdn));
      }
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
