// The script checker's cross-statement check: "this script would leave Front Ends with different OAuth
// certificates". Found the simplest honest way: the script is dry-run on a copy of the model (dryRun.ts) and, after
// each statement, the OAuth certificate every Front End and Director would end with once replication has reached
// every replica it can is compared (core oauthGroups). The warning sits on the statement after which they disagree,
// when the script ends with them disagreeing. The run stops at the first prompt nobody answers here (Read-Host, a
// confirmation), so what comes after such a prompt is not judged. No 'vscode' here.
import { UNCONFIRMED_RULE, type Deployment } from '../core';
import { dryRunScript, type OAuthSplit } from './dryRun';
import type { CheckOptions, ScriptDiagnostic } from './lint';
import type { ShellFiles } from './runtime';

/** Only scripts that can touch the OAuth certificate are dry-run. */
const MAY_TOUCH_OAUTH = /OAuthTokenIssuer|Import-PfxCertificate|Import-CsCertificate|Set-CsCertificate|Remove-CsCertificate/i;

function listServers(servers: string[]): string {
  return servers.length <= 3 ? servers.join(', ') : `${servers.slice(0, 3).join(', ')} and ${servers.length - 3} more`;
}

function describeKey(key: string): string {
  if (!key) return 'no OAuthTokenIssuer certificate';
  const [current, roll] = key.split(' → ');
  return `${current || 'no current certificate'}${roll ? ` (roll staged to ${roll})` : ''}`;
}

/** Why the statement splits the Front Ends, and what to write instead. */
function why(statement: string): string {
  if (/Import-PfxCertificate|Enter-PSSession/i.test(statement)) {
    return 'A certificate imported into one computer\'s store (the Certificates MMC path) and assigned there reaches that computer only.';
  }
  if (/-Type\s+[^|;]*OAuthTokenIssuer/i.test(statement) && !/-Identity\s+["']?global\b/i.test(statement)) {
    return 'Without -Identity global the OAuthTokenIssuer certificate is assigned on this computer only.';
  }
  return 'The model\'s replication cannot bring every Front End to the same OAuthTokenIssuer certificate after it (an unreachable replica, or a per-computer assignment).';
}

export function splitDiagnostic(script: string, split: OAuthSplit): ScriptDiagnostic {
  const statement = script.slice(split.start, split.end);
  const groups = split.groups.map((g) => `${listServers(g.servers)} would use ${describeKey(g.key)}`).join('; ');
  const message = `This script would leave the Front Ends with different OAuth certificates: after this statement, once replication reaches every replica, ${groups}. ${why(statement)} `
    + 'Every Front End and Director must sign with the same OAuthTokenIssuer certificate: assign it once at global scope (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint>, or Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path …) and let replication deploy it (Invoke-CsManagementStoreReplication). '
    + `(Found by a dry run of the script on a copy of the model.) ${UNCONFIRMED_RULE}`;
  const firstLine = statement.indexOf('\n');
  return { code: 'oauth-front-ends-differ', severity: 'warning', message, start: split.start, end: firstLine < 0 ? split.end : split.start + firstLine, source: 'extension-rule' };
}

/** The cross-statement check of a whole script: a dry run on a copy of `state`. */
export async function checkScriptOutcome(script: string, state: Deployment, options: CheckOptions & { files?: ShellFiles; signal?: AbortSignal }): Promise<ScriptDiagnostic[]> {
  if (!MAY_TOUCH_OAUTH.test(script)) return [];
  const result = await dryRunScript(script, state, { now: () => options.now, expiryWarningDays: options.expiryWarningDays === undefined ? undefined : () => options.expiryWarningDays!, files: options.files, signal: options.signal, timeLimitMs: 5_000 });
  return result.split ? [splitDiagnostic(script, result.split)] : [];
}
