// The plan export: the operations recorded in a deployment's history (or a range of them) as a .ps1 an admin runs
// in the real Skype for Business Server Management Shell. Each recorded line is read back with the PowerShell
// grammar and the shell's cmdlet table; the script around it is SfB Certificates' own: a header saying what, when
// and which deployment, $ErrorActionPreference = "Stop" and -ErrorAction Stop so the first error ends the run,
// passwords read with Read-Host -AsSecureString (never written), a check of the state each step expects before it,
// and a verification after it (Get-CsCertificate; after replication, Get-CsManagementStoreReplicationStatus until
// every replica is up to date, with a timeout). The script runs in the shell of this extension too: that is the
// round-trip test (test/unit/plan.test.ts).
import { PFX_PASSWORD_VARIABLE, displayText, formatUsDateTime, psString, refuse, type Deployment, type HistoryEntry, ExpectedError, rehearseRenewal, type RenewalProposal } from '../core';
import { resolveParameter } from './binding';
import { findCommand } from './cmdlets';
import { loadParser, parseScript } from './grammar';
import { staticCommands, type StaticValue } from './staticCommands';

export interface PlanOptions {
  /** First history entry to export, 1-based (default 1). */
  from?: number;
  /** Last history entry to export, 1-based and inclusive (default: the last one). */
  to?: number;
  /** When the plan is exported, for the header (default: now). */
  now?: Date;
  /** How long the script waits for replication before it stops (default 30 minutes). */
  replicationTimeoutMinutes?: number;
  /**
   * The entries are a plan's what-if (rehearseRenewal), not a rehearsal: the header says so, each step says when
   * it is planned, and a step planned after the export's time stops the script until then.
   */
  planned?: string;
}

/** One recorded command read back: the cmdlet and its parameters by canonical name (switches are true). */
interface Recorded {
  cmdlet: string;
  params: Map<string, string[] | true>;
}

const SLEEP_SECONDS = 30;
const CHANGE_CMDLETS = new Set(['Import-CsCertificate', 'Set-CsCertificate', 'Remove-CsCertificate', 'Invoke-CsManagementStoreReplication']);

/** Recorded text in the script (a comment, a message): one line, control and bidi characters shown as \\uXXXX. */
function commentText(text: string): string {
  return displayText(text).trim();
}

async function readRecorded(line: string): Promise<Recorded | undefined> {
  // The line goes into the plan as it is: only one command on one line, read without errors, of a cmdlet that
  // changes something (a hand-edited history cannot smuggle a second statement in).
  if (displayText(line) !== line) return undefined;
  const parser = await loadParser();
  const parsed = parseScript(parser, line);
  if (!parsed) return undefined;
  try {
    const commands = staticCommands(parsed.tree.rootNode);
    const spec = commands.length === 1 && !parsed.tree.rootNode.hasError ? findCommand(commands[0].name) : undefined;
    if (!spec || !CHANGE_CMDLETS.has(spec.name)) return undefined;
    const command = commands[0];
    const params = new Map<string, string[] | true>();
    const items = (v: StaticValue | undefined): string[] => (v?.kind === 'literal' ? v.items : v ? [v.text] : []);
    for (let i = 0; i < command.args.length; i++) {
      const arg = command.args[i];
      if (arg.kind !== 'parameter') continue;
      const param = resolveParameter(spec, arg.name, arg);
      if (arg.colonValue) params.set(param.name, items(arg.colonValue));
      else if (param.type === 'switch') params.set(param.name, true);
      else {
        const next = command.args[i + 1];
        if (next?.kind === 'value') {
          params.set(param.name, items(next.value));
          i++;
        }
      }
    }
    return { cmdlet: spec.name, params };
  } catch {
    return undefined;
  } finally {
    parsed.tree.delete();
  }
}

/** The value of a parameter as written in the recorded line ('' when absent). */
function one(r: Recorded, name: string): string {
  const v = r.params.get(name);
  return v === undefined || v === true ? '' : v.join(',');
}

function hostName(fqdn: string): string {
  return fqdn.split('.')[0].toUpperCase();
}

/** A step planned for later than the export: the script stops before it until then (SfB Certificates' own guard). */
function notBeforeLine(label: string, step: number, at: string): string {
  const when = `${formatUsDateTime(new Date(at))} (UTC)`;
  const done = step > 1 ? ` Steps 1–${step - 1} are done; run the lines from Step ${step} on then.` : ' Run it then.';
  return `if ([DateTimeOffset]::UtcNow -lt [DateTimeOffset]::Parse(${psString(at)})) { throw ${psString(`${label} is planned for ${when}.${done}`)} }`;
}

