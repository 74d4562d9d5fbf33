// The Management Shell's console without VS Code: key parsing, the line editor and its redraw (checked on a real
// terminal emulator, xterm.js headless, including wrapped lines), history, Tab completion cycling, and the
// console driving a small scripted shell (continuation, paste, Ctrl+C, Read-Host, cls, exit, colours), and the
// server drive's mapping to a workspace folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Terminal } from '@xterm/headless';
import { CompletionCycle } from '../../src/ui/terminal/completion';
import { mapServerDrive } from '../../src/ui/terminal/drive';
import type { ExecuteResult, ShellWrite } from '../../src/powershell';
import { CONTINUATION_PROMPT, ShellConsole, type ConsoleShell } from '../../src/ui/terminal/console';
import { History, appendEntry } from '../../src/ui/terminal/history';
import { parseKeys } from '../../src/ui/terminal/keys';
import { LineEditor, LineRenderer } from '../../src/ui/terminal/lineEditor';

const PROMPT = 'PS C:\\Users\\Administrator> ';

/** A terminal emulator the tests write to and read the screen of. */
class Screen {
  readonly term: Terminal;
  private pending = Promise.resolve();
  constructor(cols = 80, rows = 30) {
    this.term = new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
  }
  write = (data: string): void => {
    this.pending = this.pending.then(() => new Promise<void>((resolve) => this.term.write(data, resolve)));
  };
  /** The non-empty rows, trailing spaces trimmed. */
  async lines(): Promise<string[]> {
    await this.pending;
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)!.translateToString(true));
    while (out.length && out.at(-1) === '') out.pop();
    return out;
  }
  async text(): Promise<string> {
    return (await this.lines()).join('\n');
  }
  async cursor(): Promise<{ x: number; y: number }> {
    await this.pending;
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.baseY + b.cursorY };
  }
}

describe('terminal: keys', () => {
  it('reads arrows, Home/End, Delete and word moves in both cursor modes, and controls', () => {
    const names = (s: string) => parseKeys(s).map((k) => (k.kind === 'key' ? k.name : `"${k.text}"`));
    assert.deepEqual(names('\x1b[D\x1b[C\x1bOA\x1b[B\x1b[H\x1bOF\x1b[1~\x1b[4~\x1b[3~'), ['left', 'right', 'up', 'down', 'home', 'end', 'home', 'end', 'delete']);
    assert.deepEqual(names('\x1b[1;5D\x1b[1;5C\x1bb\x1bf\x1b[Z'), ['wordLeft', 'wordRight', 'wordLeft', 'wordRight', 'shiftTab']);
    assert.deepEqual(names('\t\x7f\x03\x0c\x1b'), ['tab', 'backspace', 'interrupt', 'clearScreen', 'escape']);
  });

  it('keeps a run of printable characters together and splits a paste at CR, LF and CRLF', () => {
    assert.deepEqual(parseKeys('Get-CsCertificate -Type OAuthTokenIssuer\r\n$x = 1\rfl\n'), [
      { kind: 'text', text: 'Get-CsCertificate -Type OAuthTokenIssuer' }, { kind: 'key', name: 'enter' },
      { kind: 'text', text: '$x = 1' }, { kind: 'key', name: 'enter' },
      { kind: 'text', text: 'fl' }, { kind: 'key', name: 'enter' },
    ]);
  });

  it('drops unknown escape sequences and bracketed-paste markers instead of typing them', () => {
    assert.deepEqual(parseKeys('\x1b[15~a\x1b[200~b\x1b[201~'), [{ kind: 'text', text: 'ab' }]);
  });
});

