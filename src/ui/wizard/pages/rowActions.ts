// View and Remove on the Certificate Wizard (Deployment Wizard help: View Certificate, Remove Certificate): both act
// on the selected row and only when it has a certificate. View shows the certificate through the one presenter;
// Remove explains what removing means, then runs Remove-CsCertificate for the row's uses on Next.
import { renderPowerShell, type OperationRequest, type StoredCertificate } from '../../../core';
import { certificateFields, certificateName } from '../../../present/certificate';
import type { UseRowId } from '../../../shared/protocol';
import type { Page } from '../page';
import { ROW_LABELS, isGlobalRow, lookupFor, rowSlots, usesAt } from '../rows';
import { go, toCertificates, type PageEnv, type RowUi } from '../state';
import { nav, wizardButtons } from '../widgets';

/** The certificate the row's first use has, or undefined (Remove and View are then unavailable). */
export function rowCertificate(env: PageEnv, row: UseRowId): { thumbprint: string; cert?: StoredCertificate } | undefined {
  const thumbprint = rowSlots(env.state, env.at.server, row).find((s) => s?.current)?.current?.thumbprint;
  return thumbprint === undefined ? undefined : { thumbprint, cert: lookupFor(env.state, env.at.server, row)(thumbprint) };
}

/** Remove-CsCertificate for the row: -Identity global for the global use, else this computer's uses. */
export function removeRequest(env: PageEnv, row: UseRowId): Extract<OperationRequest, { cmdlet: 'Remove-CsCertificate' }> {
  return isGlobalRow(row)
    ? { cmdlet: 'Remove-CsCertificate', identity: 'global', type: usesAt(env.state, env.at.server, row) }
    : { cmdlet: 'Remove-CsCertificate', computer: env.at.server.fqdn, type: usesAt(env.state, env.at.server, row) };
}

export const viewPage: Page<RowUi> = {
  navigate: (ui, action) => (action === 'close' || action === 'finish' ? go(toCertificates(ui)) : undefined),
  render(ui, env) {
    const cert = rowCertificate(env, ui.use);
    const full = cert?.cert;
    return {
      body: {
        kind: 'form',
        intro: `The certificate assigned to ${ROW_LABELS[ui.use]} on ${isGlobalRow(ui.use) ? 'the global scope (Central Management store)' : env.at.server.fqdn}.`,
        fields: [],
        notes: full ? [] : [`${cert?.thumbprint ?? 'The certificate'} is not in the store any more.`],
        actions: [],
        ...(full ? { details: { thumbprint: full.thumbprint, title: certificateName(full), fields: certificateFields(full).map(({ label, value }) => ({ label, value })) } } : {}),
      },
      buttons: [nav('close', 'OK', true, true)],
    };
  },
};

export const removeIntroPage: Page<RowUi> = {
  navigate(ui, action, env) {
    if (action === 'back' || action === 'cancel') return go(toCertificates(ui));
    if (action === 'next') return go(ui, { kind: 'run-remove', request: removeRequest(env, ui.use) });
    return undefined;
  },
  render(ui, env) {
    const cert = rowCertificate(env, ui.use);
    const name = cert?.cert ? certificateName(cert.cert) : cert?.thumbprint ?? '';
    const global = isGlobalRow(ui.use);
    return {
      body: {
        kind: 'form',
        intro: `Remove the certificate assigned to ${ROW_LABELS[ui.use]}${global ? ' at the global scope' : ` on ${env.at.server.fqdn}`}: ${name}. Read what this means, then click Next.`,
        fields: [{
          kind: 'list', label: 'What removing does', items: [
            'Skype for Business Server stops using the certificate for these uses; the certificate stays in the certificate store [S4].',
            global ? 'The change is made in the Central Management store and replicates to every Front End: until another certificate is assigned, server-to-server authentication has no certificate.'
              : `The services on ${env.at.server.fqdn} that use it have no certificate until another is assigned.`,
            'The real cmdlet asks for confirmation when the certificate is in use; clicking Next here is that confirmation.',
          ],
        }],
        notes: [],
        powershell: [renderPowerShell(removeRequest(env, ui.use))],
        actions: [],
      },
      buttons: wizardButtons({ back: true, next: true }),
    };
  },
};
