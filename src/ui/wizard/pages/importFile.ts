// Import Certificate: the file, whether it holds the private key, and its password. The panel reads the file; the
// certificate reader decides whether it can be imported (importFileRead), and the password never enters the state.
import { readCertificateFile } from '../../../core';
import type { Page } from '../page';
import { baseOf, go, toCertificates, refuse, type Effect, type FileRead, type ImportCandidate, type PendingImport, type PlainUi, type WizardUi } from '../state';
import { button, wizardButtons } from '../widgets';

/** Browse picked a file. */
export function browsed(ui: WizardUi, path: string): WizardUi {
  return { ...ui, importForm: { ...ui.importForm, path, error: undefined, revision: ui.importForm.revision + 1 } };
}

/** The Import Certificate page shows why the file cannot be imported (and drops what was typed, the password too). */
export function importRefused(ui: WizardUi, error: string): WizardUi {
  return { ...ui, importForm: { ...ui.importForm, error, revision: ui.importForm.revision + 1 } };
}

/**
 * The file named on the Import Certificate page was read: the certificate reader decides. Refused → the Import
 * page shows why and nothing changes. Accepted → the summary, and the bytes and password for the panel to keep.
 */
export function importFileRead(ui: WizardUi, effect: Effect & { kind: 'read-import' }, file: FileRead): { ui: WizardUi; pending?: PendingImport } {
  const refused = (error: string) => ({ ui: importRefused(ui, error) });
  if (!file.ok) return refused(file.message);
  const fileName = effect.path.split(/[\\/]/).pop() || effect.path;
  const read = readCertificateFile(file.bytes, { password: effect.password, fileName });
  if (!read.ok) return refused(`${fileName}: ${read.error.message}${read.error.fix ? ` ${read.error.fix}` : ''}`);
  if (effect.hasPrivateKey && !read.record.hasPrivateKey) {
    return refused(`${fileName} holds no private key, but "Certificate file contains certificate's private key" is checked. Uncheck it to import the certificate alone, or choose the .pfx file that contains the key. (SfB Certificates' rule; the product's exact behaviour is unconfirmed.)`);
  }
  const candidate: ImportCandidate = { path: effect.path, passwordGiven: effect.password !== undefined, record: read.record, notes: read.notes };
  return {
    ui: { ...baseOf(ui), page: 'import-summary', candidate },
    pending: effect.password === undefined ? { bytes: file.bytes } : { bytes: file.bytes, password: effect.password },
  };
}

export const importFilePage: Page<PlainUi> = {
  navigate(ui, action) {
    if (action === 'back' || action === 'cancel') return go(toCertificates(ui));
    return action === 'next' ? refuse('the Import Certificate page goes on with a "requestImport" message (it carries the form)') : undefined;
  },
  receive(ui, msg) {
    switch (msg.type) {
      case 'browse':
        return go(ui, { kind: 'browse' });
      case 'requestImport': {
        const effect: Effect = { kind: 'read-import', path: msg.path, hasPrivateKey: msg.hasPrivateKey };
        if (msg.password !== undefined) effect.password = msg.password;
        return go({ ...ui, importForm: { ...ui.importForm, path: msg.path, hasPrivateKey: msg.hasPrivateKey, error: undefined } }, effect);
      }
      default:
        return undefined;
    }
  },
  render: (ui, { at }) => ({
    body: {
      kind: 'import-form',
      intro: `Select the certificate file to import into the certificate store of ${at.server.fqdn} (typically a .p7b, .pfx or .cer file). If the file contains the certificate's private key, check the box and type its password. Nothing is assigned yet: assign it afterwards with Assign.`,
      path: ui.importForm.path,
      hasPrivateKey: ui.importForm.hasPrivateKey,
      revision: ui.importForm.revision,
      ...(ui.importForm.error ? { error: ui.importForm.error } : {}),
      actions: [button('browse', 'Browse…', { type: 'browse' })],
    },
    buttons: wizardButtons({ back: true, next: 'import-form' }),
  }),
};
