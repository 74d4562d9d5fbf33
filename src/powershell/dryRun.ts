// A dry run: a whole script through the Management Shell's interpreter on a COPY of the deployment (a session of its
// own over the same state; operations never change a state in place), with files written to memory only. The
// result is the output as the shell prints it, how the run ended, the state it leads to and what would change
// (src/core/deploymentDiff.ts), and after each top-level statement whether the Front Ends would still agree on the
// OAuth certificate (the script checker's cross-statement check). No 'vscode' here: the editor's Dry Run view, the
// script checker and the tests drive it.
import { DeploymentSession, diffDeployments, oauthGroups, type Deployment, type DeploymentDiff } from '../core';
import { ManagementShell } from './shell';
import type { ShellFiles, ShellHost, ShellWrite } from './runtime';

export interface DryRunOptions {
  /** The model's now (the live deployment's clock). */
  now: () => Date;
  expiryWarningDays?: () => number;
  /** "This computer" at start (default: the shell's default). */
  computer?: string;
  /** The server drive to read from; writes stay in memory. Absent: no files (a read fails as a missing file). */
  files?: ShellFiles;
  /** Answers Read-Host and confirmation prompts; undefined = cancelled (the run stops there). Absent: every prompt stops the run. */
  readHost?: (prompt: string, options: { secure: boolean }) => Promise<string | undefined>;
  /** Stops the run after this much time spent running (prompts excluded): a loop that never ends. Default 20 s. */
  timeLimitMs?: number;
  signal?: AbortSignal;
}

export type DryRunEnd =
  | { kind: 'completed' }
  /** An error record was written (the script would not run cleanly): `message` is the first one's first line. */
  | { kind: 'error'; message: string; stopped: boolean }
  /** A prompt was cancelled, or nobody could answer it, or the run took too long. */
  | { kind: 'stopped'; message: string };

/** Front Ends that would disagree on the OAuth certificate after a statement, when they agreed before it. */
export interface OAuthSplit {
  start: number;
  end: number;
  groups: { key: string; servers: string[] }[];
}

export interface DryRunResult {
  before: Deployment;
  after: Deployment;
  output: ShellWrite[];
  end: DryRunEnd;
  diff: DeploymentDiff;
  /** How many top-level statements ran (also the one that failed). */
  statementsRun: number;
  /** The first statement after which the Front Ends would disagree, and the script ends with them disagreeing. */
  split?: OAuthSplit;
}

export const DRY_RUN_TIME_LIMIT_MS = 20_000;

/** The longest a dry run keeps the event loop without giving it a turn (between statements). */
const YIELD_AFTER_MS = 20;

/** Writes go to memory; reads see them first, then the drive. */
function overlay(files: ShellFiles | undefined): ShellFiles {
  const written = new Map<string, Uint8Array>();
  const missing = (p: string) => Object.assign(new Error(`C:\\${p.split('/').join('\\')} does not exist.`), { code: 'ENOENT' });
  return {
    read: async (p) => written.get(p) ?? (files ? files.read(p) : Promise.reject(missing(p))),
    write: async (p, bytes) => void written.set(p, bytes),
    exists: async (p) => written.has(p) || (files ? files.exists(p) : false),
    list: async (p) => {
      const listed = files ? await files.list(p) : [];
      const prefix = p ? `${p}/` : '';
      for (const w of written.keys()) {
        if (!w.startsWith(prefix)) continue;
        const name = w.slice(prefix.length).split('/')[0];
        if (!listed.some((e) => e.name === name)) listed.push({ name, isDirectory: w.slice(prefix.length).includes('/') });
      }
      return listed;
    },
  };
}

/** Runs `script` on a copy of `state`; `state` itself is never changed. */
export async function dryRunScript(script: string, state: Deployment, options: DryRunOptions): Promise<DryRunResult> {
  const session = new DeploymentSession(state, options.now, { expiryWarningDays: options.expiryWarningDays });
  const limit = options.timeLimitMs ?? DRY_RUN_TIME_LIMIT_MS;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onAbort);
  let timedOut = false;
  let remaining = limit;
  let started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const startClock = () => {
    started = Date.now();
    timer = setTimeout(() => { timedOut = true; abort.abort(); }, Math.max(0, remaining));
  };
  const stopClock = () => {
    clearTimeout(timer);
    remaining -= Date.now() - started;
  };
  let unanswered: string | undefined;
  const host: ShellHost = {
    session,
    files: overlay(options.files),
    interactive: options.readHost !== undefined,
    readHost: async (prompt, o) => {
      if (!options.readHost) {
        unanswered = prompt;
        return undefined;
      }
      stopClock();
      try {
        const answer = await options.readHost(prompt, o);
        if (answer === undefined) unanswered = prompt;
        return answer;
      } finally {
        startClock();
      }
    },
  };
  const output: ShellWrite[] = [];
  let statementsRun = 0;
  let split: OAuthSplit | undefined;
  let agreed = oauthGroups(state).length <= 1;
  let lastState = state;
  const shell = await ManagementShell.create(host, { computer: options.computer });
  let lastYield = Date.now();
  startClock();
  let result;
  try {
    result = await shell.execute(script, (w) => output.push(w), {
      signal: abort.signal,
      afterStatement: async (start, end) => {
        statementsRun++;
        // Statements run without giving the event loop a turn (the model's operations are synchronous): every
        // YIELD_AFTER_MS the run lets it have one, so the extension host stays responsive and the time limit's
        // timer and a cancellation can fire.
        if (Date.now() - lastYield >= YIELD_AFTER_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
        if (session.state === lastState) return;
        lastState = session.state;
        const groups = oauthGroups(session.state);
        if (agreed && groups.length > 1 && !split) split = { start, end, groups };
        agreed = groups.length <= 1;
        if (agreed) split = undefined;
      },
    });
  } finally {
    stopClock();
    options.signal?.removeEventListener('abort', onAbort);
  }
  const after = session.state;
  let end: DryRunEnd;
  if (result.stopped === 'cancelled') {
    end = {
      kind: 'stopped',
      message: timedOut ? `The script was stopped after ${Math.round(limit / 1000)} seconds of running (a loop that never ends?); the rest did not run.`
        : unanswered !== undefined ? `The script stopped at the prompt "${unanswered.trim().replace(/:$/, '')}": ${options.readHost ? 'it was cancelled' : 'nobody can answer it here'}; the rest did not run.`
          : 'The dry run was cancelled; the rest of the script did not run.',
    };
  } else if (result.hadError) {
    const first = output.find((w) => w.stream === 'error')?.text.split('\n').find((l) => l.trim()) ?? 'An error record was written.';
    end = { kind: 'error', message: first.trim(), stopped: result.stopped === 'error' };
  } else {
    end = { kind: 'completed' };
  }
  return { before: state, after, output, end, diff: diffDeployments(state, after), statementsRun, ...(split && !agreed ? { split } : {}) };
}
