// Loading and saving sfb-deployment.json on disk. A save keeps exactly one `<file>.bak` with the previous content,
// replaces the file atomically (through its link, with its mode), and refuses — leaving the file untouched — when the
// file on disk does not load (corrupt, invalid, newer), when it is read-only, or when what it would write would not
// load back (the load's own checks run on it first). The asynchronous save writes in slices, so a 170 MB file never
// holds the event loop for long.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SCHEMA_VERSION, type Deployment } from '../model';
import {
  createFile, doneWith, refuseReadOnly, removeOrphanedTempFiles, removeQuietly, removeQuietlyAsync, replaceAtomically, replaceAtomicallyAsync,
  resolveTarget, resolveTargetAsync, tempName, writeAll, writeDurably, type DeploymentFs, type DeploymentFsAsync, type FileStamp, type Target,
  type WritableFile,
} from './atomicWrite';
import { findPrivateKeys } from './privateKeys';
import { DeploymentFileError, formatPath, formatProblem, type DeploymentFileProblem, type ParseResult } from './problems';
import { parseDeployment } from './read';
import { canonical, serializeInPieces, WriteCheck } from './serialize';
import { DEPLOYMENT_SHAPE } from './shape';
import { checkDeployment, referenceProblems } from './validate';

export const DEFAULT_DEPLOYMENT_FILE = 'sfb-deployment.json';

/**
 * Reads and validates a deployment file, after removing the temporary files an interrupted save left next to it.
 * File-system errors (e.g. ENOENT) are thrown as node:fs throws them.
 */
export function loadDeployment(fs: DeploymentFs, filePath: string): ParseResult {
  removeOrphanedTempFiles(fs, filePath);
  return parseDeployment(fs.readFileSync(filePath));
}

/** Refuses (DeploymentFileError) to replace a file that does not load. */
function refuseUnloadable(filePath: string, previous: Uint8Array): void {
  const check = parseDeployment(previous);
  if (!check.ok) {
    throw new DeploymentFileError(`${path.basename(filePath)} was not saved: the file on disk does not load (${formatProblem(check.errors[0])}). ${check.readOnlyReason}`, check.errors, 'on-disk');
  }
}

/** Why the load would refuse what a save is about to write (the same checks), or nothing. */
function writeProblems(d: Deployment, check: WriteCheck): DeploymentFileProblem[] {
  if (d.schemaVersion !== SCHEMA_VERSION) return [{ path: 'schemaVersion', message: `is ${String(d.schemaVersion)}; this version of SfB Certificates writes ${SCHEMA_VERSION}.` }];
  const keys = findPrivateKeys(d, check.mentionsKeys);
  if (keys.length) return keys.map((k) => ({ path: formatPath(k.at), message: k.message }));
  if (!check.conforms) {
    const result = checkDeployment(JSON.parse(JSON.stringify(canonical(DEPLOYMENT_SHAPE, d))));
    if (!result.ok) return result.errors;
  }
  return referenceProblems(d);
}

function refuseToWrite(filePath: string, problems: DeploymentFileProblem[]): DeploymentFileError {
  return new DeploymentFileError(
    `${path.basename(filePath)} was not saved: what SfB Certificates would write could not be loaded again (${formatProblem(problems[0])}) ` +
      'The file on disk is unchanged.', problems, 'would-not-load',
  );
}

/**
 * Saves atomically, keeping exactly one `<file>.bak` with the previous content, and returns the text written. On any
 * failure the original file is intact and no temporary file is left. Refuses (DeploymentFileError) to replace a file
 * that does not load or is read-only, and to write what would not load back.
 */
export function saveDeployment(fs: DeploymentFs, filePath: string, d: Deployment): string {
  const target = resolveTarget(fs, filePath);
  let previous: Uint8Array | undefined;
  if (target.mode !== undefined) {
    refuseReadOnly(filePath, target);
    previous = fs.readFileSync(target.path);
    refuseUnloadable(filePath, previous);
  }
  const check = new WriteCheck();
  const text = [...serializeInPieces(d, check)].join('');
  const problems = writeProblems(d, check);
  if (problems.length) throw refuseToWrite(filePath, problems);
  const tmp = tempName(target.path);
  try {
    writeDurably(fs, tmp, Buffer.from(text, 'utf8'), target.mode);
    if (previous !== undefined) replaceAtomically(fs, `${filePath}.bak`, previous, target.mode);
    fs.renameSync(tmp, target.path);
  } catch (e) {
    removeQuietly(fs, tmp);
    throw e;
  } finally {
    doneWith(tmp);
  }
  return text;
}

export interface AsyncSaveOptions {
  /**
   * The stamp of the file as the caller last loaded or saved it. When the file on disk still has it, the file is not
   * read and validated again (the slow part of a save of a large file); otherwise it is, and a file that no longer
   * loads is not replaced.
   */
  unchangedSince?: FileStamp;
  /** Longest stretch of work between two turns of the event loop, in milliseconds (default 8). */
  sliceMs?: number;
}

export interface AsyncSaveResult {
  /** The text written. */
  text: string;
  /** The stamp of the file now on disk, for the next save's `unchangedSince`. */
  stamp: FileStamp;
}

/** Writes the pieces of the deployment, yielding to the event loop at least every `sliceMs`. */
async function writeInSlices(file: WritableFile, d: Deployment, check: WriteCheck, sliceMs: number): Promise<string> {
  let text = '';
  let batch: string[] = [];
  let started = performance.now();
  const flush = async (): Promise<void> => {
    const chunk = batch.join('');
    batch = [];
    text += chunk;
    await writeAll(file, Buffer.from(chunk, 'utf8'));
    started = performance.now();
  };
  for (const piece of serializeInPieces(d, check)) {
    batch.push(piece);
    if (performance.now() - started >= sliceMs) await flush();
  }
  await flush();
  return text;
}

/**
 * The asynchronous saveDeployment: the same steps, guarantees and refusals (serialize, write a temporary file, fsync,
 * keep the .bak, rename), with the serialization done in slices between which the event loop runs. Concurrent saves of
 * one file are the caller's to serialize (run one at a time; coalesce the ones that wait).
 */
export async function saveDeploymentAsync(fs: DeploymentFsAsync, filePath: string, d: Deployment, options: AsyncSaveOptions = {}): Promise<AsyncSaveResult> {
  const target: Target = await resolveTargetAsync(fs, filePath);
  let previous: Uint8Array | undefined;
  if (target.mode !== undefined) {
    refuseReadOnly(filePath, target);
    previous = await fs.readFile(target.path);
    const known = options.unchangedSince;
    if (!(known && known.size === target.size && known.mtimeMs === target.mtimeMs && previous.byteLength === known.size)) refuseUnloadable(filePath, previous);
  }
  const check = new WriteCheck();
  const tmp = tempName(target.path);
  let handle: WritableFile | undefined;
  try {
    handle = await createFile(fs, tmp, target.mode);
    const text = await writeInSlices(handle, d, check, options.sliceMs ?? 8);
    const problems = writeProblems(d, check);
    if (problems.length) throw refuseToWrite(filePath, problems);
    await handle.sync();
    const closing = handle;
    handle = undefined;
    await closing.close();
    if (previous !== undefined) await replaceAtomicallyAsync(fs, `${filePath}.bak`, previous, target.mode);
    await fs.rename(tmp, target.path);
    const st = await fs.lstat(target.path);
    return { text, stamp: { size: st.size, mtimeMs: st.mtimeMs } };
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await removeQuietlyAsync(fs, tmp);
    throw e;
  } finally {
    doneWith(tmp);
  }
}