describe('terminal: line editor', () => {
  it('inserts, moves and deletes at the cursor', () => {
    const e = new LineEditor();
    e.insert('Get-CsCertificate');
    e.home();
    e.delete();
    e.insert('g');
    e.end();
    e.backspace();
    e.left();
    e.left();
    e.right();
    assert.equal(e.text, 'get-CsCertificat');
    assert.equal(e.cursor, 15);
    e.insert('X');
    assert.equal(e.text, 'get-CsCertificaXt');
  });

  it('moves and deletes by word like the PowerShell console (Ctrl+←/→ stop at word starts)', () => {
    const e = new LineEditor();
    e.set('Set-CsCertificate -Type OAuthTokenIssuer -Roll');
    e.wordLeft();
    assert.equal(e.cursor, 41);
    e.wordLeft();
    assert.equal(e.cursor, 24);
    e.home();
    e.wordRight();
    assert.equal(e.cursor, 18);
    e.wordRight();
    assert.equal(e.cursor, 24);
    e.end();
    e.deleteWordLeft();
    assert.equal(e.text, 'Set-CsCertificate -Type OAuthTokenIssuer ');
  });

  it('redraws in place on a real terminal, including lines that wrap over several rows', async () => {
    // Random edits on a 13-column terminal: after each, the screen shows exactly prompt + text and the cursor sits
    // where the editor's cursor is.
    for (const cols of [13, 27]) {
      const screen = new Screen(cols, 40);
      const renderer = new LineRenderer(cols);
      const e = new LineEditor();
      const prompt = 'PS> ';
      let seed = cols;
      const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
      for (let step = 0; step < 120; step++) {
        const op = random(9);
        if (op < 4) e.insert('abcdefghij'.slice(0, 1 + random(6)));
        else if (op === 4) e.backspace();
        else if (op === 5) e.left();
        else if (op === 6) e.wordLeft();
        else if (op === 7) e.set(e.text.slice(0, random(e.text.length + 1)));
        else e.home();
        screen.write(renderer.draw(prompt, e.text, e.cursor));
        const full = prompt + e.text;
        const expected: string[] = [];
        for (let i = 0; i < full.length; i += cols) expected.push(full.slice(i, i + cols));
        assert.deepEqual(await screen.lines(), expected, `step ${step}`);
        const at = prompt.length + e.cursor;
        assert.deepEqual(await screen.cursor(), { x: at % cols, y: Math.floor(at / cols) }, `cursor at step ${step}`);
      }
      screen.write(renderer.finish(prompt, e.text) + 'next');
      const lines = await screen.lines();
      assert.equal(lines.at(-1), 'next');
      assert.equal(lines.length, Math.floor((prompt.length + e.text.length) / cols) + 2 - ((prompt.length + e.text.length) % cols === 0 ? 1 : 0));
    }
  });

  it('masks Read-Host -AsSecureString input with one * per character', async () => {
    const screen = new Screen();
    screen.write(new LineRenderer(80).draw('Password: ', 'P@ssw0rd', 8, true));
    assert.deepEqual(await screen.lines(), ['Password: ********']);
  });
});

describe('terminal: history', () => {
  it('browses older and newer entries and brings back the line being typed', () => {
    const h = new History(['a', 'b']);
    assert.equal(h.previous('typing'), 'b');
    assert.equal(h.previous('b'), 'a');
    assert.equal(h.previous('a'), undefined);
    assert.equal(h.next(), 'b');
    assert.equal(h.next(), 'typing');
    assert.equal(h.next(), undefined);
  });

  it('skips blank lines and repeats, and keeps only the newest entries', () => {
    const h = new History([], 3);
    for (const l of ['a', 'a', ' ', 'b', 'c', 'd']) h.add(l);
    assert.deepEqual(h.all, ['b', 'c', 'd']);
    const saved = ['x'];
    assert.equal(appendEntry(saved, 'x'), false);
    assert.equal(appendEntry(saved, 'y', 1), true);
    assert.deepEqual(saved, ['y']);
  });
});

describe('terminal: completion cycling', () => {
  it('replaces the word with each candidate in turn, forwards and backwards, wrapping', () => {
    const c = new CompletionCycle('Get-CsCe -Type', { start: 0, end: 8, candidates: ['Get-CsCertificate', 'Get-CsCertificateX'] });
    assert.deepEqual(c.step(1), { text: 'Get-CsCertificate -Type', cursor: 17 });
    assert.deepEqual(c.step(1), { text: 'Get-CsCertificateX -Type', cursor: 18 });
    assert.deepEqual(c.step(1), { text: 'Get-CsCertificate -Type', cursor: 17 });
    assert.deepEqual(c.step(-1), { text: 'Get-CsCertificateX -Type', cursor: 18 });
    assert.equal(new CompletionCycle('x', { start: 0, end: 1, candidates: [] }).empty, true);
  });
});

