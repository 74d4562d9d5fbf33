// The one table of cmdlet facts: cmdlet names, the -Type (CertType) values, the output objects' property names,
// and how a command is written as PowerShell. Source tags ([S1]…) are listed in docs/sources.md.
// Pure: no I/O, no 'vscode'.
import { formatUsDateTime } from './calendar';
import { displayText } from './displayText';
import type { CertUse } from './model';

// ---------------------------------------------------------------------------------------------
// Cmdlets and the actions that are not cmdlets
// ---------------------------------------------------------------------------------------------

export type CmdletName =
  | 'Get-CsCertificate'
  | 'Set-CsCertificate'
  | 'Import-CsCertificate'
  | 'Remove-CsCertificate'
  | 'Request-CsCertificate'
  | 'Test-CsCertificateConfiguration'
  | 'Get-CsManagementStoreReplicationStatus'
  | 'Invoke-CsManagementStoreReplication';

/** Actions the model offers that no cmdlet performs. */
export type ActionName = 'MMC-Export' | 'MMC-Import' | 'Process-PendingRequest' | 'Set-SimulatedDate' | 'Simulate-ReplicaReachability' | 'Set-ProductVersion';

export interface CmdletFacts {
  name: CmdletName;
  /** One line: what it does, in the docs' terms. */
  purpose: string;
  /** What the real cmdlet writes to the pipeline. */
  output: string;
  sources: string[];
}

export const CMDLETS: Readonly<Record<CmdletName, CmdletFacts>> = {
  'Get-CsCertificate': {
    name: 'Get-CsCertificate',
    purpose: 'Returns the certificates configured for use on the local computer (or at global scope with -Identity global); one object per use.',
    output: 'Microsoft.Rtc.Management.Deployment.CertificateReference',
    sources: ['S2', 'S11'],
  },
  'Set-CsCertificate': {
    name: 'Set-CsCertificate',
    purpose: 'Assigns an already-available certificate to one or more uses, immediately or staged with -Roll -EffectiveDate.',
    output: 'None',
    sources: ['S1', 'S7'],
  },
  'Import-CsCertificate': {
    name: 'Import-CsCertificate',
    purpose: 'Imports a certificate file; with -Identity global and -Type it also assigns the certificate in the Central Management store.',
    output: 'None',
    sources: ['S3', 'S7'],
  },
  'Remove-CsCertificate': {
    name: 'Remove-CsCertificate',
    purpose: 'Stops Skype for Business Server using a certificate (current, or previous with -Previous); the certificate stays in the Windows store.',
    output: 'None',
    sources: ['S4', 'S8'],
  },
  'Request-CsCertificate': {
    name: 'Request-CsCertificate',
    purpose: 'Requests a certificate from a CA with Subject and SANs filled in from the topology.',
    output: 'None per the docs; community scripts use the returned certificate (conflict)',
    sources: ['S6', 'S18'],
  },
  'Test-CsCertificateConfiguration': {
    name: 'Test-CsCertificateConfiguration',
    purpose: 'Reports the certificates in use on the local computer (meant for the Certificate wizard; admins should prefer Get-CsCertificate).',
    output: 'Microsoft.Rtc.Management.Deployment.CertificateExists',
    sources: ['S5b', 'S11'],
  },
  'Get-CsManagementStoreReplicationStatus': {
    name: 'Get-CsManagementStoreReplicationStatus',
    purpose: 'Returns the replication state of every computer\'s local configuration store (or one with -ReplicaFqdn).',
    output: 'Microsoft.Rtc.Management.Xds.ReplicaState',
    sources: ['S5', 'S16'],
  },
  'Invoke-CsManagementStoreReplication': {
    name: 'Invoke-CsManagementStoreReplication',
    purpose: 'Forces a complete replication of the Central Management store to one computer (-ReplicaFqdn) or all.',
    output: 'None',
    sources: ['S5c'],
  },
};

export const MMC_LABEL = 'Certificates MMC (not a cmdlet)';
export const MODEL_ACTION_LABEL = 'SfB Certificates (not a cmdlet)';

export interface ActionFacts {
  name: ActionName;
  /** Shown wherever a cmdlet name would be. */
  label: string;
  purpose: string;
}

