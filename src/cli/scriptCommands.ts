// `sfb-cert plan | lint`: PowerShell scripts and the deployment model. `plan` writes the operations recorded in the
// deployment's history as a .ps1 to run on the real servers; `lint` checks a .ps1 against the deployment.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { clockFor, displayText } from '../core';
import { checkScriptOutcome, exportPlanScript, lineColumn, lintScript, nodeFiles } from '../powershell';
import { UsageError, parseOptions, readDeploymentArgument, readInputFile, type CliCommand, type ParsedArgs } from './io';

function wholeNumber(args: ParsedArgs, name: string): number | undefined {
  const value = args.flags.get(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} takes a history entry number (1 or more), not "${value}".`);
  return n;
}

const plan = {
  summary: 'Export the recorded operations as a PowerShell plan to run on the servers',
  usage: 'plan <sfb-deployment.json> [--out plan.ps1] [--from N] [--to N]',
  async run(argv) {
    const args = parseOptions(plan, argv, { values: ['out', 'from', 'to'], files: 1 });
    const [file] = args.positional;
    const { deployment } = readDeploymentArgument(file);
    const script = await exportPlanScript(deployment, { from: wholeNumber(args, 'from'), to: wholeNumber(args, 'to') });
    const out = args.flags.get('out');
    if (typeof out !== 'string') return script;
    try {
      fs.writeFileSync(out, script);
    } catch (e) {
      throw new UsageError(`Cannot write ${out}: ${(e as Error).message}. Choose another --out path.`);
    }
    process.stderr.write(`sfb-cert plan: wrote ${out} (${deployment.history.length} recorded operation${deployment.history.length === 1 ? '' : 's'} in the deployment).\n`);
    return { exitCode: 0 };
  },
} satisfies CliCommand;

/** Scripts are small; a file over this is not one to check here. */
const SCRIPT_MAX_BYTES = 8 * 1024 * 1024;

const lint = {
  summary: 'Check a PowerShell script against the deployment (exit 1 when it has an error)',
  usage: 'lint <script.ps1> --deployment <sfb-deployment.json> [--json]',
  async run(argv) {
    const args = parseOptions(lint, argv, { values: ['deployment'], switches: ['json'], files: 1 });
    const [scriptFile] = args.positional;
    const deploymentFile = args.flags.get('deployment');
    if (typeof deploymentFile !== 'string') throw new UsageError(`Name the deployment with --deployment <sfb-deployment.json>. Usage: sfb-cert ${lint.usage}`);
    const bytes = readInputFile(scriptFile, 'PowerShell script', SCRIPT_MAX_BYTES);
    const { deployment } = readDeploymentArgument(deploymentFile);
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const now = clockFor(deployment).now();
    // The cross-statement check dry-runs the script on a copy; C:\ is the deployment file's folder (as `sfb-cert shell`).
    const outcome = await checkScriptOutcome(text, deployment, { now, files: nodeFiles(path.dirname(path.resolve(deploymentFile))) });
    const diagnostics = [...(await lintScript(text, deployment, { now })), ...outcome];
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const rows = diagnostics.map((d) => ({ ...lineColumn(text, d.start), ...d }));
    if (args.flags.has('json')) {
      process.stdout.write(`${JSON.stringify({ file: scriptFile, deployment: deploymentFile, checkedAt: now.toISOString(), diagnostics: rows }, null, 2)}\n`);
    } else {
      for (const r of rows) process.stdout.write(`${scriptFile}:${r.line}:${r.column}: ${r.severity} ${r.code}: ${displayText(r.message)}\n`);
      process.stdout.write(`${diagnostics.length ? `${errors} error${errors === 1 ? '' : 's'}, ${diagnostics.length - errors} other` : 'No problems found'} in ${scriptFile}.\n`);
    }
    return { exitCode: errors ? 1 : 0 };
  },
} satisfies CliCommand;

export const scriptCommands: Record<string, CliCommand> = { plan, lint };
