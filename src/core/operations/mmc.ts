// Certificates MMC: export with the private key, import into one computer's store.
import type { KeyObject } from 'node:crypto';
import { readCertificateFileWithKey } from '../certificates/read';
import { about, sfbError, type SfbError } from '../errors';
import { PFX_PASSWORD_NOTE, renderActionComment } from '../cmdlets';
import type { Deployment, OperationOutcome, StoredCertificate } from '../model';
import { withServer } from '../replication';
import { buildPfx } from '../pfx/write';
import type { MmcExportArgs, MmcImportArgs, ImportResult, ExportResult, OperationContext } from './types';
import { fail, failWith, failed, perform, type Step } from './frame';
import { lookup, withCertificate, describeCert, locate, readFile, normalize } from './steps';

// ---------------------------------------------------------------------------------------------
// Certificates MMC (not cmdlets)
// ---------------------------------------------------------------------------------------------

const mmcExportStep: Step<MmcExportArgs, ExportResult> = (state, args) => {
  const describe = (thumbprint: string) => `on ${args.computer}: Personal → ${thumbprint} → All Tasks → Export… → Yes, export the private key → PKCS #12 (.PFX), include all certificates in the certification path, export all extended properties → password → "${args.path}"`;
  const powershell = renderActionComment('MMC-Export', describe(String(args.thumbprint ?? '').trim()));
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const normalized = normalize(args.thumbprint, powershell);
  if (failed(normalized)) return normalized;
  const line = renderActionComment('MMC-Export', describe(normalized.thumbprint));
  const cert = lookup(at.server.certificates, normalized.thumbprint);
  if (!cert) return fail('thumbprint-not-found', `No certificate with thumbprint ${normalized.thumbprint} is in the Personal store of ${at.server.fqdn}.`, 'Pick a certificate from that computer\'s store.', { powershell: line });
  if (!cert.hasPrivateKey) {
    return fail('no-private-key', `${describeCert(cert)} has no private key on ${at.server.fqdn}: the export wizard can only write the certificate without it (a .cer), which is useless on the other Front Ends.`,
      'Export from the computer that holds the private key, or import the certificate there from its PFX.', { powershell: line });
  }
  if (!cert.exportable) {
    return fail('key-not-exportable', `"Yes, export the private key" is greyed out for ${describeCert(cert)}: its private key was not marked exportable when it was imported or requested.`,
      'Import it again from its PFX with -PrivateKeyExportable $True (or tick "Mark this key as exportable"), or request it again with -PrivateKeyExportable $True.', { powershell: line });
  }
  if (!cert.sourceFile) {
    return fail('no-source-file', `SfB Certificates never stores private keys, and ${describeCert(cert)} did not come from a PFX file it can read again.`,
      'Import the certificate from its PFX file, then export it.', { powershell: line });
  }
  if (!args.password) {
    return fail('password-required', 'The Certificates MMC requires a password to protect an exported private key.', 'Type a password for the new PFX file.', { powershell: line });
  }
  const source = keyAndPathFromPfx(args.sourceBytes, args.sourcePassword, normalized.thumbprint, cert.sourceFile);
  if ('code' in source) return failWith(source, line);
  const pfx = buildPfx({ certificates: source.certificates, privateKey: source.privateKey, password: args.password, encryption: 'aes256', friendlyName: cert.friendlyName });
  return {
    ok: true,
    state,
    result: { thumbprint: cert.thumbprint, pfx: new Uint8Array(pfx) },
    powershell: line,
    notes: [
      ...normalized.notes,
      'Never tick "Delete the private key if the export is successful".',
      'The new password protects only the exported file; SfB Certificates does not keep it.',
      'Import the file on every other Front End: Skype for Business Server does not replicate a certificate copied this way.',
    ],
  };
};

/**
 * Reopens the PFX a certificate came from, read and selected as on import: its end-entity certificate (which must be
 * this one), only its certification path ("Include all certificates in the certification path"), and its private
 * key, which lives only for this call.
 */
function keyAndPathFromPfx(bytes: Uint8Array, password: string | undefined, thumbprint: string, fileName: string): { certificates: Buffer[]; privateKey: KeyObject } | SfbError {
  const choose = 'Choose the PFX file this certificate was imported from.';
  const read = readCertificateFileWithKey(bytes, { password, fileName });
  if (!read.ok) return about(fileName, read.error);
  if (read.format !== 'pkcs12') return sfbError('pfx-mismatch', `${fileName} is not a PKCS #12 (.pfx) file.`, choose);
  const { endEntity, privateKey, path } = read.selection;
  if (endEntity.fields.thumbprint !== thumbprint) {
    return sfbError('pfx-mismatch', `${fileName} holds the certificate ${endEntity.fields.thumbprint} (${endEntity.fields.subject || 'empty subject'}), not ${thumbprint}.`, choose);
  }
  if (!privateKey) return sfbError('no-private-key', `${fileName} holds the certificate ${thumbprint} but not its private key.`, 'Choose a PFX that contains the private key.');
  return { certificates: [endEntity.der, ...path.map((c) => c.der)], privateKey };
}

const mmcImportStep: Step<MmcImportArgs, ImportResult> = (state, args, now) => {
  const exportable = args.exportable === true;
  const powershell = renderActionComment('MMC-Import', `on ${args.computer}: Personal → All Tasks → Import… → "${args.path}"${args.password !== undefined ? ' → password' : ''} → Mark this key as exportable: ${exportable ? 'Yes' : 'No'}`);
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const file = readFile(args, powershell);
  if (failed(file)) return file;
  const cert: StoredCertificate = { ...file.record, exportable: exportable && file.record.hasPrivateKey, source: 'mmc-import', addedAt: now.toISOString(), sourceFile: args.sourceFile ?? args.path };
  const notes = file.notes.filter((n) => n !== PFX_PASSWORD_NOTE);
  if (!cert.hasPrivateKey) notes.push('The file holds no private key: this Front End cannot sign tokens with the certificate. Export it again with "Yes, export the private key".');
  if (!args.exportable) notes.push('"Mark this key as exportable" was left unchecked (Windows\' default): this copy cannot be exported with its key.');
  notes.push(`Skype for Business Server does not replicate a certificate imported this way: import it on every Front End, then assign it on each (Deployment Wizard, Step 3).`);
  return {
    ok: true,
    state: withServer(state, at, (s) => ({ ...s, certificates: withCertificate(s.certificates, cert) })),
    result: { thumbprint: cert.thumbprint, scope: at.server.fqdn, hasPrivateKey: cert.hasPrivateKey },
    powershell,
    notes,
    summary: `Certificates MMC on ${at.server.fqdn}: imported ${describeCert(cert)}.`,
  };
};

/** Certificates MMC: export with the private key. Changes nothing in the deployment. */
export function mmcExport(state: Deployment, args: MmcExportArgs, clock: OperationContext): OperationOutcome<ExportResult> {
  return perform('MMC-Export', mmcExportStep, state, args, clock);
}

/** Certificates MMC: import into one computer's store (no replication). */
export function mmcImport(state: Deployment, args: MmcImportArgs, clock: OperationContext): OperationOutcome<ImportResult> {
  return perform('MMC-Import', mmcImportStep, state, args, clock);
}