export const ACTIONS: Readonly<Record<ActionName, ActionFacts>> = {
  'MMC-Export': {
    name: 'MMC-Export',
    label: MMC_LABEL,
    purpose: 'Personal store → All Tasks → Export → "Yes, export the private key" → PKCS #12 (.PFX). There is no Export-CsCertificate cmdlet.',
  },
  'MMC-Import': {
    name: 'MMC-Import',
    label: MMC_LABEL,
    purpose: 'Personal store → All Tasks → Import of a .PFX on one computer. Skype for Business Server does not replicate it.',
  },
  'Process-PendingRequest': {
    name: 'Process-PendingRequest',
    label: 'Certificate Wizard: Process Pending Request',
    purpose: 'Imports a certification authority\'s answer to an offline request made on this computer, paired with the request\'s private key.',
  },
  'Set-SimulatedDate': {
    name: 'Set-SimulatedDate',
    label: MODEL_ACTION_LABEL,
    purpose: 'Moves the model\'s clock to preview what happens at a date (rolls whose effective date has come take effect).',
  },
  'Simulate-ReplicaReachability': {
    name: 'Simulate-ReplicaReachability',
    label: MODEL_ACTION_LABEL,
    purpose: 'Simulates an outage of one replica: replication to it fails until it is reachable again.',
  },
  'Set-ProductVersion': {
    name: 'Set-ProductVersion',
    label: MODEL_ACTION_LABEL,
    purpose: 'Sets the deployment\'s Skype for Business Server version (2015 or 2019) where no replica reports a ProductVersion, so the model uses that version\'s certificate uses.',
  },
};

// ---------------------------------------------------------------------------------------------
// -Type (CertType) values  [S1][S2][S3][S4][S6][S8] — reference §1.1
// ---------------------------------------------------------------------------------------------

export interface CertUseFacts {
  use: CertUse;
  meaning: string;
  /** 'global': held by the Central Management store and replicated; 'computer': the local computer's store. */
  scope: 'global' | 'computer';
  /** Cmdlets whose documented -Type list names it (the docs say each list is "not limited to" its values). */
  listedIn: CmdletName[];
  /** A staged roll gives a coexistence window (new cert issues, old one still validates) [S8]. */
  rollCoexistence: boolean;
  /** Recommended hours between a roll's effective date and the old certificate's expiry [S8]. */
  leadTimeHours?: number;
  /** Other spellings seen in scripts and the wizard. */
  aliases?: string[];
  /** Meaning or roles are not confirmed by a source. */
  unconfirmed?: boolean;
}

const LISTED_EVERYWHERE: CmdletName[] = ['Get-CsCertificate', 'Set-CsCertificate', 'Import-CsCertificate', 'Remove-CsCertificate', 'Request-CsCertificate'];
const LISTED_BUT_REMOVE: CmdletName[] = ['Get-CsCertificate', 'Set-CsCertificate', 'Import-CsCertificate', 'Request-CsCertificate'];
const LISTED_IN_IMPORT: CmdletName[] = ['Import-CsCertificate'];

/** Which pool kinds' servers hold each use is the model's fact: SERVER_USES in topology.ts. */
function computerUse(use: CertUse, meaning: string, listedIn: CmdletName[], extra: Partial<CertUseFacts> = {}): CertUseFacts {
  return { use, meaning, scope: 'computer', listedIn, rollCoexistence: false, ...extra };
}

