// Request-CsCertificate -New (parameters after the cmdlet reference [S6], sfb-reference.md §1.7), and the CA's answer
// imported with Import-CsCertificate on the computer that made the request. Both run the core's one request
// operation (Request-CsCertificate / Process-PendingRequest), as the Certificate Request wizard and the palette do.
import {
  DEFAULT_REQUEST_KEY_SIZE, REQUEST_KEY_SIZES, SAMPLE_CA, SAMPLE_PASSWORD, certificateFileFor, findServer, generateRsaKeyPair, keyFileFor,
  pendingRequestFor, readCertificateFile, runOperation, type CertUse, type OperationRequest,
} from '../../core';
import type { ParamSpec } from '../binding';
import { modelError } from '../errors';
import { notFound, resolvePath } from '../paths';
import type { CmdletContext, CmdletImpl } from '../runtime';
import { toText } from '../values';
import { ownRule, perform, reportNotWritten, thisComputer } from './model';

const STRING_PARAMS = ['CA', 'CaAccount', 'CaPassword', 'City', 'ComputerFqdn', 'Country', 'DomainName', 'FriendlyName', 'GlobalCatalog', 'GlobalSettingsDomainController',
  'KeyAlg', 'Organization', 'OU', 'Output', 'State', 'Template'];

const text = (ctx: CmdletContext, name: string): string | undefined => {
  const value = ctx.get(name);
  return value === undefined || value === null ? undefined : toText(value);
};

/** "C:\Certificates\x.key.pem" for a workspace-relative path under the server drive. */
const display = (rel: string) => `C:\\${rel.replace(/\//g, '\\')}`;

/** The request the parameters describe, with a key of the requested size made off the main thread. */
async function buildRequest(ctx: CmdletContext): Promise<OperationRequest<'Request-CsCertificate'>> {
  const keyAlg = text(ctx, 'KeyAlg');
  if (keyAlg && keyAlg.toUpperCase() !== 'RSA') throw ownRule(ctx.spec.name, `-KeyAlg ${keyAlg}: only RSA keys are modelled.`, 'KeyAlgNotModelled');
  if (text(ctx, 'CaAccount') !== undefined || text(ctx, 'CaPassword') !== undefined) {
    ctx.write({ stream: 'warning', text: 'WARNING: -CaAccount and -CaPassword are ignored: SfB Certificates models no CA accounts. (SfB Certificates\' rule; the product\'s exact behaviour is unconfirmed)\n' });
  }
  const typed = ctx.get('Type') as CertUse[] | undefined;
  const computerName = text(ctx, 'ComputerFqdn');
  const state = ctx.state.host.session.state;
  const computer = computerName === undefined ? thisComputer(ctx) : findServer(state, computerName)?.server.fqdn ?? computerName;
  const requested = ctx.get('KeySize');
  const keySize = typeof requested === 'number' ? requested : DEFAULT_REQUEST_KEY_SIZE;
  const keyPair = await generateRsaKeyPair((REQUEST_KEY_SIZES as readonly number[]).includes(keySize) ? keySize : DEFAULT_REQUEST_KEY_SIZE);
  const exportable = ctx.get('PrivateKeyExportable');
  const common = {
    computer, type: typed ?? [], keyPair, keySize,
    friendlyName: text(ctx, 'FriendlyName'), template: text(ctx, 'Template'),
    organization: text(ctx, 'Organization'), ou: text(ctx, 'OU'), country: text(ctx, 'Country'), state: text(ctx, 'State'), city: text(ctx, 'City'),
    allSipDomain: ctx.flag('AllSipDomain'),
    domainName: text(ctx, 'DomainName')?.split(',').map((n) => n.trim()).filter(Boolean),
    ...(exportable === undefined ? {} : { privateKeyExportable: exportable === true }),
  };
  const output = text(ctx, 'Output');
  if (output !== undefined) {
    const path = resolvePath(ctx.state.location, output);
    if (!path.rel) throw ownRule(ctx.spec.name, `-Output names a folder (${path.display}); give the request file's full path, e.g. C:\\Certificates\\request.req.`, 'OutputIsFolder');
    return { cmdlet: 'Request-CsCertificate', mode: 'offline', output, requestFile: path.rel, keyFile: keyFileFor(path.rel), ...common };
  }
  const ca = text(ctx, 'CA');
  if (ca === undefined) {
    throw ownRule(ctx.spec.name, 'Name where the request goes: -Output <file> for an offline request, or -CA for an online CA (only the sample\'s test CA, "' + SAMPLE_CA.name + '", answers here). The CA detected in Active Directory is not modelled.', 'NoCertificationAuthority');
  }
  const files = ctx.state.host.files;
  if (!(await files.exists(SAMPLE_CA.path))) {
    throw ownRule(ctx.spec.name, `No online certification authority can be reached from this model: only the sample's test CA issues certificates, and its file ${display(SAMPLE_CA.path)} is not in the workspace. Use -Output for an offline request.`, 'CaNotAvailable');
  }
  const host = computer.split('.')[0];
  const use = (typed?.[0] ?? 'certificate').toString().toLowerCase();
  const base = `Certificates/${host}-${use}-${Date.now().toString(36)}.req`;
  return {
    cmdlet: 'Request-CsCertificate', mode: 'test-ca', ca, caFile: { path: display(SAMPLE_CA.path), bytes: await files.read(SAMPLE_CA.path), password: SAMPLE_PASSWORD },
    keyFile: keyFileFor(base), certificateFile: certificateFileFor(base), ...common,
  };
}

