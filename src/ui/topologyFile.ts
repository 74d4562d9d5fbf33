// Import Topology's reading step: the file in chunks, then the core's import one phase at a time, in a notification
// that shows how far it got and has a Cancel button. Cancelling stops between chunks or phases (nothing is written:
// the deployment file is only replaced after this returns). A file over the core's size cap is refused before it
// is read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { failure, importTopologySteps, topologySizeProblem, type TopologyImport, type TopologyImportPhase } from '../core';
import { Cancelled } from './pickers';

const CHUNK_BYTES = 1024 * 1024;

const PHASE_TEXT: Record<TopologyImportPhase, string> = {
  decode: 'decoding the text',
  parse: 'reading the XML',
  build: 'building the deployment',
};

/** Lets the notification repaint and a Cancel click arrive. */
const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

async function readInChunks(file: string, size: number, report: (done: number) => void, token: vscode.CancellationToken): Promise<Uint8Array> {
  const bytes = new Uint8Array(size);
  const handle = await fs.promises.open(file, 'r');
  try {
    let done = 0;
    while (done < size) {
      if (token.isCancellationRequested) throw new Cancelled();
      const { bytesRead } = await handle.read(bytes, done, Math.min(CHUNK_BYTES, size - done), done);
      if (bytesRead === 0) break; // the file shrank while it was read: import what is there
      done += bytesRead;
      report(done);
    }
    return done === size ? bytes : bytes.subarray(0, done);
  } finally {
    await handle.close();
  }
}

/** Reads and imports a topology file with progress; throws Cancelled when the user cancels. */
export function importTopologyFile(file: string, now: Date): Thenable<TopologyImport> {
  const name = path.basename(file);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing ${name}`, cancellable: true }, async (progress, token) => {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) {
      return failure('topology-not-a-file', `${name} is not a regular file (a folder, a device or a pipe).`, 'Choose the topology file itself: a Topology Builder .tbxml, or the output of Get-CsTopology -AsXml saved to a file.');
    }
    const tooBig = topologySizeProblem(stat.size, name);
    if (tooBig) return { ok: false, error: tooBig } satisfies TopologyImport;
    // Reading is half of the bar; the three phases share the other half.
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
    let reported = 0;
    const bytes = await readInChunks(file, stat.size, (done) => {
      const now = (done / Math.max(stat.size, 1)) * 50;
      progress.report({ increment: now - reported, message: `reading ${mb(done)} of ${mb(stat.size)} MB` });
      reported = now;
    }, token);
    const steps = importTopologySteps(bytes, name, now);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      progress.report({ increment: 50 / 3, message: PHASE_TEXT[step.value] });
      await yieldToHost();
      if (token.isCancellationRequested) throw new Cancelled();
    }
  });
}
