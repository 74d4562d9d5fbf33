// Paths as PowerShell reads them on the modelled server: C:\… maps to the folder the host serves (the workspace
// root by default), relative paths start at the current location, / and \ both separate, . and .. are resolved.
// The certificate drive (Cert:\LocalMachine\My) is the current computer's Personal store.
import { UNCONFIRMED_RULE } from '../core';
import { ShellError } from './errors';

export const HOME = 'C:\\Users\\Administrator';
export const PERSONAL_STORE = 'Cert:\\LocalMachine\\My';

export interface FsPath {
  /** Relative POSIX path under the mapped drive ('' for its root). */
  rel: string;
  /** As PowerShell shows it: C:\Certificates\ServerToServerAuth.pfx */
  display: string;
}

export function isCertPath(path: string): boolean {
  return /^cert:/i.test(path.trim());
}

export function notFound(display: string): ShellError {
  return new ShellError(`Cannot find path '${display}' because it does not exist.`, {
    command: '', category: 'ObjectNotFound', target: `(${display}:String)`, reason: 'ItemNotFoundException', errorId: 'PathNotFound',
  });
}

/** Resolves `input` against `location` (both Windows style). Throws for another drive. */
export function resolvePath(location: string, input: string): FsPath {
  const path = input.trim().replace(/\//g, '\\').replace(/^Microsoft\.PowerShell\.Core\\FileSystem::/i, '');
  const drive = /^([A-Za-z]+):(.*)$/.exec(path);
  let segments: string[];
  if (drive && drive[1].toUpperCase() !== 'C') {
    throw new ShellError(`Cannot find drive. A drive with the name '${drive[1]}' does not exist.`, {
      command: '', category: 'ObjectNotFound', target: `(${drive[1]}:String)`, reason: 'DriveNotFoundException', errorId: 'DriveNotFound',
    });
  }
  const rest = drive ? drive[2] : path;
  const base = location.replace(/^C:/i, '').split('\\').filter(Boolean);
  if (rest.startsWith('\\')) segments = [];
  else segments = base;
  for (const part of rest.split('\\')) {
    if (!part || part === '.') continue;
    if (part === '..') segments = segments.slice(0, -1);
    else segments = [...segments, part];
  }
  return { rel: segments.join('/'), display: `C:\\${segments.join('\\')}` };
}

/** Cert:\LocalMachine\My[\THUMBPRINT] → the thumbprint (or '' for the store); anything else is outside the model. */
export function resolveCertPath(input: string): { thumbprint: string } {
  const m = /^cert:\\+localmachine\\+my\\*([0-9a-f]*)\\*$/i.exec(input.trim().replace(/\//g, '\\'));
  if (!m) {
    throw new ShellError(`SfB Certificates models only the computer's Personal store, ${PERSONAL_STORE}; '${input}' is outside it. ${UNCONFIRMED_RULE}`, {
      command: '', category: 'ObjectNotFound', target: `(${input}:String)`, reason: 'ItemNotFoundException', errorId: 'PathNotFound',
    });
  }
  return { thumbprint: m[1].toUpperCase() };
}