/** Every -Type value, in the order of the reference's table. */
export const CERT_USES: readonly CertUseFacts[] = [
  computerUse('Default', 'Server default certificate (SIP/MTLS, also used by internal services).', LISTED_EVERYWHERE),
  computerUse('WebServicesInternal', 'Internal IIS web site (web services, simple URLs).', LISTED_EVERYWHERE),
  computerUse('WebServicesExternal', 'External IIS web site (published through the reverse proxy).', LISTED_EVERYWHERE),
  {
    use: 'OAuthTokenIssuer',
    meaning: 'Server-to-server (OAuth) token-signing certificate; assigned once at global scope and replicated to every Front End.',
    scope: 'global',
    // Set-CsCertificate's own list omits it, yet the docs use Set-CsCertificate -Identity global -Type OAuthTokenIssuer [S7].
    listedIn: LISTED_IN_IMPORT,
    rollCoexistence: true,
    leadTimeHours: 24,
  },
  computerUse('AudioVideoAuthentication', 'Edge A/V Authentication (MRAS) service.', LISTED_EVERYWHERE, { rollCoexistence: true, leadTimeHours: 8 }),
  computerUse('AccessEdgeExternal', 'Edge: Access Edge external interface.', LISTED_EVERYWHERE),
  computerUse('DataEdgeExternal', 'Edge: Web Conferencing Edge external interface.', LISTED_EVERYWHERE),
  computerUse('Internal', 'Edge internal interface.', LISTED_EVERYWHERE),
  computerUse('External', 'Edge external interface (combined).', LISTED_EVERYWHERE),
  computerUse('XMPPServer', 'Edge XMPP proxy (Skype for Business Server 2015; XMPP is not supported in 2019).', LISTED_IN_IMPORT, { aliases: ['XmppServer'] }),
  computerUse('iPhoneAPNService', 'Push notifications (mobility) to iPhone.', LISTED_BUT_REMOVE, { unconfirmed: true }),
  computerUse('iPadAPNService', 'Push notifications (mobility) to iPad.', LISTED_BUT_REMOVE, { unconfirmed: true }),
  computerUse('MPNService', 'Push notifications (mobility), Microsoft Push Notification Service.', LISTED_BUT_REMOVE, { unconfirmed: true }),
  computerUse('WsFedTokenTransfer', 'WS-Federation token transfer.', LISTED_EVERYWHERE, { unconfirmed: true }),
  computerUse('PICWebService', '"Skype for Business Online only".', LISTED_EVERYWHERE),
  computerUse('ProvisionService', '"Skype for Business Online only".', LISTED_EVERYWHERE),
  computerUse('LogRetentionService', 'Listed only by Import-CsCertificate; purpose unconfirmed (likely online/internal).', LISTED_IN_IMPORT, { unconfirmed: true }),
  computerUse('SMPDNSWebService', 'Listed only by Import-CsCertificate; purpose unconfirmed (likely online/internal).', LISTED_IN_IMPORT, { unconfirmed: true }),
  computerUse('TenantAdmin', 'Listed only by Import-CsCertificate; purpose unconfirmed (likely online/internal).', LISTED_IN_IMPORT, { unconfirmed: true }),
  computerUse('UpgradeEngineService', 'Listed only by Import-CsCertificate; purpose unconfirmed (likely online/internal).', LISTED_IN_IMPORT, { unconfirmed: true }),
];

const USE_FACTS = new Map<CertUse, CertUseFacts>(CERT_USES.map((f) => [f.use, f]));
const USE_BY_SPELLING = new Map<string, CertUse>(
  CERT_USES.flatMap((f) => [f.use, ...(f.aliases ?? [])].map((spelling): [string, CertUse] => [spelling.toLowerCase(), f.use])),
);

export function certUseFacts(use: CertUse): CertUseFacts {
  const facts = USE_FACTS.get(use);
  if (!facts) throw new Error(`Unknown certificate use ${use}`);
  return facts;
}

export function isCertUse(value: string): value is CertUse {
  return USE_FACTS.has(value as CertUse);
}

/** A -Type value as typed (any case, or an alias such as XmppServer) → the CertUse, or undefined. */
export function parseCertUse(text: string): CertUse | undefined {
  return USE_BY_SPELLING.get(text.trim().toLowerCase());
}

export function isGlobalUse(use: CertUse): boolean {
  return certUseFacts(use).scope === 'global';
}

// ---------------------------------------------------------------------------------------------
// Output objects, with the cmdlets' property names exactly
// ---------------------------------------------------------------------------------------------

/** The four CertificateReference properties known only from Microsoft-authored test mocks [S15]. */
export const MOCK_ONLY_PROPERTIES = ['EffectiveDate', 'PreviousThumbprint', 'UpdateTime', 'SourceScope'] as const;

/** One Microsoft.Rtc.Management.Deployment.CertificateReference as Get-CsCertificate returns it: one per use. */
export interface CertificateReference {
  Issuer: string;
  /** ISO 8601 (UTC); shown as 12/28/2015 3:35:41 PM. */
  NotAfter: string;
  NotBefore: string;
  SerialNumber: string;
  Subject: string;
  AlternativeNames: string[];
  Thumbprint: string;
  Use: CertUse;
  /** Known only from Microsoft test mocks [S15]: when the certificate became (or becomes) current. ISO or ''. */
  EffectiveDate: string;
  /** Known only from Microsoft test mocks [S15]: '' when there is no previous certificate. */
  PreviousThumbprint: string;
  /** Known only from Microsoft test mocks [S15] (empty there; meaning unconfirmed): here, when the assignment was written. */
  UpdateTime: string;
  /** Known only from Microsoft test mocks [S15]: 'Global' in the mock; 'Local' is unconfirmed. */
  SourceScope: 'Global' | 'Local';
  /**
   * SfB Certificates' addition, not a cmdlet property: which slot the object comes from. Get-CsCertificate has no
   * documented -Previous, so previous and pending objects appear only when the extension is asked for them.
   */
  slot: 'current' | 'previous' | 'pending';
}

