// Loading and saving sfb-deployment.json on disk. A save keeps exactly one `<file>.bak` with the previous content,
// replaces the file atomically (through its link, with its mode), and refuses — leaving the file untouched — when the
// file on disk does not load (corrupt, invalid, newer), when it is read-only, or when what it would write would not
// load back (the load's own checks run on it first). The asynchronous save writes in slices, so a 170 MB file never
// holds the event loop for long.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SCHEMA_VERSION, type Deployment } from '../model';
import {
  doneWith, lstat, paused, readFile, refuseReadOnly, removeOrphanedTempFiles, removeQuietlySteps, rename, replaceAtomicallySteps, resolveTargetSteps, runAsync,
  runSync, tempName, write, writeNewFile, type DeploymentFs, type DeploymentFsAsync, type FileStamp, type Handle, type Steps,
} from './atomicWrite';
import { findPrivateKeysSteps } from './privateKeys';
import { DeploymentFileError, formatPath, formatProblem, type DeploymentFileProblem, type ParseResult } from './problems';
import { parseDeployment } from './read';
import { canonical, serializeInPieces, WriteCheck } from './serialize';
import { DEPLOYMENT_SHAPE } from './shape';
import { checkDeployment, referenceProblemsSteps } from './validate';

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

/** Why the load would refuse what a save is about to write (the same checks), or nothing; in slices of pools. */
function* writeProblems(d: Deployment, check: WriteCheck): Steps<DeploymentFileProblem[]> {
  if (d.schemaVersion !== SCHEMA_VERSION) return [{ path: 'schemaVersion', message: `is ${String(d.schemaVersion)}; this version of SfB Certificates writes ${SCHEMA_VERSION}.` }];
  const keys = yield* paused(findPrivateKeysSteps(d, check.mentionsKeys));
  if (keys.length) return keys.map((k) => ({ path: formatPath(k.at), message: k.message }));
  if (!check.conforms) {
    const result = checkDeployment(JSON.parse(JSON.stringify(canonical(DEPLOYMENT_SHAPE, d))));
    if (!result.ok) return result.errors;
  }
  return yield* paused(referenceProblemsSteps(d));
}

function refuseToWrite(filePath: string, problems: DeploymentFileProblem[]): DeploymentFileError {
  return new DeploymentFileError(
    `${path.basename(filePath)} was not saved: what SfB Certificates would write could not be loaded again (${formatProblem(problems[0])}) ` +
      'The file on disk is unchanged.', problems, 'would-not-load',
  );
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
  /**
   * The same text in the pieces written (`text` is made of them; V8 joins them into one string only when a character
   * of it is read, which for a 170 MB file blocks for a second: a caller that keeps the text can keep these instead).
   */
  pieces: string[];
  /** The stamp of the file now on disk, for the next save's `unchangedSince`. */
  stamp: FileStamp;
}

/** Writes the pieces of the deployment, one write per `sliceMs` of serializing (the async driver yields at each). */
function* writeInSlices(handle: Handle, d: Deployment, check: WriteCheck, sliceMs: number): Steps<string[]> {
  const pieces: string[] = [];
  let batch: string[] = [];
  let started = performance.now();
  function* flushBatch(): Steps<void> {
    const chunk = batch.join('');
    batch = [];
    pieces.push(chunk);
    yield* write(handle, Buffer.from(chunk, 'utf8'));
    started = performance.now();
  }
  for (const piece of serializeInPieces(d, check)) {
    batch.push(piece);
    if (sliceMs !== Infinity && performance.now() - started >= sliceMs) yield* flushBatch();
  }
  yield* flushBatch();
  return pieces;
}

/**
 * The save, as steps: read and check the file on disk (unless it is unchanged since `unchangedSince`), write the new
 * content to a temporary file in slices and flush it, refuse what would not load back, keep the previous content as
 * the one `.bak`, rename the temporary file over the file. On any failure the file is intact and no temporary file is left.
 */
function* saveSteps(filePath: string, d: Deployment, unchangedSince: FileStamp | undefined, sliceMs: number): Steps<AsyncSaveResult> {
  const target = yield* resolveTargetSteps(filePath);
  let previous: Uint8Array | undefined;
  if (target.mode !== undefined) {
    refuseReadOnly(filePath, target);
    previous = yield* readFile(target.path);
    const known = unchangedSince;
    if (!(known && known.size === target.size && known.mtimeMs === target.mtimeMs && previous.byteLength === known.size)) refuseUnloadable(filePath, previous);
  }
  const check = new WriteCheck();
  const tmp = tempName(target.path);
  try {
    const pieces = yield* writeNewFile(tmp, target.mode, function* (handle) {
      const written = yield* writeInSlices(handle, d, check, sliceMs);
      const problems = yield* writeProblems(d, check);
      if (problems.length) throw refuseToWrite(filePath, problems);
      return written;
    });
    if (previous !== undefined) yield* replaceAtomicallySteps(`${filePath}.bak`, previous, target.mode);
    yield* rename(tmp, target.path);
    const st = yield* lstat(target.path);
    // Concatenated, not joined: the string stays made of the pieces until a character of it is read.
    let text = '';
    for (const piece of pieces) text += piece;
    return { text, pieces, stamp: { size: st.size, mtimeMs: st.mtimeMs } };
  } catch (e) {
    yield* removeQuietlySteps(tmp);
    throw e;
  } finally {
    doneWith(tmp);
  }
}

/**
 * Saves atomically, keeping exactly one `<file>.bak` with the previous content, and returns the text written. On any
 * failure the original file is intact and no temporary file is left. Refuses (DeploymentFileError) to replace a file
 * that does not load or is read-only, and to write what would not load back.
 */
export function saveDeployment(fs: DeploymentFs, filePath: string, d: Deployment): string {
  return runSync(fs, saveSteps(filePath, d, undefined, Infinity)).text;
}

/**
 * The asynchronous saveDeployment: the same steps, guarantees and refusals, with the serialization done in slices
 * between which the event loop runs. Concurrent saves of one file are the caller's to serialize (run one at a time;
 * coalesce the ones that wait).
 */
export async function saveDeploymentAsync(fs: DeploymentFsAsync, filePath: string, d: Deployment, options: AsyncSaveOptions = {}): Promise<AsyncSaveResult> {
  return runAsync(fs, saveSteps(filePath, d, options.unchangedSince, options.sliceMs ?? 8));
}
