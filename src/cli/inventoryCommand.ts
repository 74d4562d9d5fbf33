// `sfb-cert inventory script | import`: the collector script for the real servers, and importing what it collected
// into a deployment file. Bad input (a file that is not an inventory, a damaged one, a deployment file that does not
// load) is exit 2 with the reason; findings are results (exit 0).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  COLLECTOR_FILE_NAME, DEFAULT_EXPIRY_WARNING_DAYS, INVENTORY_MAX_BYTES, collectorScript, displayText, evaluateRules, formatProblem, importInventories,
  inventoryDrift, loadDeployment, saveDeployment, serializeDeployment, type Deployment,
} from '../core';
import { formatFindings, plural, tally } from './deploymentCommands';
import { UsageError, parseOptions, readInputFile, type CliCommand } from './io';

const USAGE = 'inventory script [--out file.ps1] | inventory import <inventory.json>... [--out sfb-deployment.json] [--json]';

function script(argv: string[]): string {
  const args = parseOptions(inventory, argv, { values: ['out'], files: 0 });
  const out = args.flags.get('out');
  if (out === undefined) return collectorScript();
  if (typeof out !== 'string' || !out) throw new UsageError(`--out needs a file name, e.g. --out ${COLLECTOR_FILE_NAME}.`);
  try {
    fs.writeFileSync(out, collectorScript());
  } catch (e) {
    throw new UsageError(`Could not write ${out}: ${(e as Error).message}`);
  }
  return [`Wrote ${out}.`, 'Run it in the Skype for Business Server Management Shell on a Front End (see Get-Help .\\' + COLLECTOR_FILE_NAME + ' -Full),', 'then: sfb-cert inventory import <the JSON file it writes>'].join('\n');
}

function importCommand(argv: string[]): string {
  const args = parseOptions(inventory, argv, { switches: ['json'], values: ['out'], files: Number.MAX_SAFE_INTEGER });
  if (!args.positional.length) throw new UsageError(`Name the inventory file(s) to import. Usage: sfb-cert ${USAGE}`);
  const out = args.flags.get('out');
  if (out !== undefined && (typeof out !== 'string' || !out)) throw new UsageError('--out needs a file name, e.g. --out sfb-deployment.json.');
  let previous: Deployment | undefined;
  if (typeof out === 'string' && fs.existsSync(out)) {
    const loaded = loadDeployment(fs, out);
    if (!loaded.ok) throw new UsageError(`Nothing was written: ${out} does not load (${formatProblem(loaded.errors[0])}), so it is not replaced.`);
    previous = loaded.deployment;
  }
  const files = args.positional.map((file) => ({ name: path.basename(file), bytes: readInputFile(file, 'inventory file (the JSON Get-SfbCertificateInventory.ps1 wrote)', INVENTORY_MAX_BYTES) }));
  const now = new Date();
  const imported = importInventories(files, { previous, now });
  if (!imported.ok) throw new UsageError(imported.error);
  const { deployment, warnings, untold, counts } = imported;
  const findings = evaluateRules(deployment, now, { expiryWarningDays: DEFAULT_EXPIRY_WARNING_DAYS });
  const drift = previous ? inventoryDrift(previous, deployment, now, DEFAULT_EXPIRY_WARNING_DAYS) : [];
  if (typeof out === 'string') {
    try {
      saveDeployment(fs, out, deployment);
    } catch (e) {
      throw new UsageError(`Nothing was written: ${(e as Error).message}`);
    }
  }
  if (args.flags.has('json')) {
    return JSON.stringify({ ...(typeof out === 'string' ? { out } : { deployment }), counts, warnings, untold, drift, findings }, null, 2);
  }
  if (typeof out !== 'string') {
    for (const w of [...warnings, ...untold]) process.stderr.write(`sfb-cert inventory: ${displayText(w)}\n`);
    return serializeDeployment(deployment);
  }
  const lines = [
    `${typeof out === 'string' && previous ? 'Updated' : 'Wrote'} ${out} from ${plural(counts.files, 'inventory file')}: ${plural(counts.servers, 'server')}, ${counts.read} read, ${counts.failed} could not be read; ${plural(counts.certificates, 'certificate')} in their stores.`,
  ];
  if (previous) lines.push('', drift.length ? `Changes since the model before (${drift.length}):` : 'No change since the model before.', ...drift.map((d) => `  ${d.kind.padEnd(11)}${displayText(d.where)}: ${displayText(d.text)}`));
  if (untold.length) lines.push('', 'What the inventory could not tell:', ...untold.map((u) => `  ${displayText(u)}`));
  if (warnings.length) lines.push('', 'Warnings:', ...warnings.map((w) => `  ${displayText(w)}`));
  lines.push('', `Findings: ${tally(findings)}`, ...formatFindings(findings));
  return lines.join('\n');
}

export const inventory = {
  summary: 'Save the collector script, or import what it collected from the real servers',
  usage: USAGE,
  run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'script') return script(rest);
    if (sub === 'import') return importCommand(rest);
    throw new UsageError(`${sub ? `Unknown inventory command "${sub}".` : 'Say what to do: script or import.'} Usage: sfb-cert ${USAGE}`);
  },
} satisfies CliCommand;
