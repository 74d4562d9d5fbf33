// The palette's Request Certificate… and Process Pending Request…: the same core request operation as the
// Certificate Request wizard and the shell's Request-CsCertificate (src/ui/requestRunner.ts runs it).
import * as vscode from 'vscode';
import { DEFAULT_REQUEST_KEY_SIZE, findServer, serverUses, serverVersion, formatError, keyFileFor, certificateFileFor, pendingRequests, type CertUse, type OutcomeOf, type RequestWithoutKey } from '../core';
import type { LiveDeployment } from './live';
import { orCancel, pickServer } from './pickers';
import { prompts } from './prompter';
import { makeRequest, processPending } from './requestRunner';
import { driveRelative } from './wizard/pages/request';
import { serverDrive, testCertificationAuthority } from './serverFiles';

function show(outcome: OutcomeOf<'Request-CsCertificate'> | OutcomeOf<'Process-PendingRequest'>, success: string): void {
  if (!outcome.ok) void vscode.window.showErrorMessage(formatError(outcome.error));
  else void vscode.window.showInformationMessage(`${success} ${outcome.notes.filter((n) => /key/.test(n)).slice(-1).join(' ')}`.trim());
}

export async function requestCertificateCommand(live: LiveDeployment, serverFqdn?: string): Promise<unknown> {
  const computer = serverFqdn ?? (await pickServer(live, 'Request a certificate for which server?'));
  const at = findServer(live.state!, computer)!;
  const usePick = orCancel(await prompts.current.pick(serverUses(at.pool.kind, serverVersion(live.state!, at.server).version).map((use) => ({ label: use, use })), { title: `Request a certificate on ${computer}: which use (-Type)?` }));
  const uses: CertUse[] = [usePick.use];
  const ca = testCertificationAuthority(live.workspaceFolder);
  const how = orCancel(await prompts.current.pick([
    { label: 'Prepare the request now, but send it later (offline certificate request)', offline: true },
    ...(ca ? [{ label: `Send the request immediately to ${ca}`, detail: "The sample's test CA (a lab): the certificate is issued at once.", offline: false }] : []),
  ], { title: 'Delayed or Immediate Requests' }));
  const host = computer.split('.')[0];
  const file = orCancel(await prompts.current.input({
    title: how.offline ? 'Certificate Request File' : 'Where the private key and the certificate go',
    value: `C:\\Certificates\\${host}-${usePick.use.toLowerCase()}.req`,
    prompt: 'A path on the servers\' C:\\ drive (a folder of this workspace). The private key is kept beside it in a .key.pem file, never in the deployment file.',
    validateInput: (v) => (driveRelative(v) ? undefined : 'Type a file path under C:\\, e.g. C:\\Certificates\\request.req.'),
  }));
  const rel = driveRelative(file)!;
  const exportable = orCancel(await prompts.current.pick([{ label: 'Yes', value: true }, { label: 'No', value: false }], { title: "Mark the certificate's private key as exportable?" })).value;
  const common = { computer, type: uses, keySize: DEFAULT_REQUEST_KEY_SIZE, privateKeyExportable: exportable, keyFile: keyFileFor(rel) };
  const base: RequestWithoutKey = how.offline
    ? { ...common, mode: 'offline', output: file, requestFile: rel }
    : { ...common, mode: 'test-ca', ca: ca!, certificateFile: certificateFileFor(rel) };
  const outcome = await makeRequest(live, serverDrive(live.workspaceFolder), base);
  show(outcome, how.offline ? `Request written to ${file}. Send it to your CA, then use Process Pending Request.` : `Certificate issued by ${ca} into the store of ${computer}.`);
  return outcome;
}

export async function processPendingRequestCommand(live: LiveDeployment, serverFqdn?: string): Promise<unknown> {
  const computer = serverFqdn ?? (await pickServer(live, 'Process a pending request of which server?', (s) => Boolean(s.pendingRequests?.length)));
  const pending = pendingRequests(live.state!, computer);
  const chosen = orCancel(await prompts.current.pick(pending.map((r) => ({ label: r.requestFile, description: r.subject, request: r })), { title: `Pending requests of ${computer}` }));
  const answer = orCancel(await live.pickCertificateFile());
  const outcome = await processPending(live, serverDrive(live.workspaceFolder), computer, chosen.request.requestFile, answer);
  show(outcome, `Imported the CA's answer for ${chosen.request.requestFile} into the store of ${computer}.`);
  return outcome;
}
