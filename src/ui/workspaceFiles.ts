// The workspace as the live deployment and the wizard see it: its folder, where the deployment file is, certificate
// files read for an import, and paths as the servers' C:\ drive names them. LiveDeployment (live.ts) builds on it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CERTIFICATE_FILE_MAX_BYTES, DEFAULT_DEPLOYMENT_FILE, ExpectedError, sfbError } from '../core';
import { describeFileReadError, readRegularFile } from '../node/regularFile';
import type { OperationLog } from './output';
import { prompts } from './prompter';
import { serverDrive, testCertificationAuthority, type ServerFiles } from './serverFiles';
import { SERVER_DRIVE_SETTING, serverPathOf } from './terminal/drive';

export class WorkspaceFiles {
  constructor(protected readonly log: OperationLog) {}

  // ---- where -------------------------------------------------------------------------------------------

  get workspaceFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** Absolute path of the deployment file, or undefined without a workspace folder. */
  get filePath(): string | undefined {
    const folder = this.workspaceFolder;
    if (!folder) return undefined;
    const configured = vscode.workspace.getConfiguration('sfbCertificates').get<string>('deploymentFile') || DEFAULT_DEPLOYMENT_FILE;
    return path.resolve(folder.uri.fsPath, configured);
  }

  // ---- for the wizard (WizardServices) -------------------------------------------------------------------

  showLog(): void {
    this.log.show();
  }

  async pickCertificateFile(): Promise<{ path: string; bytes: Uint8Array } | undefined> {
    const picked = await prompts.current.openFile({
      openLabel: 'Import',
      title: 'Certificate file',
      defaultUri: this.workspaceFolder?.uri,
      filters: { 'Certificate files': ['pfx', 'p12', 'cer', 'crt', 'der', 'pem', 'p7b', 'p7c'], 'All files': ['*'] },
    });
    if (!picked) return undefined;
    return { path: picked.fsPath, bytes: await this.readCertificateFile(picked.fsPath) };
  }

  /** A regular file of at most CERTIFICATE_FILE_MAX_BYTES, or a UserFacingError that says what is wrong. */
  async readCertificateFile(p: string): Promise<Uint8Array> {
    const base = this.workspaceFolder?.uri.fsPath ?? process.cwd();
    const read = readRegularFile(path.resolve(base, p), { shown: p, what: 'certificate file', maxBytes: CERTIFICATE_FILE_MAX_BYTES });
    if (read.ok) return read.bytes;
    const relative = read.error.code === 'not-found' && !path.isAbsolute(p) ? ' Relative paths start at the workspace folder.' : '';
    throw new UserFacingError(`${describeFileReadError(read.error)}${relative}`);
  }

  /** A path as the store records it: relative to the workspace folder when inside it. */
  workspaceRelative(p: string): string {
    const base = this.workspaceFolder?.uri.fsPath;
    if (!base) return p;
    const rel = path.relative(base, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel.split(path.sep).join('/');
  }

  serverFiles(): ServerFiles {
    return serverDrive(this.workspaceFolder);
  }

  testCertificationAuthority(): string | undefined {
    return testCertificationAuthority(this.workspaceFolder);
  }

  /** Where a file of this machine is on the servers' C:\ drive, as PowerShell lines name it (the Management Shell's mapping). */
  serverPath(p: string): string {
    const base = this.workspaceFolder?.uri.fsPath ?? process.cwd();
    return serverPathOf(base, vscode.workspace.getConfiguration('sfbCertificates').get<string>(SERVER_DRIVE_SETTING), p);
  }

  logRejected(reason: string): void {
    this.log.warn(`Rejected a wizard message: ${reason}`);
  }
}

/** A condition of the deployment file the user can fix: an ExpectedError, shown as a message, never logged as a crash. */
export class UserFacingError extends ExpectedError {
  constructor(message: string) {
    super(sfbError('deployment-file', message));
  }
}
