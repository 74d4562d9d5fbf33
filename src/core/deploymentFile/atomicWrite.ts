// Replacing a file atomically while keeping its identity: write a temporary file next to the real file (through a
// symbolic link: the link stays and its target is updated), give it the file's mode (0600 stays 0600), flush it, rename
// it over. A file without write permission is refused rather than replaced. Temporary files carry the writer's process
// id, so an orphan from an interrupted save (its process is gone) can be told from a save in progress and removed.
// Synchronous and asynchronous forms of each step, over small fs-like interfaces so tests can inject failures.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { DeploymentFileError } from './problems';

export interface FileStat {
  mode: number;
  size: number;
  mtimeMs: number;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

/** The synchronous file operations the deployment file needs; node:fs fits it, tests substitute failing ones. */
export interface DeploymentFs {
  readFileSync(file: string): Uint8Array;
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fchmodSync(fd: number, mode: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  lstatSync(file: string): FileStat;
  realpathSync(file: string): string;
  readdirSync(dir: string): string[];
}

/** An open file of DeploymentFsAsync; node:fs/promises' FileHandle fits it. */
export interface WritableFile {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  chmod(mode: number): Promise<void>;
  close(): Promise<void>;
}

/** The asynchronous file operations of the asynchronous save; node:fs/promises fits it. */
export interface DeploymentFsAsync {
  readFile(file: string): Promise<Uint8Array>;
  open(file: string, flags: string, mode?: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  lstat(file: string): Promise<FileStat>;
  realpath(file: string): Promise<string>;
}

/** Where a write really goes, and the mode of the file there (undefined: no file yet). */
export interface Target {
  path: string;
  mode?: number;
  size?: number;
  mtimeMs?: number;
}

/** The size and modification time of a file as last read or written: the same again means nobody changed it since. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function fromStat(file: string, st: FileStat, shown: string): Target {
  if (!st.isFile()) throw new DeploymentFileError(`${path.basename(shown)} is not a regular file, so SfB Certificates does not write it. Use a regular file (or a link to one).`, [], 'not-a-file');
  return { path: file, mode: st.mode & 0o7777, size: st.size, mtimeMs: st.mtimeMs };
}

/** The file a write to `file` must replace: `file` itself, or the file its symbolic link points to. */
export function resolveTarget(fs: DeploymentFs, file: string): Target {
  let st: FileStat;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    if (code(e) === 'ENOENT') return { path: file };
    throw e;
  }
  if (!st.isSymbolicLink()) return fromStat(file, st, file);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    if (code(e) === 'ENOENT') throw danglingLink(file);
    throw e;
  }
  return fromStat(real, fs.lstatSync(real), file);
}

export async function resolveTargetAsync(fs: DeploymentFsAsync, file: string): Promise<Target> {
  let st: FileStat;
  try {
    st = await fs.lstat(file);
  } catch (e) {
    if (code(e) === 'ENOENT') return { path: file };
    throw e;
  }
  if (!st.isSymbolicLink()) return fromStat(file, st, file);
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch (e) {
    if (code(e) === 'ENOENT') throw danglingLink(file);
    throw e;
  }
  return fromStat(real, await fs.lstat(real), file);
}

function danglingLink(file: string): DeploymentFileError {
  return new DeploymentFileError(`${path.basename(file)} is a symbolic link to a file that does not exist. Nothing was written: point the link at the deployment file, or remove the link.`, [], 'not-a-file');
}

/** Refuses to replace a file its owner cannot write (chmod 0444): the mode says the file is not to change. */
export function refuseReadOnly(file: string, target: Target): void {
  if (target.mode !== undefined && (target.mode & 0o200) === 0) {
    const name = path.basename(file);
    throw new DeploymentFileError(
      `${name} is read-only (mode ${target.mode.toString(8).padStart(4, '0')}), so SfB Certificates does not replace it and nothing was saved. ` +
        `Make it writable (for example chmod u+w ${name}) and run the command again.`, [], 'read-only',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Temporary files
// ---------------------------------------------------------------------------------------------

/** Temporary files this process is writing now (a load must not take them for orphans). */
const writing = new Set<string>();

export function tempName(file: string): string {
  const name = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  writing.add(name);
  return name;
}

export function doneWith(tmp: string): void {
  writing.delete(tmp);
}

// "<name>.tmp-<pid>-<hex>"; "<name>.tmp-<hex>" as written by earlier versions.
const TEMP_FILE = /^(.*)\.tmp-(?:(\d+)-)?[0-9a-f]{12}$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === 'EPERM';
  }
}

/**
 * Removes the temporary files an interrupted save of `file` (or of its .bak) left behind, next to it and next to the
 * file its link points to; a temporary file of a save still running (here or in another live process) is kept.
 * Returns the paths removed.
 */
export function removeOrphanedTempFiles(fs: DeploymentFs, file: string): string[] {
  const removed: string[] = [];
  let targets: string[];
  try {
    targets = [...new Set([file, resolveTarget(fs, file).path])];
  } catch {
    targets = [file];
  }
  for (const target of targets) {
    const dir = path.dirname(target);
    const base = path.basename(target);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP_FILE.exec(name);
      if (!m || (m[1] !== base && m[1] !== `${base}.bak`)) continue;
      const full = path.join(dir, name);
      const pid = m[2] === undefined ? undefined : Number(m[2]);
      if (writing.has(full) || (pid !== undefined && pid !== process.pid && processAlive(pid))) continue;
      if (removeQuietly(fs, full)) removed.push(full);
    }
  }
  return removed;
}

export function removeQuietly(fs: DeploymentFs, file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false; // already gone, or never created
  }
}

