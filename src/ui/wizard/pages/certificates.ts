// The Certificate Wizard: one row per certificate use of the computer, with the assigned certificate, its expiry,
// where the assignment lives (Global or Local) and the rules' verdict. Assign and Import Certificate start from here.
import { formatUsDateTime, type Deployment, type Finding, type Server, type ServerLocation } from '../../../core';
import type { PageBody, UseRowId, UseRowView } from '../../../shared/protocol';
import { certificateName } from '../../../present/certificate';
import type { Page } from '../page';
import { ROW_FACTS, TONE_OF, isGlobalRow, lookupFor, rowSlots, rowsOf, worst } from '../rows';
import { baseOf, go, refuse, type PlainUi } from '../state';
import { LAYOUT_NOT_CONFIRMED, REQUEST_NOT_SIMULATED, button, nav } from '../widgets';

/** The deployment's findings that speak about this row of this server. */
function rowFindings(findings: readonly Finding[], fqdn: string, row: UseRowId, thumbprint: string): Finding[] {
  const uses = ROW_FACTS[row].uses;
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
  const facts = ROW_FACTS[row];
  const slots = rowSlots(state, server, row);
  const lookup = lookupFor(state, server, row);
  const thumbprints = slots.map((s) => s?.current?.thumbprint);
  const first = thumbprints.find((t): t is string => t !== undefined);
  const cert = first === undefined ? undefined : lookup(first);
  const view: UseRowView = {
    id: row,
    label: facts.label,
    uses: facts.uses,
    certificate: cert ? certificateName(cert) : first ?? '',
    expiration: cert ? formatUsDateTime(new Date(cert.notAfter)) : '',
    location: isGlobalRow(row) ? 'Global' : 'Local',
    status: { tone: 'none', text: 'Not assigned' },
  };
  if (first !== undefined) {
    view.thumbprint = first;
    if (thumbprints.some((t) => t !== first)) {
      view.status = { tone: 'warning', text: `Not one certificate for all of ${facts.uses.join(', ')}: assign one certificate to all of them.` };
    } else {
      const w = worst(rowFindings(findings, server.fqdn, row, first));
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
  return rowsOf(at.pool).map((row) => useRow(state, findings, at.server, row));
}

export const certificatesPage: Page<PlainUi> = {
  navigate: (ui, action) => (action === 'close' ? go({ ...ui, page: 'steps' }) : undefined),
  receive(ui, msg, { at }) {
    switch (msg.type) {
      case 'selectUse':
        return rowsOf(at.pool).includes(msg.use) ? go({ ...ui, use: msg.use }) : refuse(`${at.server.fqdn} has no ${msg.use} certificate use`);
      case 'assign':
        return ui.use ? go({ ...baseOf(ui), page: 'assign-intro', use: ui.use, override: false, replicate: true }) : refuse('Assign needs a selected certificate use');
      case 'openImport':
        return go({ ...ui, page: 'import-tasks' });
      default:
        return undefined;
    }
  },
  render: (ui, { state, ctx, at }) => ({
    body: {
      kind: 'certificates',
      intro: `Certificate uses of ${at.server.fqdn}. Select a use, then click Assign to give it a certificate from this computer's store, or Import Certificate to add a certificate to the store.`,
      rows: useRows(state, ctx.findings, at),
      selected: ui.use,
      actions: [
        button('request', 'Request', undefined, false, { hint: REQUEST_NOT_SIMULATED }),
        button('assign', 'Assign', { type: 'assign' }, Boolean(ui.use), { primary: true, hint: ui.use ? undefined : 'Select a certificate use first.' }),
        button('import', 'Import Certificate', { type: 'openImport' }),
      ],
    } satisfies PageBody,
    buttons: [nav('close', 'Close')],
    unconfirmed: `Columns, status wording and the Import Certificate button ${LAYOUT_NOT_CONFIRMED}.`,
  }),
};
