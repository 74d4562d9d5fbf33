// `sfb-cert plan | lint`: PowerShell scripts and the deployment model. `plan` writes the operations recorded in the
// deployment's history as a .ps1 to run on the real servers; `lint` checks a .ps1 against the deployment.
import * as fs from 'node:fs';
import { exportPlanScript } from '../powershell';
import { UsageError, parseOptions, readDeploymentArgument, type CliCommand, type ParsedArgs } from './io';

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

export const scriptCommands: Record<string, CliCommand> = { plan };
