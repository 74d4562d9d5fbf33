// `sfb-cert shell`: the SfB Management Shell without VS Code. Statements from --file or stdin run against the
// deployment file; output on stdout, error records on stderr; the file is saved unless --dry-run. Exit 0 when no
// error record was written, 1 when one was, 2 for a bad invocation or a deployment that does not load.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DeploymentSession, findServer, formatProblem, loadDeployment, saveDeployment } from '../core';
import { ManagementShell, nodeFiles } from '../powershell';
import { UsageError, readInputFile, type CliCommand } from './io';

export const shell = {
  summary: 'Run SfB Management Shell statements (--file or stdin) against a deployment',
  usage: 'shell <sfb-deployment.json> [--file script.ps1] [--computer FQDN] [--dry-run]',
  async run(argv) {
    const usage = `Usage: sfb-cert ${shell.usage}`;
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { file: { type: 'string' }, computer: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split('\n')[0]} ${usage}`);
    }
    const [file, ...extra] = parsed.positionals;
    if (!file) throw new UsageError(`Name the deployment file. ${usage}`);
    if (extra.length) throw new UsageError(`Too many arguments: ${extra.join(' ')}. ${usage}`);
    let loaded;
    try {
      loaded = loadDeployment(fs, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `No such file: ${file}. Check the path.` : `Cannot read ${file}: ${(e as Error).message}`);
    }
    if (!loaded.ok) throw new UsageError(`${file} does not load: ${loaded.errors.map(formatProblem).join('; ')}. ${loaded.readOnlyReason}`);
    const computer = parsed.values.computer;
    if (computer !== undefined && !findServer(loaded.deployment, computer)) throw new UsageError(`No computer named ${computer} is in the topology of ${file}.`);
    const script = parsed.values.file !== undefined ? readInputFile(parsed.values.file, 'script').toString('utf8') : fs.readFileSync(0, 'utf8');
    const session = new DeploymentSession(loaded.deployment);
    const initial = session.state;
    const shellInstance = await ManagementShell.create({
      session,
      files: nodeFiles(path.dirname(path.resolve(file))),
      // No console to read from: statements come from the script, so Read-Host is refused (as with -NonInteractive).
      interactive: false,
      readHost: async () => {
        process.stderr.write('Read-Host: sfb-cert shell runs non-interactively; use ConvertTo-SecureString "…" -AsPlainText -Force in the script.\n');
        return undefined;
      },
    }, { computer });
    const result = await shellInstance.execute(script.replace(/^\uFEFF/, ''), (w) => (w.stream === 'output' ? process.stdout : process.stderr).write(w.text));
    if (!parsed.values['dry-run'] && session.state !== initial) saveDeployment(fs, file, session.state);
    return { exitCode: result.hadError ? 1 : 0 };
  },
} satisfies CliCommand;
