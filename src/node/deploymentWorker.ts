// The deployment file read off the extension host's thread (dist/deployment-worker.js, a worker_threads worker that
// src/ui/deploymentReader.ts starts for each load). It reads the file and runs the core's whole reading pipeline on
// it (strict UTF-8, JSON.parse, duplicate keys, private keys, the shapes, the cross-references: parseDeploymentSteps),
// so a refusal is exactly the one the extension host would have made. Then it hands the result over in pieces the
// host takes one per turn, each asked for when the previous one is taken (a pull, so the host's queue never fills up
// with 170 MB at once): the deployment without its servers, the servers in batches of JSON text (each parsed on the
// host in a few milliseconds), the file's text in slices, and the end.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { parseDeploymentSteps, type ParseResult } from '../core';

/** Servers' JSON per piece: about 1/4 MB (parsed on the extension host in 1–3 ms). */
const SERVER_BATCH_CHARS = 256 * 1024;
/** The file's text per piece (copied on the extension host in well under a millisecond per MB). */
const TEXT_SLICE_CHARS = 4 * 1024 * 1024;

export type WorkerPiece =
  /** The file could not be read (ENOENT: it is not there). */
  | { kind: 'unreadable'; code: string | undefined; message: string }
  /**
   * What the reading decided. `readAt`: when the file had been read (performance.timeOrigin + performance.now()).
   * ok: the deployment without its pools' servers, as JSON; the servers follow.
   */
  | { kind: 'head'; readAt: number; result: { ok: true; warnings: string[]; skeleton: string } | Extract<ParseResult, { ok: false }> }
  /** [pool index, server] pairs, in file order, as JSON. */
  | { kind: 'servers'; json: string }
  | { kind: 'text'; slice: string }
  | { kind: 'end' };

/** The pieces of one read, made when asked for. */
export function* readPieces(file: string): Generator<WorkerPiece, void, void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    yield { kind: 'unreadable', code: error.code, message: error.message };
    return;
  }
  const readAt = performance.timeOrigin + performance.now();
  const steps = parseDeploymentSteps(bytes);
  let step = steps.next();
  while (!step.done) step = steps.next();
  const { parsed, text: decoded } = step.value;
  if (!parsed.ok) yield { kind: 'head', readAt, result: parsed };
  else {
    const d = parsed.deployment;
    const skeleton = JSON.stringify({ ...d, pools: d.pools.map((p) => ({ ...p, servers: [] })) });
    yield { kind: 'head', readAt, result: { ok: true, warnings: parsed.warnings, skeleton } };
    let batch: string[] = [];
    let size = 0;
    for (let poolIndex = 0; poolIndex < d.pools.length; poolIndex++) {
      for (const server of d.pools[poolIndex].servers) {
        const json = `[${poolIndex},${JSON.stringify(server)}]`;
        batch.push(json);
        size += json.length;
        if (size >= SERVER_BATCH_CHARS) {
          yield { kind: 'servers', json: `[${batch.join(',')}]` };
          batch = [];
          size = 0;
        }
      }
    }
    if (batch.length) yield { kind: 'servers', json: `[${batch.join(',')}]` };
  }
  // The text the load keeps (the Problems panel places findings in it): as the in-thread read has it.
  const text = decoded ?? bytes.toString('utf8');
  for (let at = 0; at < text.length; at += TEXT_SLICE_CHARS) yield { kind: 'text', slice: text.slice(at, at + TEXT_SLICE_CHARS) };
  yield { kind: 'end' };
}

// Started as a worker: one read of workerData.file, a piece per message from the extension host.
if (parentPort && typeof (workerData as { file?: unknown } | undefined)?.file === 'string') {
  const port = parentPort;
  const pieces = readPieces((workerData as { file: string }).file);
  // One piece ahead: the next is made while the extension host takes the one just sent.
  let ready: IteratorResult<WorkerPiece, void> | undefined;
  port.on('message', () => {
    const next = ready ?? pieces.next();
    port.postMessage(next.done ? ({ kind: 'end' } satisfies WorkerPiece) : next.value);
    ready = next.done ? next : undefined;
    setImmediate(() => { ready ??= pieces.next(); });
  });
}