function stepLines(step: number, total: number, entry: HistoryEntry, recorded: Recorded | undefined, timeoutMinutes: number, plannedAfter?: number): string[] {
  const label = `Step ${step} of ${total}`;
  const later = plannedAfter !== undefined && Date.parse(entry.at) > plannedAfter;
  const when = plannedAfter === undefined ? `# Rehearsed ${entry.at}` : `# Planned for ${formatUsDateTime(new Date(entry.at))} (UTC)`;
  const out: string[] = ['', `# ${label}: ${commentText(entry.summary)}`, `${when}${entry.computer ? ` on ${entry.computer}` : ''}.`];
  const stop = (why: string) => `throw ${psString(`${label} stopped: ${why}`)}`;
  if (!recorded) {
    out.push(`# Not a cmdlet: ${commentText(entry.powershell.replace(/^#\s*/, ''))}`, '# Nothing to run for this step.');
    return out;
  }
  if (later) out.push(notBeforeLine(label, step, entry.at));
  out.push(`Write-Host ${psString(`${label}: ${commentText(entry.summary)}`)}`);
  if (entry.computer) {
    out.push(`if ($env:COMPUTERNAME -ne ${psString(hostName(entry.computer))}) { ${stop(`this step was ${plannedAfter === undefined ? 'rehearsed' : 'planned'} on ${entry.computer}; run it there.`)} }`);
  }
  const global = one(recorded, 'Identity').toLowerCase() === 'global';
  const scope = global ? '-Identity global ' : '';
  const type = one(recorded, 'Type');
  const firstType = type.split(',')[0];
  const line = `${entry.powershell} -ErrorAction Stop`;
  switch (recorded.cmdlet) {
    case 'Import-CsCertificate': {
      const path = one(recorded, 'Path');
      out.push(`if (-not (Test-Path -LiteralPath ${psString(path)})) { ${stop(`the certificate file ${path} is not on this computer. Copy it there first.`)} }`);
      if (recorded.params.has('Password')) out.push(`${PFX_PASSWORD_VARIABLE} = Read-Host ${psString(`Password of ${path}`)} -AsSecureString`);
      out.push(line);
      if (global && type) out.push(`Get-CsCertificate -Identity global -Type ${type} -ErrorAction Stop | Format-List Thumbprint, Use, NotAfter, Subject`);
      else out.push('Get-ChildItem Cert:\\LocalMachine\\My | Format-Table Thumbprint, Subject');
      break;
    }
    case 'Set-CsCertificate': {
      const thumbprint = one(recorded, 'Thumbprint');
      out.push(`if (-not (Test-Path -LiteralPath ${psString(`Cert:\\LocalMachine\\My\\${thumbprint}`)})) { ${stop(`the certificate ${thumbprint} is not in the Personal store of this computer. Import it first.`)} }`);
      out.push(line);
      if (recorded.params.has('Roll')) {
        out.push(`# Staged with -Roll: the certificate becomes current at its effective date (${one(recorded, 'EffectiveDate')}).`);
        out.push(`Get-CsCertificate ${scope}-Type ${firstType} -ErrorAction Stop | Format-List Thumbprint, Use, NotAfter`);
      } else {
        out.push(`if (-not (Get-CsCertificate ${scope}-Type ${firstType} -ErrorAction Stop | Where-Object { $_.Thumbprint -eq ${psString(thumbprint)} })) { ${stop(`Get-CsCertificate does not show ${thumbprint} as the ${firstType} certificate after the change.`)} }`);
      }
      break;
    }
    case 'Remove-CsCertificate':
      out.push(`if (-not (Get-CsCertificate ${scope}-Type ${firstType} -ErrorAction Stop)) { ${stop(`no ${firstType} certificate is assigned${global ? ' at global scope' : ' on this computer'}; there is nothing to remove.`)} }`);
      out.push(line);
      out.push(`Get-CsCertificate ${scope}-Type ${firstType} -ErrorAction Stop | Format-List Thumbprint, Use, NotAfter`);
      break;
    case 'Invoke-CsManagementStoreReplication': {
      const replica = one(recorded, 'ReplicaFqdn');
      const status = `Get-CsManagementStoreReplicationStatus${replica ? ` -ReplicaFqdn ${psString(replica)}` : ''}`;
      out.push(line, '$waited = 0');
      out.push(`while (@(${status} | Where-Object { -not $_.UpToDate }).Count -gt 0) {`);
      out.push(`  if ($waited -ge ${timeoutMinutes * 60}) { ${stop(`replication did not finish within ${timeoutMinutes} minutes. Check ${status} and the replicas that are not up to date.`)} }`);
      out.push(`  Start-Sleep -Seconds ${SLEEP_SECONDS}`, `  $waited = $waited + ${SLEEP_SECONDS}`, '}');
      out.push(`${status} | Format-Table ReplicaFqdn, UpToDate`);
      break;
    }
    default:
      out.push(line);
  }
  return out;
}