const requestCsCertificate: CmdletImpl = {
  name: 'Request-CsCertificate',
  shouldProcess: true,
  params: [{ name: 'New', type: 'switch', position: 0 }, { name: 'Type', type: 'certtype[]' }, { name: 'List', type: 'switch' }, { name: 'Retrieve', type: 'switch' }, { name: 'Clear', type: 'switch' },
    ...STRING_PARAMS.map((name): ParamSpec => ({ name, type: 'string' })),
    { name: 'ClientEKU', type: 'bool' }, { name: 'PrivateKeyExportable', type: 'bool' }, { name: 'KeySize', type: 'int' }, { name: 'RequestId', type: 'int' },
    { name: 'AllSipDomain', type: 'switch' }, { name: 'Force', type: 'switch' }, { name: 'Report', type: 'string' }],
  async run(ctx) {
    reportNotWritten(ctx);
    if (ctx.flag('List') || ctx.flag('Retrieve') || ctx.flag('Clear')) {
      throw ownRule(ctx.spec.name, '-List, -Retrieve and -Clear manage requests held by an online CA, which is not modelled. Import the answer to an offline request with Import-CsCertificate -Path <answer>.', 'NotModelled');
    }
    if (!ctx.flag('New')) throw ownRule(ctx.spec.name, 'Request-CsCertificate is modelled with -New only: Request-CsCertificate -New -Type <uses> -Output <file>.', 'NotModelled');
    const request = await buildRequest(ctx);
    const session = ctx.state.host.session;
    // Checked before any file is written; then the files, then the change (so a refused request leaves nothing behind).
    const preview = runOperation(session.state, request, { now: () => session.now() });
    if (!preview.ok) throw modelError(ctx.spec.name, preview.error);
    if (!ctx.whatIf) {
      const files = ctx.state.host.files;
      const encode = (s: string) => new TextEncoder().encode(s);
      await files.write(request.keyFile, encode(preview.result.keyPem));
      if (request.mode === 'offline') await files.write(request.requestFile, encode(preview.result.requestPem));
      else await files.write(request.certificateFile, encode(preview.result.issued!.certificatePem));
    }
    const done = perform(ctx, request);
    if (!done) return [];
    const where = request.mode === 'offline' ? `Send ${resolvePath(ctx.state.location, request.output).display} to your certification authority, then import its answer here with Import-CsCertificate -Path <answer>.`
      : `Issued ${preview.result.issued!.thumbprint} into the store of ${request.computer} (also written to ${display(request.certificateFile)}).`;
    ctx.write({ stream: 'warning', text: `WARNING: SfB Certificates keeps this request's private key in ${display(request.keyFile)} (not password-protected; the deployment file never holds keys). ${where}\n` });
    return [];
  },
};

export const REQUEST_CMDLETS = { 'Request-CsCertificate': requestCsCertificate } as const;

/**
 * Import-CsCertificate (local set) of a file without a private key that answers a pending request of this computer:
 * the answer is paired with the request's key (Process Pending Request). Returns false when the file is no such answer.
 */
export async function importAnswer(ctx: CmdletContext, file: { bytes: Uint8Array; typed: string }): Promise<boolean> {
  const state = ctx.state.host.session.state;
  const at = findServer(state, thisComputer(ctx));
  if (!at?.server.pendingRequests?.length) return false;
  const read = readCertificateFile(file.bytes);
  if (!read.ok || read.record.hasPrivateKey) return false;
  const pending = pendingRequestFor(at.server, Buffer.from(read.record.derBase64, 'base64'));
  if (!pending) return false;
  const files = ctx.state.host.files;
  if (!(await files.exists(pending.keyFile))) throw notFound(display(pending.keyFile));
  const keyPem = new TextDecoder().decode(await files.read(pending.keyFile));
  perform(ctx, { cmdlet: 'Process-PendingRequest', computer: at.server.fqdn, requestFile: pending.requestFile, path: file.typed, bytes: file.bytes, keyPem });
  return true;
}

