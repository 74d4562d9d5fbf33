// The one table of commands the shell runs: the SfB cmdlets (keyed by the core's cmdlet names), the topology
// cmdlets, the server's store, sessions and location, and the PowerShell utility cmdlets; with their aliases.
import type { CmdletImpl } from '../runtime';
import { SFB_CMDLETS, TOPOLOGY_CMDLETS } from './sfb';
import { STORE_CMDLETS } from './store';
import { UTILITY_CMDLETS } from './utility';

export const COMMANDS: readonly CmdletImpl[] = [...Object.values(SFB_CMDLETS), ...TOPOLOGY_CMDLETS, ...STORE_CMDLETS, ...UTILITY_CMDLETS];

const BY_NAME = new Map<string, CmdletImpl>(COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n): [string, CmdletImpl] => [n.toLowerCase(), c])));

/** The command `name` means (any case, aliases, the module-qualified SkypeForBusiness\Get-CsCertificate form). */
export function findCommand(name: string): CmdletImpl | undefined {
  const bare = name.replace(/^(SkypeForBusiness|Lync|Microsoft\.PowerShell\.\w+|PKI)\\/i, '');
  return BY_NAME.get(bare.toLowerCase());
}

/** Names and aliases, for completion. */
export function commandNames(): string[] {
  return COMMANDS.map((c) => c.name);
}
