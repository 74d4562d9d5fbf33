// The servers' C:\ drive for the extension's own surfaces (the Certificate Wizard's request files, the palette's
// Request and Process Pending Request): the same mapping the Management Shell uses (setting
// sfbCertificates.serverDrive, default the workspace folder), so a request made in the wizard and one typed in the
// shell put their files in the same place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExpectedError, SAMPLE_CA, sfbError } from '../core';
import { mapServerDrive, type ServerDrive } from './terminal/drive';
import { SERVER_DRIVE_SETTING } from './terminal/drive';

export interface ServerFiles {
  read(relPath: string): Promise<Uint8Array>;
  write(relPath: string, bytes: Uint8Array): Promise<void>;
  exists(relPath: string): Promise<boolean>;
}

/** The drive of the workspace folder, or an ExpectedError saying why there is none. */
export function serverDrive(folder: vscode.WorkspaceFolder | undefined): ServerDrive {
  if (!folder) throw new ExpectedError(sfbError('no-folder', 'Open a folder first: the servers\' C:\\ drive is a folder of the workspace.'));
  const mapping = mapServerDrive(folder.uri.fsPath, vscode.workspace.getConfiguration('sfbCertificates').get<string>(SERVER_DRIVE_SETTING));
  if (!mapping.ok) throw new ExpectedError(sfbError('server-drive', mapping.message));
  return mapping.drive;
}

/** The drive for a dry run (it only reads from it; writes stay in memory), or undefined when there is none. */
export function serverDriveIfAny(folder: vscode.WorkspaceFolder | undefined): ServerDrive | undefined {
  try {
    return serverDrive(folder);
  } catch {
    return undefined;
  }
}

/** The sample's test CA's name when its file is on the drive (the one online CA a request can go to). */
export function testCertificationAuthority(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  if (!folder) return undefined;
  try {
    return fs.existsSync(path.join(serverDrive(folder).root, ...SAMPLE_CA.path.split('/'))) ? SAMPLE_CA.name : undefined;
  } catch {
    return undefined;
  }
}