/** One Microsoft.Rtc.Management.Xds.ReplicaState as Get-CsManagementStoreReplicationStatus returns it [S5][S16]. */
export interface ReplicaStatus {
  UpToDate: boolean;
  ReplicaFqdn: string;
  /** ISO or '' (a failing Edge shows it empty, as the community reports [S21]). */
  LastStatusReport: string;
  LastUpdateCreation: string;
  ProductVersion: string;
}

// ---------------------------------------------------------------------------------------------
// Dates as the cmdlets print and take them (en-US): 7/1/2015 6:00:00 AM (calendar.ts). The model's times are UTC.
// ---------------------------------------------------------------------------------------------

/** -EffectiveDate as the docs write it: "7/1/2015" at midnight, else "7/22/2015 6:00:00 AM". */
export function formatEffectiveDateArgument(date: Date): string {
  const midnight = date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0;
  return midnight ? `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}` : formatUsDateTime(date);
}

function formatIsoAsUs(iso: string): string {
  return iso ? formatUsDateTime(new Date(iso)) : '';
}

// ---------------------------------------------------------------------------------------------
// Format-List renderings
// ---------------------------------------------------------------------------------------------

/** Format-List: one "Name : value" line per property, aligned; values through displayText, so none can break a line. */
export function formatList(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)} : ${displayText(value)}`).join('\n');
}

/** PowerShell shows at most $FormatEnumerationLimit (4) items of a collection, then "...". */
export function formatCollection(items: string[]): string {
  return `{${items.slice(0, 4).join(', ')}${items.length > 4 ? '...' : ''}}`;
}

/**
 * Get-CsCertificate output in the default Format-List style of the reference sample [S11]: the eight
 * properties it shows, aligned on the colon. `all` adds the four mock-only properties (like Format-List *).
 * Objects other than current ones are preceded by a comment line naming the slot (the extension's view).
 */
export function formatCertificateReferences(list: readonly CertificateReference[], options: { all?: boolean } = {}): string {
  return list.map((ref) => {
    const rows: [string, string][] = [
      ['Issuer', ref.Issuer],
      ['NotAfter', formatIsoAsUs(ref.NotAfter)],
      ['NotBefore', formatIsoAsUs(ref.NotBefore)],
      ['SerialNumber', ref.SerialNumber],
      ['Subject', ref.Subject],
      ['AlternativeNames', formatCollection(ref.AlternativeNames)],
      ['Thumbprint', ref.Thumbprint],
      ['Use', ref.Use],
    ];
    if (options.all) {
      for (const name of MOCK_ONLY_PROPERTIES) rows.push([name, name === 'EffectiveDate' || name === 'UpdateTime' ? formatIsoAsUs(ref[name]) : ref[name]]);
    }
    const heading = ref.slot === 'current' ? '' : `# ${ref.slot === 'previous' ? 'Previous' : 'Pending roll'} (SfB Certificates' view; Get-CsCertificate has no documented -Previous)\n`;
    return heading + formatList(rows);
  }).join('\n\n');
}

