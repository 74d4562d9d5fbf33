// The servers' C:\ drive as the Management Shell sees it: a folder of the workspace (the setting
// sfbCertificates.serverDrive, default the workspace folder itself), so `C:\Certificates\ServerToServerAuth.pfx`
// is `Certificates/ServerToServerAuth.pfx` there. Every path stays inside the workspace: `..` or a symbolic link
// that leads out of it is refused with a sentence saying so. No 'vscode' here (the terminal glue reads the
// setting), so unit tests run it on a temporary folder.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A Node-style error (`code` ENOENT / EACCES / …), as the shell's host contract expects from `files`. */
/** The setting (under sfbCertificates) naming the folder C:\ maps to. */
export const SERVER_DRIVE_SETTING = 'serverDrive';

export class DriveError extends Error {
  constructor(message: string, readonly code: 'ENOENT' | 'EACCES') {
    super(message);
  }
}

export type DriveMapping = { ok: true; drive: ServerDrive } | { ok: false; message: string };

/** Maps C:\ to `setting` (relative to the workspace folder; '' or '.' is the folder itself). */
export function mapServerDrive(workspaceRoot: string, setting: string | undefined): DriveMapping {
  const root = path.resolve(workspaceRoot, setting?.trim() || '.');
  if (!isInside(workspaceRoot, root)) {
    return { ok: false, message: `The setting sfbCertificates.serverDrive ("${setting}") points outside the workspace folder. Set it to a folder inside the workspace (or leave it empty for the workspace folder itself).` };
  }
  return { ok: true, drive: new ServerDrive(workspaceRoot, root) };
}

export class ServerDrive {
  /** @param root the folder C:\ maps to; it lies inside `workspaceRoot` */
  constructor(readonly workspaceRoot: string, readonly root: string) {}

  async read(relPath: string): Promise<Uint8Array> {
    return fs.promises.readFile(await this.locate(relPath));
  }

  /** Writes atomically (a temporary file renamed over the target), creating the folders on the way. */
  async write(relPath: string, bytes: Uint8Array): Promise<void> {
    const target = await this.locate(relPath);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    await fs.promises.writeFile(temp, bytes);
    await fs.promises.rename(temp, target);
  }

  async exists(relPath: string): Promise<boolean> {
    try {
      await fs.promises.stat(await this.locate(relPath));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
      throw e;
    }
  }

  async list(relDir: string): Promise<{ name: string; isDirectory: boolean }[]> {
    const dir = await this.locate(relDir);
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    return Promise.all(entries.map(async (e) => ({
      name: e.name,
      isDirectory: e.isDirectory() || (e.isSymbolicLink() && (await fs.promises.stat(path.join(dir, e.name)).then((s) => s.isDirectory(), () => false))),
    })));
  }

  /** The absolute path of a drive-relative POSIX path, after checking it (and any link on the way) stays inside. */
  private async locate(relPath: string): Promise<string> {
    const shown = `C:\\${relPath.split('/').join('\\')}`;
    const outside = () => new DriveError(`${shown} is outside the workspace: the Management Shell reads and writes only files under the folder its C:\\ drive maps to (setting sfbCertificates.serverDrive).`, 'EACCES');
    if (path.isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath)) throw outside();
    const target = path.resolve(this.root, ...relPath.split('/').filter(Boolean));
    if (!isInside(this.root, target)) throw outside();
    // A symbolic link inside the drive may still lead out of the workspace: check where the deepest existing part really is.
    const realRoot = await fs.promises.realpath(this.workspaceRoot);
    let existing = target;
    while (!(await exists(existing)) && existing !== path.dirname(existing)) existing = path.dirname(existing);
    if (!isInside(realRoot, await fs.promises.realpath(existing))) throw outside();
    return target;
  }
}

/**
 * Where a file of this machine is on the servers' C:\ drive (the same mapping as the Management Shell's): a file
 * under the folder C:\ maps to keeps its relative path; any other file is shown where the procedure keeps
 * certificates, C:\Certificates\<name> (the admin copies it there on the server).
 */
export function serverPathOf(workspaceRoot: string, setting: string | undefined, file: string): string {
  const root = path.resolve(workspaceRoot, setting?.trim() || '.');
  const absolute = path.resolve(workspaceRoot, file);
  const rel = path.relative(root, absolute);
  if (isInside(root, absolute) && rel) return `C:\\${rel.split(path.sep).join('\\')}`;
  return `C:\\Certificates\\${path.basename(absolute)}`;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function exists(p: string): Promise<boolean> {
  return fs.promises.lstat(p).then(() => true, () => false);
}
