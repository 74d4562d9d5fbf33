// `sfb-cert`: the extension's core, for admins and scripts. Exit 0 on success, 2 on bad input
// (a clear message on stderr, never a stack trace), 1 on an internal fault.
import { ExpectedError, formatError } from '../core';
import type { CliCommand } from './io';
import { certificateCommands } from './certificateCommands';
import { deploymentCommands } from './deploymentCommands';
import { inventory } from './inventoryCommand';
import { scriptCommands } from './scriptCommands';
import { shell } from './shellCommand';

const commands: Record<string, CliCommand> = { ...certificateCommands, ...deploymentCommands, inventory, shell, ...scriptCommands };

function help(): string {
  const lines = ['Usage: sfb-cert <command> [options]', '', 'Commands:'];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage.padEnd(58)} ${c.summary}`);
  lines.push('', 'Passwords come from the SFB_CERT_PASSWORD environment variable or from stdin with --password-stdin.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`sfb-cert: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  try {
    const out = await command.run(rest);
    if (typeof out !== 'string') return out.exitCode;
    process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    return 0;
  } catch (e) {
    if (e instanceof ExpectedError) {
      process.stderr.write(`sfb-cert ${name}: ${formatError(e.error)}\n`);
      return 2;
    }
    process.stderr.write(`sfb-cert ${name}: internal error: ${(e as Error).message}\n`);
    return 1;
  }
}

// Exits at once: after the PowerShell grammar's WebAssembly ran, V8 would first finish optimizing it in the
// background, which a short command does not need (stdout and stderr are synchronous for files and pipes on Linux).
if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
