// Import Certificate Summary: what the reader found in the file and the Import-CsCertificate line that will run.
import { PFX_PASSWORD_NOTE, renderPowerShell, type OperationRequest } from '../../../core';
import { certificateFields } from '../../../present/certificate';
import type { Page } from '../page';
import { baseOf, go, toCertificates, type Effect, type ImportSummaryUi, type PendingImport } from '../state';
import { wizardButtons } from '../widgets';

/** Import-CsCertificate, local parameter set: into this computer's store, with the bytes and password the panel kept. */
export function importRequest(effect: Effect & { kind: 'run-import' }, pending: PendingImport, serverPath: (p: string) => string): OperationRequest {
  // -Path as the Front End names the file (the Management Shell's drive mapping); the store keeps where it was read.
  const request: Extract<OperationRequest, { cmdlet: 'Import-CsCertificate' }> = { cmdlet: 'Import-CsCertificate', computer: effect.computer, path: serverPath(effect.path), sourceFile: effect.path, bytes: pending.bytes };
  if (pending.password !== undefined) request.password = pending.password;
  return request;
}

/** What the import summary shows of the certificate (the presenter's fields, by property). */
const IMPORT_SUMMARY_FIELDS = ['Subject', 'FriendlyName', 'Issuer', 'Thumbprint', 'NotAfter', 'Key'];

export const importSummaryPage: Page<ImportSummaryUi> = {
  navigate(ui, action, { at }) {
    if (action === 'back') return go({ ...baseOf(ui), page: 'import-file' });
    if (action === 'cancel') return go(toCertificates(ui));
    return action === 'next' ? go(ui, { kind: 'run-import', computer: at.server.fqdn, path: ui.candidate.path }) : undefined;
  },
  render(ui, { at }) {
    const { candidate } = ui;
    const r = candidate.record;
    return {
      body: {
        kind: 'summary',
        intro: 'Review the import, then click Next to run it.',
        items: [
          { label: 'Computer', value: at.server.fqdn },
          // What the product's summary shows: the file's name, its path and whether it holds a private key (Deployment Wizard help: Import Certificate Summary).
          { label: 'File name', value: candidate.path.split(/[\\/]/).pop() || candidate.path },
          { label: 'Path', value: candidate.path },
          { label: 'Contains a private key', value: r.hasPrivateKey ? 'Yes' : 'No' },
          ...certificateFields(r).filter((f) => IMPORT_SUMMARY_FIELDS.includes(f.property)).map(({ label, value }) => ({ label, value })),
          { label: 'Already in the store', value: at.server.certificates.some((c) => c.thumbprint === r.thumbprint) ? 'Yes: the imported copy replaces it' : 'No' },
        ],
        powershell: [renderPowerShell({ cmdlet: 'Import-CsCertificate', path: candidate.path, password: candidate.passwordGiven ? '' : undefined })],
        notes: [...candidate.notes, ...(candidate.passwordGiven ? [PFX_PASSWORD_NOTE] : [])],
      },
      buttons: wizardButtons({ back: true, next: true }),
    };
  },
};
