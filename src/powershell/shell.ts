// ManagementShell, the SfB Management Shell over a DeploymentSession. No 'vscode' here: the terminal
// (src/ui/terminal), the CLI (sfb-cert shell) and the dry run (dryRun.ts) drive it through ShellHost.
import { defaultComputer } from '../core';
import { completeAt } from './completion';
import { ShellError } from './errors';
import { formatErrorRecord, formatParseError } from './format';
import { firstError, isIncompleteText, loadParser, namedChildren, parseScript, type Node } from './grammar';
import { parseErrorMessage } from './parseErrors';
import { BreakLoop, Cancelled, ScriptStopped } from './errors';
import { ExitRequest, Interpreter } from './interpreter';
import { HOME } from './paths';
import type { ShellHost, ShellState, ShellWrite } from './runtime';
import { leaveSession } from './cmdlets/store';
import { safeLines } from '../present/text';
import type { Parser } from 'web-tree-sitter';


export interface ShellOptions {
  /** FQDN of "this computer" at start (default: a Front End of the pool hosting the CMS, the core's rule). */
  computer?: string;
}

export interface ExecuteResult {
  /** An error record was written. */
  hadError: boolean;
  /** `exit` ran outside a remote session: close the shell. */
  exit: boolean;
  /** Clear-Host (cls) ran: clear the screen. */
  clear: boolean;
  /** The input ended before its last statement: a terminating error (or -ErrorAction Stop), or a prompt cancelled / the run stopped (Ctrl+C). */
  stopped?: 'error' | 'cancelled';
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Called after each top-level statement ran (or failed), with its extent in the input; the run waits for it. */
  afterStatement?: (start: number, end: number) => void | Promise<void>;
}

export class ManagementShell {
  private readonly state: ShellState;

  private constructor(private readonly parser: Parser, host: ShellHost, options: ShellOptions) {
    this.state = {
      host,
      computer: options.computer ?? defaultComputer(host.session.state)?.server.fqdn,
      variables: new Map(),
      location: HOME,
      pfxPasswords: new Map(),
    };
  }

  /** Loads the grammar (once per process) and starts a shell on `host`. */
  static async create(host: ShellHost, options: ShellOptions = {}): Promise<ManagementShell> {
    return new ManagementShell(await loadParser(), host, options);
  }

  /** "PS C:\Users\Administrator> ", or "[fe02.contoso.com]: PS C:\Users\Administrator\Documents> " inside Enter-PSSession. */
  get prompt(): string {
    return `${this.state.sessionFrom ? `[${this.state.computer}]: ` : ''}PS ${this.state.location}> `;
  }

  /** FQDN of "this computer". */
  get computer(): string | undefined {
    return this.state.computer;
  }

  /** Runs one input (one or more statements or lines); output goes to `write` as it is produced. */
  async execute(text: string, raw: (w: ShellWrite) => void, signalOrOptions?: AbortSignal | ExecuteOptions): Promise<ExecuteResult> {
    const options: ExecuteOptions = signalOrOptions && 'aborted' in signalOrOptions ? { signal: signalOrOptions } : signalOrOptions ?? {};
    const signal = options.signal;
    // Everything the shell prints goes through the presenter's escaping: names, subjects, file names and error texts
    // can carry control characters (issue #12).
    const write = (w: ShellWrite) => raw({ ...w, text: safeLines(w.text) });
    const result: ExecuteResult = { hadError: false, exit: false, clear: false };
    this.state.clearRequested = false;
    const parsed = parseScript(this.parser, text);
    if (!parsed) {
      write({ stream: 'error', text: formatParseError({ script: text, start: 0, end: text.length, message: 'The PowerShell grammar gave up reading this input (it took too long). Check the brackets and quotes.', errorId: 'ParserTimeout' }) });
      return { ...result, hadError: true };
    }
    try {
      const error = firstError(parsed.tree.rootNode);
      if (error) {
        write({ stream: 'error', text: formatParseError({ script: text, start: error.startIndex, end: Math.max(error.endIndex, error.startIndex + 1), ...parseErrorMessage(error, parsed.text) }) });
        return { ...result, hadError: true };
      }
      const interpreter = new Interpreter(this.state, parsed.text, write, signal);
      const onError = (e: ShellError, statement: Node) => {
        result.hadError = true;
        const d = e.details;
        write({
          stream: 'error',
          text: formatErrorRecord({
            command: d.command, activity: d.activity, message: e.message, script: text, start: d.start ?? statement.startIndex, end: d.end ?? statement.endIndex,
            category: d.category, target: d.target, reason: d.reason, errorId: d.errorId,
          }),
        });
      };
      try {
        const statements = namedChildren(parsed.tree.rootNode).flatMap((node) => (node.type === 'statement_list' ? namedChildren(node) : [node]));
        await interpreter.runStatements(statements, onError, options.afterStatement && ((s) => options.afterStatement!(s.startIndex, s.endIndex)));
      } catch (e) {
        if (e instanceof ExitRequest) {
          if (this.state.sessionFrom) leaveSession(this.state);
          else result.exit = true;
        } else if (e instanceof Cancelled) {
          result.stopped = 'cancelled';
        } else if (e instanceof ScriptStopped) {
          result.stopped = 'error';
        } else if (!(e instanceof BreakLoop)) {
          throw e;
        }
      }
    } finally {
      parsed.tree.delete();
    }
    result.clear = this.state.clearRequested ?? false;
    return result;
  }

  /** Whether `text` is an unfinished statement that needs another line (the ">> " prompt). */
  isIncomplete(text: string): boolean {
    return isIncompleteText(this.parser, text);
  }

  /** Tab completion at `cursor`: the range to replace and the candidates in order. */
  complete(line: string, cursor: number): Promise<{ start: number; end: number; candidates: string[] }> {
    return completeAt(this.state, line, cursor);
  }
}
