// Reading a file an administrator named, safely: only a regular file (never a device, a FIFO, a socket or a folder,
// which would hang or never end), never more than a cap, and every failure as a typed value that says what is wrong
// and what to do. Node only (no 'vscode'): the command line and the extension both read certificate files here.
import * as fs from 'node:fs';

export interface FileReadError {
  code: 'not-found' | 'folder' | 'not-a-regular-file' | 'too-large' | 'unreadable';
  /** What is wrong, naming the file as the caller showed it. */
  message: string;
  /** What to do about it. */
  fix: string;
}

export type FileReadResult = { ok: true; bytes: Buffer } | { ok: false; error: FileReadError };

export interface FileReadOptions {
  /** The file's name as the user knows it (a relative path, say); the path itself when absent. */
  shown?: string;
  /** "certificate file": what the user should choose instead. */
  what: string;
  /** Bytes at most; no cap when absent. */
  maxBytes?: number;
}

/** O_NONBLOCK where the platform has it: a FIFO swapped in after the check still cannot block the open. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * The bytes of `file`, which must be a regular file (symbolic links to one are followed) of at most
 * `options.maxBytes`. Checked before opening, and again on the open file, so nothing is read from anything else.
 */
export function readRegularFile(file: string, options: FileReadOptions): FileReadResult {
  const shown = options.shown ?? file;
  let fd: number | undefined;
  try {
    const refused = refusal(fs.statSync(file), shown, options);
    if (refused) return { ok: false, error: refused };
    fd = fs.openSync(file, OPEN_FLAGS);
    const opened = refusal(fs.fstatSync(fd), shown, options);
    if (opened) return { ok: false, error: opened };
    // Read to the end rather than trusting the size: a file may grow, and some (in /proc) report 0. One byte over the
    // cap is enough to know it is too large.
    const limit = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) return { ok: false, error: tooLarge(shown, options) };
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    return { ok: false, error: systemError(e as NodeJS.ErrnoException, shown, options) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function refusal(stat: fs.Stats, shown: string, options: FileReadOptions): FileReadError | undefined {
  if (stat.isDirectory()) return folder(shown, options);
  if (!stat.isFile()) {
    const kind = stat.isFIFO() ? 'a named pipe (FIFO)' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a regular file';
    return {
      code: 'not-a-regular-file',
      message: `${shown} is ${kind}, not a file: reading it could wait forever or never end.`,
      fix: `Choose the ${options.what} itself, saved as an ordinary file.`,
    };
  }
  if (options.maxBytes !== undefined && stat.size > options.maxBytes) return tooLarge(shown, options);
  return undefined;
}

function tooLarge(shown: string, options: FileReadOptions): FileReadError {
  return {
    code: 'too-large',
    message: `${shown} is larger than ${sizeText(options.maxBytes ?? 0)}, far larger than any ${options.what}.`,
    fix: `Check that you chose the ${options.what} and not another file.`,
  };
}

function folder(shown: string, options: FileReadOptions): FileReadError {
  return { code: 'folder', message: `${shown} is a folder.`, fix: `Name the ${options.what} itself.` };
}

function systemError(e: NodeJS.ErrnoException, shown: string, options: FileReadOptions): FileReadError {
  switch (e.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { code: 'not-found', message: `No such file: ${shown}.`, fix: 'Check the path.' };
    case 'EISDIR':
      return folder(shown, options);
    case 'EACCES':
    case 'EPERM':
      return { code: 'unreadable', message: `${shown} cannot be read: permission denied.`, fix: 'Check the file\'s permissions, or copy it somewhere you can read it.' };
    default:
      return { code: 'unreadable', message: `${shown} cannot be read (${e.code ?? 'an error of the file system'}).`, fix: `Check the ${options.what}, or copy it to a local folder and choose the copy.` };
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toLocaleString('en-US')} MiB` : `${(bytes / 1024).toLocaleString('en-US')} KiB`;
}

/** "No such file: a.pfx. Check the path.": the error as one line. */
export function describeFileReadError(error: FileReadError): string {
  return `${error.message} ${error.fix}`;
}
