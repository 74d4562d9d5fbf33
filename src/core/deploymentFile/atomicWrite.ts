// Replacing a file atomically while keeping its identity: write a temporary file next to the real file (through a
// symbolic link: the link stays and its target is updated), give it the file's mode (0600 stays 0600), flush it, rename
// it over. A file without write permission is refused rather than replaced. Temporary files carry the writer's process
// id, so an orphan from an interrupted save (its process is gone) can be told from a save in progress and removed.
// Each procedure is written once, as a generator of file-system steps (Steps<R>); runSync performs them with node:fs,
// runAsync with node:fs/promises — over small fs-like interfaces so tests can inject failures.
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
export function* resolveTargetSteps(file: string): Steps<Target> {
  let st: FileStat;
  try {
    st = yield* lstat(file);
  } catch (e) {
    if (code(e) === 'ENOENT') return { path: file };
    throw e;
  }
  if (!st.isSymbolicLink()) return fromStat(file, st, file);
  let real: string;
  try {
    real = yield* realpath(file);
  } catch (e) {
    if (code(e) === 'ENOENT') throw danglingLink(file);
    throw e;
  }
  return fromStat(real, yield* lstat(real), file);
}

export function resolveTarget(fs: DeploymentFs, file: string): Target {
  return runSync(fs, resolveTargetSteps(file));
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

/** Removes `file` if it is there; true when it was removed. */
export function* removeQuietlySteps(file: string): Steps<boolean> {
  try {
    yield* unlink(file);
    return true;
  } catch {
    return false; // already gone, or never created
  }
}

export function removeQuietly(fs: DeploymentFs, file: string): boolean {
  return runSync(fs, removeQuietlySteps(file));
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/**
 * Creates `file` (which must not exist) with `mode`, runs `body` on it, then flushes it to disk and closes it. On a
 * failure the file is closed (the caller removes it).
 */
export function* writeNewFile<R>(file: string, mode: number | undefined, body: (handle: Handle) => Steps<R>): Steps<R> {
  const handle = yield* create(file, mode);
  let open = true;
  try {
    const result = yield* body(handle);
    yield* flush(handle);
    open = false;
    yield* close(handle);
    return result;
  } catch (e) {
    if (open) {
      try {
        yield* close(handle);
      } catch {
        // the write already failed; report that
      }
    }
    throw e;
  }
}

/** Replaces `file` (through its link, if it is one) atomically with `bytes`, with `mode` or the mode it has. */
export function* replaceAtomicallySteps(file: string, bytes: Uint8Array, mode?: number): Steps<void> {
  const target = yield* resolveTargetSteps(file);
  const tmp = tempName(target.path);
  try {
    yield* writeNewFile(tmp, mode ?? target.mode, (handle) => write(handle, bytes));
    yield* rename(tmp, target.path);
  } catch (e) {
    yield* removeQuietlySteps(tmp);
    throw e;
  } finally {
    doneWith(tmp);
  }
}

// ---------------------------------------------------------------------------------------------
// Steps and their two drivers
// ---------------------------------------------------------------------------------------------

/** An open file: a descriptor (runSync) or a WritableFile (runAsync); only the driver that opened it looks inside. */
export type Handle = { readonly opened: unknown };

/** One file-system step of a procedure. */
export type FsStep =
  | { op: 'lstat'; file: string }
  | { op: 'realpath'; file: string }
  | { op: 'readFile'; file: string }
  | { op: 'create'; file: string; mode?: number }
  | { op: 'write'; handle: Handle; bytes: Uint8Array }
  | { op: 'flush'; handle: Handle }
  | { op: 'close'; handle: Handle }
  | { op: 'rename'; from: string; to: string }
  | { op: 'unlink'; file: string }
  /** No file operation: the asynchronous driver lets the event loop run other work here (a long check in slices). */
  | { op: 'pause' };

/** A procedure over the file system: yields steps, receives each step's result (or its error, thrown at the yield). */
export type Steps<R> = Generator<FsStep, R, unknown>;

// Typed wrappers: `yield* lstat(file)` gives a FileStat.
export function* lstat(file: string): Steps<FileStat> { return (yield { op: 'lstat', file }) as FileStat; }
function* realpath(file: string): Steps<string> { return (yield { op: 'realpath', file }) as string; }
export function* readFile(file: string): Steps<Uint8Array> { return (yield { op: 'readFile', file }) as Uint8Array; }
function* create(file: string, mode?: number): Steps<Handle> { return (yield { op: 'create', file, mode }) as Handle; }
export function* write(handle: Handle, bytes: Uint8Array): Steps<void> { yield { op: 'write', handle, bytes }; }
function* flush(handle: Handle): Steps<void> { yield { op: 'flush', handle }; }
function* close(handle: Handle): Steps<void> { yield { op: 'close', handle }; }
export function* rename(from: string, to: string): Steps<void> { yield { op: 'rename', from, to }; }
function* unlink(file: string): Steps<void> { yield { op: 'unlink', file }; }

/** Runs a generator of plain steps (a check in slices) with a pause between two of them. */
export function* paused<R>(steps: Generator<void, R, void>): Steps<R> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    yield { op: 'pause' };
  }
}

