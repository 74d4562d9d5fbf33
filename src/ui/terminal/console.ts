// The console of the Management Shell: what happens between the keys a terminal sends and the shell that runs
// the lines. It draws the prompt and the line being edited, keeps history and Tab completion, sends complete
// input to the shell (asking for `>> ` continuation lines while it is incomplete), colours the shell's output by
// stream, and serves Read-Host (masked for -AsSecureString). Keys that arrive while a command runs wait their
// turn (a pasted block runs line by line), except Ctrl+C, which aborts the command. Pure: no 'vscode'; the
// pseudoterminal glue hands it the terminal's input and writes what it returns.
import type { ExecuteResult, ShellStream, ShellWrite } from '../../powershell';
import { CompletionCycle, type Completions } from './completion';
import { History } from './history';
import { parseKeys, type Key } from './keys';
import { LineEditor, LineRenderer } from './lineEditor';

/** What the console needs of the Management Shell (src/powershell's ManagementShell provides it). */
export interface ConsoleShell {
  readonly prompt: string;
  /** `exit`: close the terminal; `clear`: Clear-Host (cls) ran, clear the screen. */
  execute(text: string, write: (w: ShellWrite) => void, signal?: AbortSignal): Promise<ExecuteResult>;
  complete(line: string, cursor: number): Promise<Completions>;
  isIncomplete(text: string): boolean;
}

export interface ConsoleIo {
  /** Writes to the terminal (ANSI, CRLF line ends). */
  write(data: string): void;
  /** Closes the terminal (`exit`). */
  close(): void;
  /** A line ran (for the per-workspace history). */
  ran?(line: string): void;
  /** A bug surfaced (the shell threw): for the log. */
  failed?(error: unknown): void;
}

export const CONTINUATION_PROMPT = '>> ';
const COLOURS: Record<ShellStream, string | undefined> = { output: undefined, error: '\x1b[91m', warning: '\x1b[93m', verbose: '\x1b[93m' };
const RESET = '\x1b[0m';
const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';

type Mode = 'starting' | 'edit' | 'busy' | 'read' | 'closed';

interface PendingRead { prompt: string; secure: boolean; resolve(value: string | undefined): void }

export class ShellConsole {
  private shell: ConsoleShell | undefined;
  private mode: Mode = 'starting';
  private readonly editor = new LineEditor();
  private readonly renderer: LineRenderer;
  private readonly queue: Key[] = [];
  private continuation: string[] = [];
  private cycle: CompletionCycle | undefined;
  private running: AbortController | undefined;
  private reading: PendingRead | undefined;
  /** Whether the last thing written ended a line (the prompt must start on a fresh one). */
  private atLineStart = true;

  constructor(private readonly io: ConsoleIo, readonly history: History = new History(), columns = 80) {
    this.renderer = new LineRenderer(columns);
  }

  /** The shell is ready: show its prompt and handle what was typed meanwhile. */
  attach(shell: ConsoleShell): void {
    if (this.mode === 'closed') return;
    this.shell = shell;
    this.mode = 'edit';
    this.showPrompt();
    this.drain();
  }

  /** The shell could not start: say why (in red) and close on the next key. */
  failToStart(message: string): void {
    this.writeOutput({ stream: 'error', text: `${message}\n` });
    this.print('Press any key to close the terminal.\r\n');
    this.mode = 'closed';
    this.queue.length = 0;
  }

  resize(columns: number): void {
    this.renderer.columns = columns;
  }

  /** Data the terminal received from the user (keys, escape sequences, pasted text). */
  input(data: string): void {
    if (this.mode === 'closed') {
      if (!this.shell) this.io.close();
      return;
    }
    for (const key of parseKeys(data)) {
      if (this.mode === 'busy' && key.kind === 'key' && key.name === 'interrupt' && this.running) {
        this.queue.length = 0;
        this.print('^C');
        this.running.abort();
      } else {
        this.queue.push(key);
      }
    }
    this.drain();
  }

