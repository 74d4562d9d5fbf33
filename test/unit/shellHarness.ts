// A ManagementShell over an in-memory workspace, for the shell's tests and benches.
import { DeploymentSession, type Deployment } from '../../src/core';
import { ManagementShell, type ShellFiles, type ShellWrite } from '../../src/powershell';

export class MemoryFiles implements ShellFiles {
  readonly files = new Map<string, Uint8Array>();
  constructor(initial: readonly { path: string; bytes: Uint8Array }[] = []) {
    for (const f of initial) this.files.set(f.path, f.bytes);
  }
  async read(rel: string): Promise<Uint8Array> {
    const bytes = this.files.get(rel);
    if (!bytes) throw new Error(`not found: ${rel}`);
    return bytes;
  }
  async write(rel: string, bytes: Uint8Array): Promise<void> {
    this.files.set(rel, bytes);
  }
  async exists(rel: string): Promise<boolean> {
    return this.files.has(rel) || [...this.files.keys()].some((k) => k.startsWith(`${rel}/`));
  }
  async list(dir: string): Promise<{ name: string; isDirectory: boolean }[]> {
    const prefix = dir ? `${dir}/` : '';
    const names = new Map<string, boolean>();
    for (const key of this.files.keys()) {
      if (!key.startsWith(prefix)) continue;
      const [name, ...rest] = key.slice(prefix.length).split('/');
      names.set(name, rest.length > 0);
    }
    if (!names.size && dir && !this.files.has(dir)) throw new Error(`not a folder: ${dir}`);
    return [...names].map(([name, isDirectory]) => ({ name, isDirectory }));
  }
}

export interface Run {
  out: string;
  err: string;
  warn: string;
  hadError: boolean;
  exit: boolean;
}

export class TestShell {
  readonly writes: ShellWrite[] = [];
  private constructor(
    readonly shell: ManagementShell,
    readonly session: DeploymentSession,
    readonly files: MemoryFiles,
    /** Answers for Read-Host, in order (undefined = Ctrl+C). */
    readonly answers: (string | undefined)[],
    readonly prompts: { prompt: string; secure: boolean }[],
  ) {}

  static async create(deployment: Deployment, files: readonly { path: string; bytes: Uint8Array }[] = [], options: { computer?: string; now?: () => Date; interactive?: boolean } = {}): Promise<TestShell> {
    const session = new DeploymentSession(deployment, options.now);
    const memory = new MemoryFiles(files);
    const answers: (string | undefined)[] = [];
    const prompts: { prompt: string; secure: boolean }[] = [];
    const shell = await ManagementShell.create({
      session,
      files: memory,
      interactive: options.interactive,
      readHost: async (prompt, o) => {
        prompts.push({ prompt, secure: o.secure });
        return answers.shift();
      },
    }, { computer: options.computer });
    return new TestShell(shell, session, memory, answers, prompts);
  }

  async run(text: string): Promise<Run> {
    const writes: ShellWrite[] = [];
    const result = await this.shell.execute(text, (w) => writes.push(w));
    this.writes.push(...writes);
    const of = (stream: ShellWrite['stream']) => writes.filter((w) => w.stream === stream).map((w) => w.text).join('');
    return { out: of('output'), err: of('error'), warn: of('warning'), hadError: result.hadError, exit: result.exit };
  }
}
