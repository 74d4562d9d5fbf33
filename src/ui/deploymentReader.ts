// Reading the deployment file for the live deployment without blocking the extension host: in a worker thread
// (src/node/deploymentWorker.ts: the core's whole reading pipeline, so the same refusals with the same positions),
// whose result is taken over in pieces, one per turn of the event loop; or, when a worker cannot run, in this thread
// in steps (one pass over the file each: decode, JSON.parse, the checks), as before there was a worker. No 'vscode'.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { parseDeploymentSteps, type Deployment, type ParseResult } from '../core';
import type { WorkerPiece } from '../node/deploymentWorker';
import { FileText } from './fileText';
import { inSteps } from './steps';

export interface DeploymentRead {
  parsed: ParseResult;
  /**
   * The file's text (decoded as the reading did; for a file that is not UTF-8, with U+FFFD where it is not): from the
   * worker in its slices, never joined (see fileText.ts).
   */
  text: string | FileText;
  /** Where it was read: 'worker', or 'thread' (in the extension host's thread, in steps). */
  by: 'worker' | 'thread';
}

/** Reads and checks a deployment file; undefined when there is no such file. Other file errors reject. */
export type DeploymentReader = (file: string) => Promise<DeploymentRead | undefined>;

/** The in-thread read: the file read asynchronously, then decoded, parsed and checked in steps. */
export const readInThread: DeploymentReader = async (file) => {
  const bytes = await fs.promises.readFile(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (bytes === undefined) return undefined;
  performance.mark('sfb:load:read'); // the host bench splits activation into phases by these marks
  return { ...(await readBytesInThread(bytes)), by: 'thread' };
};

/** Parses and checks bytes already read (a file that changed on disk), in steps. */
export async function readBytesInThread(bytes: Uint8Array): Promise<Omit<DeploymentRead, 'by'>> {
  const read = await inSteps(parseDeploymentSteps(bytes));
  return { parsed: read.parsed, text: read.text ?? Buffer.from(bytes).toString('utf8') };
}

/** Thrown inside readInWorker when the worker itself fails (it cannot start, or it crashed): the thread reads instead. */
class WorkerFailed extends Error {}

/**
 * A reader that reads in a worker running `workerFile` (dist/deployment-worker.js), and in this thread when the
 * worker cannot start or fails (`onFallback` hears why), or when the file is smaller than `fromBytes` (starting a
 * worker costs about 100 ms, more than reading a small file in steps).
 */
export function workerReader(workerFile: string, onFallback: (reason: string) => void = () => undefined, fromBytes = 0): DeploymentReader {
  return async (file) => {
    if (fromBytes > 0) {
      const size = await fs.promises.stat(file).then((st) => st.size, () => undefined);
      if (size !== undefined && size < fromBytes) return readInThread(file);
    }
    try {
      return await readInWorker(workerFile, file);
    } catch (e) {
      if (!(e instanceof WorkerFailed)) throw e;
      onFallback(e.message);
      return readInThread(file);
    }
  };
}

async function readInWorker(workerFile: string, file: string): Promise<DeploymentRead | undefined> {
  let worker: Worker;
  try {
    worker = new Worker(workerFile, { workerData: { file } });
  } catch (e) {
    throw new WorkerFailed(`the reading worker could not start: ${(e as Error).message}`);
  }
  let failed: ((e: Error) => void) | undefined;
  let waiting: ((piece: WorkerPiece) => void) | undefined;
  worker.on('message', (piece: WorkerPiece) => waiting?.(piece));
  worker.on('error', (e) => failed?.(new WorkerFailed(`the reading worker failed: ${e.message}`)));
  worker.on('exit', (code) => failed?.(new WorkerFailed(`the reading worker ended early (exit code ${code})`)));
  /** Asks for the next piece; it arrives in a turn of its own. */
  const next = () => new Promise<WorkerPiece>((resolve, reject) => {
    waiting = resolve;
    failed = reject;
    worker.postMessage(0);
  });
  try {
    const head = await next();
    if (head.kind === 'unreadable') {
      if (head.code === 'ENOENT') return undefined;
      throw new Error(head.message);
    }
    if (head.kind !== 'head') throw new WorkerFailed(`the reading worker sent ${head.kind} first`);
    performance.mark('sfb:load:read', { startTime: head.readAt - performance.timeOrigin });
    let deployment: Deployment | undefined;
    if (head.result.ok) deployment = JSON.parse(head.result.skeleton) as Deployment;
    const slices: string[] = [];
    for (let piece = await next(); piece.kind !== 'end'; piece = await next()) {
      if (piece.kind === 'servers' && deployment) {
        for (const [poolIndex, server] of JSON.parse(piece.json) as [number, Deployment['pools'][number]['servers'][number]][]) deployment.pools[poolIndex].servers.push(server);
      } else if (piece.kind === 'text') slices.push(piece.slice);
      else throw new WorkerFailed(`the reading worker sent ${piece.kind} out of order`);
    }
    const parsed: ParseResult = head.result.ok ? { ok: true, deployment: deployment!, warnings: head.result.warnings } : head.result;
    return { parsed, text: new FileText(slices), by: 'worker' };
  } finally {
    failed = undefined;
    waiting = undefined;
    void worker.terminate();
  }
}