  /** Read-Host: prompts on the terminal (masked echo when `secure`); undefined when the user presses Ctrl+C. */
  readHost(prompt: string, options: { secure: boolean }): Promise<string | undefined> {
    if (this.mode !== 'busy') return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.reading = { prompt, secure: options.secure, resolve };
      this.mode = 'read';
      this.editor.clear();
      this.redraw();
      this.drain();
    });
  }

  /** Writes one piece of the shell's output, coloured by its stream. */
  writeOutput(w: ShellWrite): void {
    if (!w.text) return;
    const colour = COLOURS[w.stream];
    const lines = w.text.split(/\r?\n/);
    this.print(lines.map((l) => (colour && l ? colour + l + RESET : l)).join('\r\n'));
  }

  /** The terminal closed: stop what runs and answer a waiting Read-Host. */
  dispose(): void {
    this.mode = 'closed';
    this.queue.length = 0;
    this.running?.abort();
    this.reading?.resolve(undefined);
    this.reading = undefined;
  }

  // ---- keys --------------------------------------------------------------------------------------------

  private drain(): void {
    while (this.queue.length && (this.mode === 'edit' || this.mode === 'read')) {
      const key = this.queue.shift()!;
      if (this.mode === 'read') this.readKey(key);
      else this.editKey(key);
    }
  }

  private editKey(key: Key): void {
    const isTab = key.kind === 'key' && (key.name === 'tab' || key.name === 'shiftTab');
    if (!isTab) this.cycle = undefined;
    if (key.kind === 'text') {
      this.editor.insert(key.text);
      this.redraw();
      return;
    }
    const e = this.editor;
    switch (key.name) {
      case 'enter': return this.submit();
      case 'tab': return void this.complete(1);
      case 'shiftTab': return void this.complete(-1);
      case 'up': return this.recall(this.history.previous(e.text));
      case 'down': return this.recall(this.history.next());
      case 'interrupt': return this.cancelLine();
      case 'clearScreen': return this.clearScreen();
      case 'escape': e.clear(); break;
      default: if (!this.edit(key.name)) return;
    }
    this.redraw();
  }

  /** The editing keys shared by the prompt and Read-Host; false when the key is not one of them. */
  private edit(name: string): boolean {
    const e = this.editor;
    switch (name) {
      case 'left': e.left(); break;
      case 'right': e.right(); break;
      case 'home': e.home(); break;
      case 'end': e.end(); break;
      case 'backspace': e.backspace(); break;
      case 'delete': e.delete(); break;
      case 'wordLeft': e.wordLeft(); break;
      case 'wordRight': e.wordRight(); break;
      case 'deleteWordLeft': e.deleteWordLeft(); break;
      case 'killLineBefore': e.killBefore(); break;
      case 'killLineAfter': e.killAfter(); break;
      default: return false;
    }
    return true;
  }

  private readKey(key: Key): void {
    const read = this.reading!;
    if (key.kind === 'text') {
      this.editor.insert(key.text);
    } else if (key.name === 'enter' || key.name === 'interrupt') {
      const value = key.name === 'enter' ? this.editor.text : undefined;
      if (key.name === 'interrupt') this.interruptLine();
      else this.endLine(read.prompt);
      this.editor.clear();
      this.reading = undefined;
      this.mode = 'busy';
      read.resolve(value);
      return;
    } else if (!this.edit(key.name)) {
      return;
    }
    this.redraw();
  }

  private recall(line: string | undefined): void {
    if (line === undefined) return;
    this.editor.set(line);
    this.redraw();
  }

  private submit(): void {
    const line = this.editor.text;
    this.endLine(this.currentPrompt());
    this.editor.clear();
    this.history.add(line);
    this.io.ran?.(line);
    const lines = [...this.continuation, line];
    const text = lines.join('\n');
    // An empty line ends a continuation and runs what was typed (the shell reports what is still missing).
    if (line.trim() !== '' && this.shell!.isIncomplete(text)) {
      this.continuation = lines;
      this.showPrompt();
      return;
    }
    this.continuation = [];
    if (text.trim() === '') return this.showPrompt();
    void this.run(text);
  }

  private async run(text: string): Promise<void> {
    this.mode = 'busy';
    const running = (this.running = new AbortController());
    let exit = false;
    let clear = false;
    try {
      ({ exit, clear } = await this.shell!.execute(text, (w) => this.writeOutput(w), running.signal));
    } catch (e) {
      this.io.failed?.(e);
      this.writeOutput({ stream: 'error', text: `The Management Shell failed on this input: ${(e as Error)?.message ?? String(e)} (a bug in SfB Certificates; details are in its log).\n` });
    }
    this.running = undefined;
    if (this.isClosed()) return;
    if (exit) {
      this.mode = 'closed';
      this.io.close();
      return;
    }
    this.mode = 'edit';
    if (clear) this.clearScreen();
    else this.showPrompt();
    this.drain();
  }

  private async complete(step: 1 | -1): Promise<void> {
    if (!this.cycle) {
      const line = this.editor.text;
      this.mode = 'busy';
      let completions: Completions;
      try {
        completions = await this.shell!.complete(line, this.editor.cursor);
      } catch (e) {
        this.io.failed?.(e);
        completions = { start: 0, end: 0, candidates: [] };
      }
      if (this.isClosed()) return;
      this.mode = 'edit';
      this.cycle = new CompletionCycle(line, completions);
    }
    if (this.cycle.empty) {
      this.cycle = undefined;
      this.print('\x07');
    } else {
      const next = this.cycle.step(step);
      this.editor.set(next.text, next.cursor);
      this.redraw();
    }
    this.drain();
  }

  private cancelLine(): void {
    this.interruptLine();
    this.editor.clear();
    this.continuation = [];
    this.history.reset();
    this.showPrompt();
  }

  private clearScreen(): void {
    this.io.write(CLEAR_SCREEN);
    this.renderer.reset();
    this.atLineStart = true;
    this.redraw();
  }

  /** Read through a method: the mode changes while a command or a completion is awaited. */
  private isClosed(): boolean {
    return this.mode === 'closed';
  }

  // ---- drawing -----------------------------------------------------------------------------------------

  private currentPrompt(): string {
    if (this.mode === 'read') return this.reading!.prompt;
    return this.continuation.length ? CONTINUATION_PROMPT : this.shell!.prompt;
  }

  private showPrompt(): void {
    if (!this.atLineStart) this.print('\r\n');
    this.renderer.reset();
    this.redraw();
  }

  private redraw(): void {
    const masked = this.mode === 'read' && this.reading!.secure;
    this.io.write(this.renderer.draw(this.currentPrompt(), this.editor.text, this.editor.cursor, masked));
    this.atLineStart = false;
  }

  /** Enter: leaves the drawn line for a fresh row below it. */
  private endLine(prompt: string): void {
    this.io.write(this.renderer.finish(prompt, this.editor.text));
    this.atLineStart = true;
  }

  /** Ctrl+C on a line: `^C` after its end, then a fresh row. */
  private interruptLine(): void {
    this.editor.end();
    this.redraw();
    this.print('^C\r\n');
    this.renderer.reset();
  }

  private print(data: string): void {
    if (!data) return;
    this.io.write(data);
    this.atLineStart = /\n$/.test(data);
  }
}