export async function removeQuietlyAsync(fs: DeploymentFsAsync, file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch {
    // already gone, or never created
  }
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/** Writes `bytes` to a new file with `mode` and flushes it to disk; on any failure the new file is removed. */
export function writeDurably(fs: DeploymentFs, file: string, bytes: Uint8Array, mode?: number): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'wx', mode ?? 0o666);
    if (mode !== undefined) fs.fchmodSync(fd, mode); // the umask does not apply to a kept mode
    for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
    const closing = fd;
    fd = undefined;
    fs.closeSync(closing);
  } catch (e) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* the write already failed; report that */ }
    }
    removeQuietly(fs, file);
    throw e;
  }
}

/** Replaces `file` (through its link, if it is one) atomically with `bytes`, with `mode` or the mode it has. */
export function replaceAtomically(fs: DeploymentFs, file: string, bytes: Uint8Array, mode?: number): void {
  const target = resolveTarget(fs, file);
  const tmp = tempName(target.path);
  try {
    writeDurably(fs, tmp, bytes, mode ?? target.mode);
    fs.renameSync(tmp, target.path);
  } catch (e) {
    removeQuietly(fs, tmp);
    throw e;
  } finally {
    doneWith(tmp);
  }
}

export async function writeAll(file: WritableFile, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) done += (await file.write(bytes, done, bytes.length - done)).bytesWritten;
}

/** Opens a new file for writing with `mode` (kept exactly, whatever the umask). */
export async function createFile(fs: DeploymentFsAsync, file: string, mode?: number): Promise<WritableFile> {
  const handle = await fs.open(file, 'wx', mode ?? 0o666);
  if (mode !== undefined) {
    try {
      await handle.chmod(mode);
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }
  return handle;
}

/** The asynchronous replaceAtomically. */
export async function replaceAtomicallyAsync(fs: DeploymentFsAsync, file: string, bytes: Uint8Array, mode?: number): Promise<void> {
  const target = await resolveTargetAsync(fs, file);
  const tmp = tempName(target.path);
  let handle: WritableFile | undefined;
  try {
    handle = await createFile(fs, tmp, mode ?? target.mode);
    await writeAll(handle, bytes);
    await handle.sync();
    const closing = handle;
    handle = undefined;
    await closing.close();
    await fs.rename(tmp, target.path);
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await removeQuietlyAsync(fs, tmp);
    throw e;
  } finally {
    doneWith(tmp);
  }
}