/**
 * The history entries `from`..`to` (1-based, inclusive) of `deployment` as a PowerShell script to run on the real
 * servers. Entries that are not cmdlets (a roll taking effect by itself, the simulated date, Certificates MMC
 * actions) become comments. Throws an ExpectedError for an empty history or a range outside it.
 */
export async function exportPlanScript(deployment: Deployment, options: PlanOptions = {}): Promise<string> {
  const count = deployment.history.length;
  if (!count) refuse('plan-empty', 'The deployment has no recorded operations to export.', 'Rehearse the change first (tree, wizard or Management Shell), then export the plan.', { source: 'extension-rule' });
  const from = options.from ?? 1;
  const to = options.to ?? count;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > count || from > to) {
    refuse('plan-range', `History entries ${from}–${to} are not a range of the ${count} recorded operations.`, `Choose a range within 1–${count}.`, { source: 'extension-rule' });
  }
  const entries = deployment.history.slice(from - 1, to);
  const recorded: (Recorded | undefined)[] = [];
  for (const e of entries) recorded.push(e.powershell.trimStart().startsWith('#') ? undefined : await readRecorded(e.powershell));
  const computers = [...new Set(entries.map((e) => e.computer).filter((c): c is string => !!c))];
  const timeout = options.replicationTimeoutMinutes ?? 30;
  const now = options.now ?? new Date();
  const head = options.planned === undefined
    ? [`# Plan exported by SfB Certificates from the rehearsal of the deployment "${commentText(deployment.name)}".`,
      `# Exported ${now.toISOString()}: history entries ${from}–${to} of ${count}, rehearsed ${entries[0].at} to ${entries[entries.length - 1].at} (model time).`]
    : [`# ${commentText(options.planned)}, exported by SfB Certificates for the deployment "${commentText(deployment.name)}".`,
      `# Exported ${now.toISOString()} (model time). A what-if: nothing of it was applied in the model. Planned ${formatUsDateTime(new Date(entries[0].at))} to ${formatUsDateTime(new Date(entries[entries.length - 1].at))} (UTC).`,
      '# A step planned for a later date stops the script until then (SfB Certificates\' own guard).'];
  const plannedAfter = options.planned === undefined ? undefined : Math.max(now.getTime(), Date.parse(entries[0].at));
  const lines = [
    ...head,
    `# Run it in the Skype for Business Server Management Shell${computers.length ? ` on ${computers.join(', then ')}` : ' on a Front End Server'}.`,
    '# Each step checks the state it expects, runs the recorded command and verifies the result; the first error stops the script.',
    '# Passwords are asked for with Read-Host -AsSecureString and never written to this file.',
    '',
    '$ErrorActionPreference = "Stop"',
  ];
  entries.forEach((entry, i) => lines.push(...stepLines(i + 1, entries.length, entry, recorded[i], timeout, plannedAfter)));
  lines.push('', `Write-Host ${psString(`Plan complete: ${entries.length} step${entries.length === 1 ? '' : 's'}.`)}`, '');
  return lines.join('\n');
}

/**
 * "Plan OAuth Certificate Renewal…" as a script: the proposal run on a copy of the deployment (rehearseRenewal), its
 * entries exported like any rehearsal, with each step's planned date. Throws an ExpectedError when there is nothing
 * to plan.
 */
export async function exportRenewalPlanScript(deployment: Deployment, proposal: RenewalProposal, now: Date, options: { expiryWarningDays?: number } = {}): Promise<string> {
  const done = rehearseRenewal(deployment, proposal, now, options);
  if (!done.ok) throw new ExpectedError(done.error);
  return exportPlanScript(done.rehearsal.state, { from: done.rehearsal.from, now, planned: 'OAuthTokenIssuer certificate renewal plan' });
}
