// What a load or a save of the deployment file reports: problems located by JSON path (and line/column where the text
// is at fault), the result of a load, and the error a refused save throws.

import type { Deployment } from '../model';

export type Segment = string | number;

export interface DeploymentFileProblem {
  /** JSON path of the offending value, e.g. "pools[2].servers[0].fqdn"; '' for the file as a whole. */
  path: string;
  /** What is wrong and what is expected instead, for a person. */
  message: string;
  /** 1-based position in the text, for syntax errors, duplicate keys, invalid UTF-8 and private keys. */
  line?: number;
  column?: number;
}

export type ParseResult =
  | { ok: true; deployment: Deployment; warnings: string[] }
  | { ok: false; errors: DeploymentFileProblem[]; readOnlyReason: string };

/** A load reports at most this many problems (the first ones in file order). */
export const MAX_PROBLEMS = 10;

export const READ_ONLY_INVALID =
  'SfB Certificates leaves the file exactly as it is and saves nothing until it loads cleanly: fix the problems listed, or restore the previous version from the .bak copy next to it.';
export const READ_ONLY_NEWER =
  'It was written by a newer version of SfB Certificates: update the extension to work with it. This version does not change the file, so nothing in it is lost.';

/** "pools[0].servers[1].fqdn: expected …" — a problem as one line for a person. */
export function formatProblem(p: DeploymentFileProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/**
 * A save was refused and the file on disk is untouched: the file there does not load (corrupt, invalid or newer), the
 * deployment to be written would not load back (it holds a private key), or the file is read-only.
 */
export class DeploymentFileError extends Error {
  constructor(
    message: string,
    readonly problems: DeploymentFileProblem[],
    /**
     * 'on-disk': the file there does not load, so it is kept as it is (read-only until fixed). 'read-only': its mode
     * forbids writing. 'not-a-file': it is a directory, a device or a dangling link. 'would-not-load': the deployment
     * to be written would be refused by the load (e.g. it holds a private key); the file on disk is fine.
     */
    readonly reason: 'on-disk' | 'read-only' | 'not-a-file' | 'would-not-load',
  ) {
    super(message);
    this.name = 'DeploymentFileError';
  }
}