type Result = ExecuteResult;
const done = (r: Partial<Result> = {}): Result => ({ hadError: false, exit: false, clear: false, ...r });

/** A scripted shell: records what runs; `Write-Host "…"` style behaviour is up to each test's handler. */
class ScriptedShell implements ConsoleShell {
  prompt = PROMPT;
  readonly ran: string[] = [];
  handler: (text: string, write: (w: ShellWrite) => void, signal?: AbortSignal) => Promise<Result> | Result =
    (text, write) => { write({ stream: 'output', text: `ran ${text}\n` }); return done(); };
  completions = { start: 0, end: 0, candidates: [] as string[] };
  completedAt: { line: string; cursor: number }[] = [];

  async execute(text: string, write: (w: ShellWrite) => void, signal?: AbortSignal) {
    this.ran.push(text);
    return this.handler(text, write, signal);
  }
  async complete(line: string, cursor: number) {
    this.completedAt.push({ line, cursor });
    return this.completions;
  }
  isIncomplete(text: string): boolean {
    return (text.match(/"/g)?.length ?? 0) % 2 === 1;
  }
}

function setUp(cols = 80) {
  const screen = new Screen(cols, 40);
  const shell = new ScriptedShell();
  const io = { closed: false, written: '', ran: [] as string[] };
  const console = new ShellConsole({
    write: (d) => { io.written += d; screen.write(d); },
    close: () => { io.closed = true; },
    ran: (l) => io.ran.push(l),
  }, new History(['Get-CsPool']), cols);
  console.attach(shell);
  return { screen, shell, io, console };
}

/** Lets queued promise callbacks (the console's awaits) run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('terminal: console', () => {
  it('shows the prompt, runs a line on Enter, prints its output on CRLF lines and prompts again', async () => {
    const { screen, shell, console, io } = setUp();
    console.input('Get-CsCertificate');
    console.input('\r');
    await settle();
    assert.deepEqual(shell.ran, ['Get-CsCertificate']);
    assert.deepEqual(await screen.lines(), [`${PROMPT}Get-CsCertificate`, 'ran Get-CsCertificate', PROMPT]);
    assert.ok(!/[^\r]\n/.test(io.written), 'every line end is CRLF');
    assert.deepEqual(io.ran, ['Get-CsCertificate']);
  });

  it('colours errors red and warnings yellow, each line reset before its line end', async () => {
    const { shell, console, io } = setUp();
    shell.handler = (_t, write) => {
      write({ stream: 'error', text: 'Set-CsCertificate : bad\nAt line:1 char:1\n' });
      write({ stream: 'warning', text: 'WARNING: careful\n' });
      return done({ hadError: true });
    };
    console.input('Set-CsCertificate\r');
    await settle();
    assert.ok(io.written.includes('\x1b[91mSet-CsCertificate : bad\x1b[0m\r\n\x1b[91mAt line:1 char:1\x1b[0m\r\n'));
    assert.ok(io.written.includes('\x1b[93mWARNING: careful\x1b[0m\r\n'));
  });

  it('does not cut long output', async () => {
    const { screen, shell, console } = setUp();
    const many = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    shell.handler = (_t, write) => { write({ stream: 'output', text: many.join('\n') + '\n' }); return done(); };
    console.input('Get-ChildItem\r');
    await settle();
    const lines = await screen.lines();
    assert.equal(lines.filter((l) => l.startsWith('line ')).length, 300);
    assert.equal(lines.at(-1), PROMPT);
  });

  it('asks for more with ">> " while the input is incomplete, then runs it as one', async () => {
    const { screen, shell, console } = setUp();
    console.input('Write-Output "a\r');
    await settle();
    assert.equal((await screen.lines()).at(-1), CONTINUATION_PROMPT);
    console.input('b"\r');
    await settle();
    assert.deepEqual(shell.ran, ['Write-Output "a\nb"']);
  });

  it('runs a pasted block line by line, in order, while earlier lines are still running', async () => {
    const { screen, shell, console } = setUp();
    let release!: () => void;
    shell.handler = async (text, write) => {
      if (text === 'one') await new Promise<void>((r) => { release = r; });
      write({ stream: 'output', text: `done ${text}\n` });
      return done();
    };
    console.input('one\r\ntwo\r\nthree\r\n');
    await settle();
    assert.deepEqual(shell.ran, ['one']);
    release();
    await settle();
    await settle();
    assert.deepEqual(shell.ran, ['one', 'two', 'three']);
    assert.deepEqual((await screen.lines()).filter((l) => l.startsWith('done')), ['done one', 'done two', 'done three']);
  });

  it('Ctrl+C cancels the line being typed (nothing runs), and aborts a running command', async () => {
    const { screen, shell, console } = setUp();
    console.input('Remove-CsCertificate\x03');
    await settle();
    assert.deepEqual(shell.ran, []);
    assert.deepEqual(await screen.lines(), [`${PROMPT}Remove-CsCertificate^C`, PROMPT]);
    let aborted = false;
    shell.handler = (_t, _w, signal) => new Promise((resolve) => {
      signal?.addEventListener('abort', () => { aborted = true; resolve(done({ hadError: true })); });
    });
    console.input('Invoke-CsManagementStoreReplication\r');
    await settle();
    console.input('queued\r\x03');
    await settle();
    assert.equal(aborted, true);
    assert.deepEqual(shell.ran, ['Invoke-CsManagementStoreReplication'], 'type-ahead before Ctrl+C is dropped');
    assert.equal((await screen.lines()).at(-1), PROMPT);
  });

  it('recalls history with ↑/↓ and keeps what was being typed', async () => {
    const { screen, console } = setUp();
    console.input('Get-CsCertificate\r');
    await settle();
    console.input('draft\x1b[A');
    assert.equal((await screen.lines()).at(-1), `${PROMPT}Get-CsCertificate`);
    console.input('\x1b[A');
    assert.equal((await screen.lines()).at(-1), `${PROMPT}Get-CsPool`);
    console.input('\x1b[B\x1b[B');
    assert.equal((await screen.lines()).at(-1), `${PROMPT}draft`);
  });

  it('cycles Tab completions from the shell and accepts the shown one on the next key', async () => {
    const { screen, shell, console } = setUp();
    shell.completions = { start: 0, end: 6, candidates: ['Get-CsCertificate', 'Get-CsComputer'] };
    console.input('Get-Cs\t');
    await settle();
    assert.equal((await screen.lines()).at(-1), `${PROMPT}Get-CsCertificate`);
    console.input('\t');
    await settle();
    assert.equal((await screen.lines()).at(-1), `${PROMPT}Get-CsComputer`);
    console.input('\x1b[Z');
    await settle();
    assert.equal((await screen.lines()).at(-1), `${PROMPT}Get-CsCertificate`);
    assert.equal(shell.completedAt.length, 1, 'one request per Tab sequence');
    console.input(' -Type\r');
    await settle();
    assert.deepEqual(shell.ran, ['Get-CsCertificate -Type']);
  });

  it('handles keys typed while a completion is being computed after it, in order', async () => {
    const { shell, console } = setUp();
    shell.completions = { start: 0, end: 3, candidates: ['Get-CsPool'] };
    console.input('Get\t -Identity x\r');
    await settle();
    await settle();
    assert.deepEqual(shell.ran, ['Get-CsPool -Identity x']);
  });

  it('clears the screen when the shell ran cls, and on Ctrl+L (keeping the line being typed)', async () => {
    const { screen, shell, console } = setUp();
    console.input('Get-CsPool\r');
    await settle();
    shell.handler = (text) => done({ clear: /^cls$/i.test(text) });
    console.input('cls\r');
    await settle();
    assert.deepEqual(await screen.lines(), [PROMPT]);
    console.input('Get-Cs\x0c');
    assert.deepEqual(await screen.lines(), [`${PROMPT}Get-Cs`]);
  });

  it('closes when the shell says exit', async () => {
    const { shell, console, io } = setUp();
    shell.handler = () => done({ exit: true });
    console.input('exit\r');
    await settle();
    assert.equal(io.closed, true);
  });

  it('serves Read-Host -AsSecureString with masked echo, and Ctrl+C answers undefined', async () => {
    const { screen, shell, console } = setUp();
    const answers: (string | undefined)[] = [];
    shell.handler = async () => {
      answers.push(await console.readHost('Password: ', { secure: true }));
      answers.push(await console.readHost('Again: ', { secure: false }));
      return done();
    };
    console.input('$p = Read-Host -AsSecureString\r');
    await settle();
    console.input('P@ssw0rd\r');
    await settle();
    console.input('oops\x03');
    await settle();
    assert.deepEqual(answers, ['P@ssw0rd', undefined]);
    const text = await screen.text();
    assert.match(text, /^Password: \*{8}$/m);
    assert.ok(!text.includes('P@ssw0rd'), 'the secret is never echoed');
    assert.match(text, /^Again: oops\^C$/m);
    assert.deepEqual(shell.ran, ['$p = Read-Host -AsSecureString'], 'answers are not run as commands');
  });

  it('reports a shell that cannot start and closes on the next key', async () => {
    const screen = new Screen();
    let closed = false;
    const console = new ShellConsole({ write: screen.write, close: () => { closed = true; } });
    console.failToStart('No deployment is loaded.');
    assert.match(await screen.text(), /No deployment is loaded\.\nPress any key/);
    console.input('x');
    assert.equal(closed, true);
  });
});

describe('terminal: the server drive (C:\\ mapped to a workspace folder)', () => {
  let ws: string;
  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-drive-'));
    fs.mkdirSync(path.join(ws, 'Certificates'));
    fs.writeFileSync(path.join(ws, 'Certificates', 'ServerToServerAuth.pfx'), 'pfx');
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  const drive = (setting?: string) => {
    const m = mapServerDrive(ws, setting);
    assert.ok(m.ok, m.ok ? '' : m.message);
    return m.drive;
  };

  it('reads, lists, checks and writes files under the workspace folder by default', async () => {
    const d = drive(undefined);
    assert.equal(Buffer.from(await d.read('Certificates/ServerToServerAuth.pfx')).toString(), 'pfx');
    assert.deepEqual(await d.list('Certificates'), [{ name: 'ServerToServerAuth.pfx', isDirectory: false }]);
    assert.ok((await d.list('')).some((e) => e.name === 'Certificates' && e.isDirectory));
    assert.equal(await d.exists('Certificates/missing.pfx'), false);
    await d.write('Exports/out.pfx', new Uint8Array([1, 2, 3]));
    assert.deepEqual([...fs.readFileSync(path.join(ws, 'Exports', 'out.pfx'))], [1, 2, 3]);
    await assert.rejects(d.read('Certificates/missing.pfx'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  });

  it('maps C:\\ to the folder the setting names', async () => {
    fs.mkdirSync(path.join(ws, 'servers', 'c'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'servers', 'c', 'a.cer'), 'cer');
    assert.equal(Buffer.from(await drive('servers/c').read('a.cer')).toString(), 'cer');
  });

  it('refuses paths and settings that lead out of the workspace, symbolic links included', async () => {
    const m = mapServerDrive(ws, '../elsewhere');
    assert.equal(m.ok, false);
    assert.match(m.ok ? '' : m.message, /outside the workspace folder/);
    const d = drive('');
    await assert.rejects(d.read('../secret.txt'), (e: NodeJS.ErrnoException) => e.code === 'EACCES' && /C:\\\.\.\\secret\.txt is outside the workspace/.test(e.message));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'no');
    fs.symlinkSync(outside, path.join(ws, 'link'));
    try {
      await assert.rejects(d.read('link/secret.txt'), (e: NodeJS.ErrnoException) => e.code === 'EACCES');
      await assert.rejects(d.write('link/new.txt', new Uint8Array([1])), (e: NodeJS.ErrnoException) => e.code === 'EACCES');
      assert.ok(!fs.existsSync(path.join(outside, 'new.txt')));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
