// The Certificate Wizard: one row per certificate use of the computer, with the assigned certificate, its expiry,
// where the assignment lives (Global or Local) and the rules' verdict. Its buttons are the Deployment Wizard help's:
// Request, Assign, Remove and View (for the selected row; Remove and View only when it has a certificate), Refresh,
// Import Certificate and Process Pending Request (only when the computer has a pending request).
import { formatUsDateTime, pendingRequests, type CertUse, type Deployment, type Finding, type Server, type ServerLocation } from '../../../core';
import type { PageBody, UseRowId, UseRowView } from '../../../shared/protocol';
import { certificateName } from '../../../present/certificate';
import type { Page } from '../page';
import { ROW_LABELS, TONE_OF, isGlobalRow, lookupFor, rowSlots, rowsOf, usesAt, worst } from '../rows';
import { baseOf, go, refuse, type PlainUi } from '../state';
import { LAYOUT_NOT_CONFIRMED, button, nav } from '../widgets';
import { startRequest } from './request';
import { rowCertificate } from './rowActions';

/** The deployment's findings that speak about this row of this server. */
function rowFindings(findings: readonly Finding[], fqdn: string, uses: readonly CertUse[], row: UseRowId, thumbprint: string): Finding[] {
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
  const uses = usesAt(state, server, row);
  const slots = rowSlots(state, server, row);
  const lookup = lookupFor(state, server, row);
  const thumbprints = slots.map((s) => s?.current?.thumbprint);
  const first = thumbprints.find((t): t is string => t !== undefined);
  const cert = first === undefined ? undefined : lookup(first);
  const view: UseRowView = {
    id: row,
    label: ROW_LABELS[row],
    uses,
    certificate: cert ? certificateName(cert) : first ?? '',
    expiration: cert ? formatUsDateTime(new Date(cert.notAfter)) : '',
    location: isGlobalRow(row) ? 'Global' : 'Local',
    status: { tone: 'none', text: 'Not assigned' },
  };
  if (first !== undefined) {
    view.thumbprint = first;
    if (thumbprints.some((t) => t !== first)) {
      view.status = { tone: 'warning', text: `Not one certificate for all of ${uses.join(', ')}: assign one certificate to all of them.` };
    } else {
      const w = worst(rowFindings(findings, server.fqdn, uses, row, first));
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

/** The computer's certificate uses as the Certificate Wizard lists them (the steps page counts them too). */
export function useRows(state: Deployment, findings: readonly Finding[], at: ServerLocation): UseRowView[] {
  return rowsOf(state, at).map((row) => useRow(state, findings, at.server, row));
}

export const certificatesPage: Page<PlainUi> = {
  navigate: (ui, action) => (action === 'close' ? go({ ...ui, page: 'steps' }) : undefined),
  receive(ui, msg, env) {
    const { at } = env;
    switch (msg.type) {
      case 'selectUse':
        return rowsOf(env.state, at).includes(msg.use) ? go({ ...ui, use: msg.use }) : refuse(`${at.server.fqdn} has no ${msg.use} certificate use`);
      case 'assign':
        return ui.use ? go({ ...baseOf(ui), page: 'assign-intro', use: ui.use, override: false, replicate: true }) : refuse('Assign needs a selected certificate use');
      case 'openRequest':
        return ui.use ? go(startRequest(ui, env, ui.use)) : refuse('Request needs a selected certificate use');
      case 'openRemove':
      case 'openView':
        if (!ui.use || !rowCertificate(env, ui.use)) return refuse(`${msg.type === 'openRemove' ? 'Remove' : 'View'} needs a selected certificate use that has a certificate`);
        return go({ ...baseOf(ui), page: msg.type === 'openRemove' ? 'remove-intro' : 'view-certificate', use: ui.use });
      case 'refresh':
        return go(ui);
      case 'openImport':
        return go({ ...ui, page: 'import-file', importForm: { ...ui.importForm, error: undefined } });
      case 'openPending':
        return pendingRequests(env.state, at.server.fqdn).length ? go({ ...ui, page: 'pending-intro', importForm: { ...ui.importForm, path: '', error: undefined, revision: ui.importForm.revision + 1 } }) : refuse(`${at.server.fqdn} has no pending certificate request`);
      default:
        return undefined;
    }
  },
  render(ui, env) {
    const { state, ctx, at } = env;
    const selected = ui.use;
    const assigned = selected ? rowCertificate(env, selected) !== undefined : false;
    const pending = pendingRequests(state, at.server.fqdn).length;
    const noRow = 'Select a certificate use first.';
    const noCert = selected ? 'The selected use has no certificate assigned.' : noRow;
    return {
      body: {
        kind: 'certificates',
        intro: `Certificate uses of ${at.server.fqdn}. Select a use, then Request a certificate for it, Assign one from this computer's store, or Remove or View the one assigned. Import Certificate adds a certificate file to the store; Process Pending Request imports a certification authority's answer to an offline request.`,
        rows: useRows(state, ctx.findings, at),
        selected,
        actions: [
          button('request', 'Request', { type: 'openRequest' }, Boolean(selected), { hint: selected ? undefined : noRow }),
          button('assign', 'Assign', { type: 'assign' }, Boolean(selected), { primary: true, hint: selected ? undefined : noRow }),
          button('remove', 'Remove', { type: 'openRemove' }, assigned, { hint: assigned ? undefined : noCert }),
          button('view', 'View', { type: 'openView' }, assigned, { hint: assigned ? undefined : noCert }),
          button('refresh', 'Refresh', { type: 'refresh' }),
          button('import', 'Import Certificate', { type: 'openImport' }),
          button('process-pending', 'Process Pending Request', { type: 'openPending' }, pending > 0, { hint: pending ? `${pending} pending request${pending === 1 ? '' : 's'} on this computer.` : 'No pending certificate request on this computer.' }),
        ],
      } satisfies PageBody,
      buttons: [nav('close', 'Close')],
      unconfirmed: `Columns and status wording ${LAYOUT_NOT_CONFIRMED}.`,
    };
  },
};