function performSync(fs: DeploymentFs, step: FsStep): unknown {
  switch (step.op) {
    case 'lstat': return fs.lstatSync(step.file);
    case 'realpath': return fs.realpathSync(step.file);
    case 'readFile': return fs.readFileSync(step.file);
    case 'create': {
      const fd = fs.openSync(step.file, 'wx', step.mode ?? 0o666);
      if (step.mode !== undefined) {
        try {
          fs.fchmodSync(fd, step.mode); // the umask does not apply to a kept mode
        } catch (e) {
          try { fs.closeSync(fd); } catch { /* report the chmod failure */ }
          throw e;
        }
      }
      return { opened: fd } satisfies Handle;
    }
    case 'write': {
      const fd = step.handle.opened as number;
      const { bytes } = step;
      for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      return undefined;
    }
    case 'flush': return fs.fsyncSync(step.handle.opened as number);
    case 'close': return fs.closeSync(step.handle.opened as number);
    case 'rename': return fs.renameSync(step.from, step.to);
    case 'unlink': return fs.unlinkSync(step.file);
    case 'pause': return undefined;
  }
}

async function performAsync(fs: DeploymentFsAsync, step: FsStep): Promise<unknown> {
  switch (step.op) {
    case 'lstat': return fs.lstat(step.file);
    case 'realpath': return fs.realpath(step.file);
    case 'readFile': return fs.readFile(step.file);
    case 'create': {
      const file = await fs.open(step.file, 'wx', step.mode ?? 0o666);
      if (step.mode !== undefined) {
        try {
          await file.chmod(step.mode);
        } catch (e) {
          await file.close().catch(() => undefined);
          throw e;
        }
      }
      return { opened: file } satisfies Handle;
    }
    case 'write': {
      const file = step.handle.opened as WritableFile;
      const { bytes } = step;
      for (let done = 0; done < bytes.length;) done += (await file.write(bytes, done, bytes.length - done)).bytesWritten;
      return undefined;
    }
    case 'flush': return (step.handle.opened as WritableFile).sync();
    case 'close': return (step.handle.opened as WritableFile).close();
    case 'rename': return fs.rename(step.from, step.to);
    case 'unlink': return fs.unlink(step.file);
    case 'pause': return new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Performs a procedure's steps with synchronous file operations. */
export function runSync<R>(fs: DeploymentFs, steps: Steps<R>): R {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = performSync(fs, next.value);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}

/** Performs a procedure's steps with asynchronous file operations; the event loop runs between them. */
export async function runAsync<R>(fs: DeploymentFsAsync, steps: Steps<R>): Promise<R> {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await performAsync(fs, next.value);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}