/** Get-CsManagementStoreReplicationStatus output in Format-List style. */
export function formatReplicationStatus(list: readonly ReplicaStatus[]): string {
  return list.map((r) => formatList([
    ['UpToDate', r.UpToDate ? 'True' : 'False'],
    ['ReplicaFqdn', r.ReplicaFqdn],
    ['LastStatusReport', formatIsoAsUs(r.LastStatusReport)],
    ['LastUpdateCreation', formatIsoAsUs(r.LastUpdateCreation)],
    ['ProductVersion', r.ProductVersion],
  ])).join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Rendering a command as PowerShell
// ---------------------------------------------------------------------------------------------

/** Stands in for the PFX password in every rendered line: the password itself is never written anywhere. */
export const PFX_PASSWORD_VARIABLE = '$pfxPassword';
/** The line that sets PFX_PASSWORD_VARIABLE, typed (masked) by the admin: pasted before any line that uses it. */
export const PFX_PASSWORD_PROMPT = `${PFX_PASSWORD_VARIABLE} = Read-Host -AsSecureString "PFX password"`;
export const PFX_PASSWORD_NOTE =
  `The password is not shown: the PowerShell line uses ${PFX_PASSWORD_VARIABLE}. Set it first in the shell: ${PFX_PASSWORD_PROMPT}`;

/** The seed's way to name the Default certificate (Get-CsCertificate -Type Default on the computer it runs on) [S7]. */
export const DEFAULT_THUMBPRINT_LINE = '$x = (Get-CsCertificate -Type Default).Thumbprint';

/**
 * Lines an admin pastes into the Management Shell on the server as they are: `where` as a comment first (which
 * computer to run them on), the password read with Read-Host -AsSecureString before a line that uses
 * PFX_PASSWORD_VARIABLE, then the lines.
 */
export function pasteReady(lines: readonly string[], where?: string): string {
  const out: string[] = [];
  if (where) out.push(`# ${where.replace(/[\r\n]+/g, ' ')}`);
  const usesPassword = lines.some((l) => !l.startsWith('#') && l.includes(PFX_PASSWORD_VARIABLE));
  if (usesPassword && !lines.some((l) => l.startsWith(`${PFX_PASSWORD_VARIABLE} =`))) out.push(PFX_PASSWORD_PROMPT);
  out.push(...lines);
  return out.join('\n');
}

/** A cmdlet call to render. Parameters appear in the docs' order; absent ones are left out. */
export interface PowerShellCommand {
  cmdlet: CmdletName;
  identity?: 'global';
  type?: readonly CertUse[];
  thumbprint?: string;
  path?: string;
  /** Only its presence matters: the value is never rendered (PFX_PASSWORD_VARIABLE stands in). */
  password?: string;
  privateKeyExportable?: boolean;
  effectiveDate?: Date;
  roll?: boolean;
  previous?: boolean;
  replicaFqdn?: string;
}

/** A PowerShell double-quoted string: `, ", $ (and the typographic quotes PowerShell also ends strings on) escaped with a backtick. */
export function psString(value: string): string {
  return `"${value.replace(/[`"$\u201C\u201D\u201E]/g, (ch) => `\`${ch}`).replace(/\r/g, '`r').replace(/\n/g, '`n')}"`;
}

export function renderPowerShell(command: PowerShellCommand): string {
  const parts: string[] = [command.cmdlet];
  if (command.identity) parts.push('-Identity', command.identity);
  if (command.type?.length) parts.push('-Type', command.type.join(','));
  if (command.thumbprint !== undefined) parts.push('-Thumbprint', command.thumbprint);
  if (command.path !== undefined) parts.push('-Path', psString(command.path));
  if (command.password !== undefined) parts.push('-Password', PFX_PASSWORD_VARIABLE);
  if (command.privateKeyExportable !== undefined) parts.push('-PrivateKeyExportable', command.privateKeyExportable ? '$True' : '$False');
  if (command.effectiveDate) parts.push('-EffectiveDate', psString(formatEffectiveDateArgument(command.effectiveDate)));
  if (command.roll) parts.push('-Roll');
  if (command.previous) parts.push('-Previous');
  if (command.replicaFqdn !== undefined) parts.push('-ReplicaFqdn', psString(command.replicaFqdn));
  return parts.join(' ');
}

/** The line recorded for an action that is not a cmdlet: a PowerShell comment, so pasting it runs nothing. */
export function renderActionComment(action: ActionName, description: string): string {
  return `# ${ACTIONS[action].label}: ${description.replace(/[\r\n]+/g, ' ')}`;
}

// ---------------------------------------------------------------------------------------------
// The cmdlets the inventory collector script (Get-SfbCertificateInventory.ps1) runs, with the parameters it may use
// ---------------------------------------------------------------------------------------------

/**
 * Every cmdlet Get-SfbCertificateInventory.ps1 calls and the parameters it passes, each documented: the Skype for
 * Business cmdlets [S2][S5][S50] and Windows PowerShell 5.1's own [S51]. A unit test parses the script and fails on
 * a cmdlet or parameter not listed here. All of them only read, except the script's one write of its output file.
 */
export const COLLECTOR_CMDLETS: Readonly<Record<string, readonly string[]>> = {
  'Get-CsTopology': ['AsXml'],
  'Get-CsManagementStoreReplicationStatus': [],
  'Get-CsCertificate': [],
  'Get-CsPool': [],
  'Get-ChildItem': ['Path'],
  'Get-Command': ['Name'],
  'Import-Module': ['Name'],
  'Invoke-Command': ['ComputerName', 'ScriptBlock'],
  'ConvertTo-Json': ['InputObject', 'Depth'],
  'Join-Path': ['Path', 'ChildPath'],
  'Get-Location': [],
  'Get-Date': [],
  'New-Object': ['TypeName', 'ArgumentList'],
  'ForEach-Object': [],
  'Where-Object': [],
  'Set-StrictMode': ['Version'],
  'Write-Host': ['Object'],
  'Write-Warning': ['Message'],
  'Write-Verbose': ['Message'],
};

/** The common parameters every cmdlet accepts [S51]. */
export const COMMON_PARAMETERS: readonly string[] = ['ErrorAction', 'ErrorVariable', 'WarningAction', 'Verbose', 'Debug'];
