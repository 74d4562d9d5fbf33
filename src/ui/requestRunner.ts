// Runs the core's one request operation for the wizard and the palette: makes the key off the main thread, checks
// the request with a dry run, writes the request (or the issued certificate) and its key file under the servers'
// C:\ drive, then runs it; and completes a pending request with the CA's answer and the key file written then.
import {
  DEFAULT_REQUEST_KEY_SIZE, REQUEST_KEY_SIZES, SAMPLE_CA, SAMPLE_PASSWORD, failure, generateRsaKeyPair, pendingRequests,
  type Deployment, type OperationName, type OperationRequest, type OutcomeOf, type RequestWithoutKey,
} from '../core';
import type { ServerFiles } from './serverFiles';

export interface RequestHost {
  readonly state: Deployment | undefined;
  preview<N extends OperationName>(request: OperationRequest<N>): OutcomeOf<N>;
  run<N extends OperationName>(request: OperationRequest<N>): Promise<OutcomeOf<N>>;
  /** Where a file of this machine is on the servers' C:\ drive, as PowerShell lines name it. */
  serverPath(p: string): string;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const shown = (rel: string) => `C:\\${rel.replace(/\//g, '\\')}`;

export async function makeRequest(host: RequestHost, files: ServerFiles, base: RequestWithoutKey): Promise<OutcomeOf<'Request-CsCertificate'>> {
  const size = base.keySize ?? DEFAULT_REQUEST_KEY_SIZE;
  const keyPair = await generateRsaKeyPair((REQUEST_KEY_SIZES as readonly number[]).includes(size) ? size : DEFAULT_REQUEST_KEY_SIZE);
  let request: OperationRequest<'Request-CsCertificate'>;
  if (base.mode === 'test-ca') {
    if (!(await files.exists(SAMPLE_CA.path))) {
      return failure('ca-not-available', `The sample's test CA (${shown(SAMPLE_CA.path)}) is not in this workspace, and no other online CA is modelled. (SfB Certificates' rule.)`, 'Prepare the request now and send it later (offline request).');
    }
    request = { cmdlet: 'Request-CsCertificate', ...base, keyPair, caFile: { path: shown(SAMPLE_CA.path), bytes: await files.read(SAMPLE_CA.path), password: SAMPLE_PASSWORD } };
  } else {
    request = { cmdlet: 'Request-CsCertificate', ...base, keyPair };
  }
  const preview = host.preview(request);
  if (!preview.ok) return preview;
  await files.write(request.keyFile, utf8(preview.result.keyPem));
  if (request.mode === 'offline') await files.write(request.requestFile, utf8(preview.result.requestPem));
  else await files.write(request.certificateFile, utf8(preview.result.issued!.certificatePem));
  return host.run(request);
}

/**
 * Process Pending Request: the answer (its bytes, read by the caller) and the pending request's key file. The
 * Import-CsCertificate line names the answer on the Front End (host.serverPath); the pairing messages name the file chosen.
 */
export async function processPending(host: RequestHost, files: ServerFiles, computer: string, requestFile: string, answer: { path: string; bytes: Uint8Array }): Promise<OutcomeOf<'Process-PendingRequest'>> {
  const pending = host.state ? pendingRequests(host.state, computer).find((r) => r.requestFile === requestFile) : undefined;
  if (!pending) return failure('no-pending-request', `${computer} has no pending request ${requestFile}.`, 'Refresh the Certificate Wizard and choose a pending request.');
  let keyPem: string;
  try {
    keyPem = new TextDecoder().decode(await files.read(pending.keyFile));
  } catch {
    return failure('key-file-missing', `The request's private key file ${shown(pending.keyFile)} cannot be read.`, 'Restore the key file written with the request; without it the answer cannot be paired with its key.');
  }
  return host.run({ cmdlet: 'Process-PendingRequest', computer, requestFile, path: host.serverPath(answer.path), sourceFile: answer.path, bytes: answer.bytes, keyPem });
}
