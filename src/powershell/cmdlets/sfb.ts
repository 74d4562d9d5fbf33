// The Skype for Business Server cmdlets the shell runs, each mapped to the core operation the tree uses.
// Parameters, sets, positions and types after the cmdlet reference (sfb-reference.md §1).
import { UNCONFIRMED_RULE, findServer, replicaTargets, type CertUse, type CertificateReference, type CmdletName, type OperationRequest, type ReplicaStatus } from '../../core';
import type { ParamSpec } from '../binding';
import { ShellError } from '../errors';
import { notFound, resolvePath } from '../paths';
import type { CmdletContext, CmdletImpl } from '../runtime';
import { PsObject, SecureString, toText, type PsValue } from '../values';
import { certificateReference, confirmed, identity, ownRule, perform, reportNotWritten, thisComputer } from './model';
import { REQUEST_CMDLETS, importAnswer } from './request';

const TYPE: ParamSpec = { name: 'Type', type: 'certtype[]' };
const REPORT: ParamSpec = { name: 'Report', type: 'string' };
const NETPORT: ParamSpec = { name: 'NetportId', type: 'string' };
const FORCE: ParamSpec = { name: 'Force', type: 'switch' };
const EFFECTIVE_DATE: ParamSpec = { name: 'EffectiveDate', type: 'datetime', aliases: ['EffectiveTime'] };
const ROLL: ParamSpec = { name: 'Roll', type: 'switch' };

/** -EffectiveDate as the model takes it: the text as typed (US style or ISO), or an ISO time from a DateTime value. */
function effectiveDate(ctx: CmdletContext): string | undefined {
  const value = ctx.get('EffectiveDate');
  if (value === undefined || value === null) return undefined;
  return value instanceof Date ? value.toISOString() : toText(value);
}

function types(ctx: CmdletContext): CertUse[] | undefined {
  return ctx.get('Type') as CertUse[] | undefined;
}

/** A certificate file named by -Path: its bytes from the host, and the workspace-relative path the model records. */
export async function readPathArgument(ctx: CmdletContext, name: string): Promise<{ bytes: Uint8Array; rel: string; display: string; typed: string }> {
  const typed = toText(ctx.get(name) ?? '');
  const path = resolvePath(ctx.state.location, typed);
  const files = ctx.state.host.files;
  if (!path.rel || !(await files.exists(path.rel))) throw notFound(path.display);
  try {
    return { bytes: await files.read(path.rel), rel: path.rel, display: path.display, typed };
  } catch {
    throw notFound(path.display);
  }
}

function password(ctx: CmdletContext, name = 'Password'): string | undefined {
  const value = ctx.get(name);
  if (value === undefined || value === null) return undefined;
  return value instanceof SecureString ? value.text : toText(value);
}

const getCsCertificate: CmdletImpl = {
  name: 'Get-CsCertificate',
  params: [TYPE, { name: 'Identity', type: 'string', position: 0 }, REPORT, NETPORT],
  run(ctx) {
    reportNotWritten(ctx);
    const id = identity(ctx);
    const outcome = perform(ctx, { cmdlet: 'Get-CsCertificate', identity: id, computer: id ? undefined : thisComputer(ctx), type: types(ctx) });
    return (outcome!.result as CertificateReference[]).map(certificateReference);
  },
};

const importCsCertificate: CmdletImpl = {
  name: 'Import-CsCertificate',
  shouldProcess: true,
  defaultSet: 'Local',
  params: [
    { name: 'Identity', type: 'string', position: 0, sets: ['CMS'], mandatory: true },
    { name: 'Path', type: 'string', mandatory: true },
    { name: 'Password', type: 'password' },
    { name: 'Type', type: 'certtype[]', sets: ['CMS'], mandatory: true },
    { name: 'PrivateKeyExportable', type: 'bool', sets: ['Local'] },
    EFFECTIVE_DATE, ROLL, FORCE, REPORT,
  ],
  async run(ctx) {
    reportNotWritten(ctx);
    const file = await readPathArgument(ctx, 'Path');
    const secret = password(ctx);
    const common = { path: file.typed, bytes: file.bytes, password: secret, sourceFile: file.rel };
    if (ctx.bound.set === 'CMS') {
      const id = identity(ctx);
      if (!id) throw ownRule(ctx.spec.name, 'Name the scope: -Identity global.', 'IdentityRequired');
      perform(ctx, { cmdlet: 'Import-CsCertificate', identity: id, type: types(ctx)!, effectiveDate: effectiveDate(ctx), roll: ctx.flag('Roll'), ...common });
    } else {
      if (ctx.get('EffectiveDate') !== undefined || ctx.flag('Roll')) {
        throw ownRule(ctx.spec.name, '-EffectiveDate and -Roll stage an assignment; without -Identity global and -Type, Import-CsCertificate only imports into this computer\'s store. Assign it afterwards with Set-CsCertificate … -EffectiveDate … -Roll.', 'RollWithoutAssignment');
      }
      // A CA's answer to a request made on this computer: paired with the request's key (Process Pending Request).
      if (secret === undefined && (await importAnswer(ctx, file))) return [];
      const exportable = ctx.get('PrivateKeyExportable');
      perform(ctx, { cmdlet: 'Import-CsCertificate', computer: thisComputer(ctx), privateKeyExportable: exportable === undefined ? undefined : exportable === true, ...common });
    }
    if (secret !== undefined) ctx.state.pfxPasswords.set(file.rel, secret);
    return [];
  },
};

const setCsCertificate: CmdletImpl = {
  name: 'Set-CsCertificate',
  shouldProcess: true,
  pipelineMode: 'each',
  defaultSet: 'Thumbprint',
  params: [
    { name: 'Thumbprint', type: 'string', sets: ['Thumbprint'], mandatory: true },
    { name: 'Reference', type: 'object', sets: ['CertificateReference'], mandatory: true, pipeline: true },
    { name: 'Path', type: 'string', sets: ['Path'], mandatory: true },
    { name: 'Password', type: 'password', sets: ['Path'] },
    { name: 'Identity', type: 'string', mandatory: ['Path'] },
    { name: 'Type', type: 'certtype[]', mandatory: ['Path'] },
    EFFECTIVE_DATE, ROLL, FORCE, REPORT, { name: 'NetportId', type: 'string', sets: ['Thumbprint', 'CertificateReference'] },
  ],
  run(ctx) {
    reportNotWritten(ctx);
    if (ctx.bound.set === 'Path') {
      throw ownRule(ctx.spec.name, 'Set-CsCertificate -Path is not modelled; import and assign the file with Import-CsCertificate -Identity global -Type … -Path … -Password ….', 'PathSetNotModelled');
    }
    let thumbprint: string;
    let uses = types(ctx);
    const reference = ctx.get('Reference');
    if (ctx.bound.set === 'CertificateReference') {
      if (!(reference instanceof PsObject) || typeof reference.props.Thumbprint !== 'string') {
        throw new ShellError(`Cannot bind parameter 'Reference'. Cannot convert the "${toText(reference ?? null)}" value to type "Microsoft.Rtc.Management.Deployment.CertificateReference".`, {
          command: ctx.spec.name, category: 'InvalidArgument', reason: 'ParameterBindingException', errorId: `CannotConvertArgumentNoMessage,${ctx.spec.name}`,
        });
      }
      thumbprint = reference.props.Thumbprint;
      uses ??= typeof reference.props.Use === 'string' ? [reference.props.Use as CertUse] : undefined;
    } else {
      thumbprint = toText(ctx.get('Thumbprint') ?? '');
    }
    if (!uses?.length) throw ownRule(ctx.spec.name, 'Name the use(s) to assign with -Type, e.g. -Type OAuthTokenIssuer (what the cmdlet does without -Type is undocumented).', 'TypeRequired');
    const id = identity(ctx);
    perform(ctx, { cmdlet: 'Set-CsCertificate', identity: id, computer: thisComputer(ctx), type: uses, thumbprint, effectiveDate: effectiveDate(ctx), roll: ctx.flag('Roll') });
    return [];
  },
};

const removeCsCertificate: CmdletImpl = {
  name: 'Remove-CsCertificate',
  shouldProcess: true,
  params: [TYPE, { name: 'Identity', type: 'string', position: 0 }, { name: 'Previous', type: 'switch' }, NETPORT, FORCE, REPORT],
  async run(ctx) {
    reportNotWritten(ctx);
    const uses = types(ctx);
    if (!uses?.length) throw ownRule(ctx.spec.name, 'Name the use(s) to remove with -Type, e.g. -Type OAuthTokenIssuer -Previous (the cmdlet reference lists -Type as optional; what it removes without -Type is undocumented).', 'TypeRequired');
    const id = identity(ctx);
    const request: OperationRequest = { cmdlet: 'Remove-CsCertificate', identity: id, computer: id ? undefined : thisComputer(ctx), type: uses, previous: ctx.flag('Previous') };
    if (!(await confirmed(ctx, request))) return [];
    perform(ctx, request);
    return [];
  },
};

const dateOrNull = (iso: string): PsValue => (iso ? new Date(iso) : null);

function replicaState(r: ReplicaStatus): PsObject {
  return new PsObject('Microsoft.Rtc.Management.Xds.ReplicaState', {
    UpToDate: r.UpToDate, ReplicaFqdn: r.ReplicaFqdn, LastStatusReport: dateOrNull(r.LastStatusReport), LastUpdateCreation: dateOrNull(r.LastUpdateCreation), ProductVersion: r.ProductVersion,
  });
}

function replicaFqdn(ctx: CmdletContext): string | undefined {
  const value = ctx.get('ReplicaFqdn');
  return value === undefined || value === null ? undefined : toText(value);
}

const getReplicationStatus: CmdletImpl = {
  name: 'Get-CsManagementStoreReplicationStatus',
  params: [{ name: 'ReplicaFqdn', type: 'string', position: 0 }, { name: 'CentralManagementStoreStatus', type: 'switch' }],
  run(ctx) {
    if (ctx.flag('CentralManagementStoreStatus')) {
      throw ownRule(ctx.spec.name, '-CentralManagementStoreStatus is not modelled (its object\'s properties are only partly documented).', 'NotModelled');
    }
    const outcome = perform(ctx, { cmdlet: 'Get-CsManagementStoreReplicationStatus', replicaFqdn: replicaFqdn(ctx) });
    return (outcome!.result as ReplicaStatus[]).map(replicaState);
  },
};

const invokeReplication: CmdletImpl = {
  name: 'Invoke-CsManagementStoreReplication',
  shouldProcess: true,
  params: [{ name: 'ReplicaFqdn', type: 'string', position: 0 }, FORCE],
  run(ctx) {
    perform(ctx, { cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: replicaFqdn(ctx) });
    return [];
  },
};

const testConfiguration: CmdletImpl = {
  name: 'Test-CsCertificateConfiguration',
  params: [REPORT],
  run(ctx) {
    reportNotWritten(ctx);
    const outcome = perform(ctx, { cmdlet: 'Get-CsCertificate', computer: thisComputer(ctx) });
    return (outcome!.result as CertificateReference[]).map((r) => new PsObject('Microsoft.Rtc.Management.Deployment.CertificateExists', { Thumbprint: r.Thumbprint, Use: r.Use }));
  },
};

// ---------------------------------------------------------------------------------------------
// Topology: enough to list what is modelled
// ---------------------------------------------------------------------------------------------

const SERVICE_OF_ROLE: Record<string, string> = {
  FrontEnd: 'UserServer', Registrar: 'Registrar', UserServices: 'UserDatabase', Director: 'Registrar', Edge: 'EdgeServer', Mediation: 'MediationServer', WebServices: 'WebServer', CentralManagement: 'CentralManagement',
};

/**
 * The topology cmdlets print SfB Certificates' own, simplified objects (enough to list what the model holds), not
 * every property of the product's DisplayTopology / DisplayPool / DisplayComputer: said once per command, as a
 * warning, so nobody takes the shape for the product's.
 */
function simplifiedShape(ctx: CmdletContext, properties: readonly string[]): void {
  ctx.write({ stream: 'warning', text: `WARNING: ${ctx.spec.name} shows a simplified object of SfB Certificates (${properties.join(', ')}), not every property the product's object has ${UNCONFIRMED_RULE}.\n` });
}

const getCsPool: CmdletImpl = {
  name: 'Get-CsPool',
  params: [{ name: 'Identity', type: 'string', position: 0 }],
  run(ctx) {
    const state = ctx.state.host.session.state;
    const wanted = ctx.get('Identity');
    const pools = state.pools.filter((p) => wanted === undefined || p.fqdn.toLowerCase() === toText(wanted).toLowerCase());
    if (wanted !== undefined && !pools.length) throw ownRule(ctx.spec.name, `No pool named ${toText(wanted)} is in the topology.`, 'PoolNotFound');
    simplifiedShape(ctx, ['Identity', 'Services', 'Computers', 'Fqdn', 'BackupPoolFqdn', 'Site']);
    return pools.map((p) => new PsObject('Microsoft.Rtc.Management.Xds.DisplayPool', {
      Identity: p.fqdn,
      Services: [...new Set(p.servers.flatMap((s) => s.roles).map((r) => `${SERVICE_OF_ROLE[r] ?? r}:${p.fqdn}`))],
      Computers: p.servers.map((s) => s.fqdn),
      Fqdn: p.fqdn,
      BackupPoolFqdn: '',
      Site: `Site:${state.sites.find((s) => s.id === p.siteId)?.name ?? p.siteId}`,
    }));
  },
};

const getCsComputer: CmdletImpl = {
  name: 'Get-CsComputer',
  params: [{ name: 'Identity', type: 'string', position: 0 }, { name: 'Pool', type: 'string' }],
  run(ctx) {
    const state = ctx.state.host.session.state;
    const wanted = ctx.get('Identity');
    const pool = ctx.get('Pool');
    const list = state.pools.filter((p) => pool === undefined || p.fqdn.toLowerCase() === toText(pool).toLowerCase())
      .flatMap((p) => p.servers.map((s) => new PsObject('Microsoft.Rtc.Management.Xds.DisplayComputer', { Identity: s.fqdn, Pool: p.fqdn, Fqdn: s.fqdn })))
      .filter((c) => wanted === undefined || toText(c.props.Fqdn).toLowerCase() === toText(wanted).toLowerCase());
    if (wanted !== undefined && !list.length) throw ownRule(ctx.spec.name, `No computer named ${toText(wanted)} is in the topology.`, 'ComputerNotFound');
    simplifiedShape(ctx, ['Identity', 'Pool', 'Fqdn']);
    return list;
  },
};

const getCsTopology: CmdletImpl = {
  name: 'Get-CsTopology',
  params: [{ name: 'AsXml', type: 'switch' }, { name: 'LocalStore', type: 'switch' }, { name: 'Status', type: 'switch' }],
  run(ctx) {
    if (ctx.flag('AsXml')) throw ownRule(ctx.spec.name, 'Get-CsTopology -AsXml is not modelled; SfB Certificates keeps the topology in sfb-deployment.json.', 'NotModelled');
    const state = ctx.state.host.session.state;
    simplifiedShape(ctx, ['Identity', 'Sites', 'Pools', 'Machines', 'SipDomains']);
    return [new PsObject('Microsoft.Rtc.Management.Xds.DisplayTopology', {
      Identity: 'Global',
      Sites: state.sites.map((s) => `Site:${s.name}`),
      Pools: state.pools.map((p) => p.fqdn),
      Machines: state.pools.flatMap((p) => p.servers.map((s) => s.fqdn)),
      SipDomains: state.sipDomains.map((d) => d.name),
    })];
  },
};

/** The SfB cmdlets, keyed by the core's one list of cmdlet names. */
export const SFB_CMDLETS: Readonly<Record<CmdletName, CmdletImpl>> = {
  'Get-CsCertificate': getCsCertificate,
  'Import-CsCertificate': importCsCertificate,
  'Set-CsCertificate': setCsCertificate,
  'Remove-CsCertificate': removeCsCertificate,
  ...REQUEST_CMDLETS,
  'Test-CsCertificateConfiguration': testConfiguration,
  'Get-CsManagementStoreReplicationStatus': getReplicationStatus,
  'Invoke-CsManagementStoreReplication': invokeReplication,
};

export const TOPOLOGY_CMDLETS: readonly CmdletImpl[] = [getCsTopology, getCsPool, getCsComputer];

/** A computer named by FQDN or host name, as the model spells it. */
export function findComputer(ctx: CmdletContext, name: string): string | undefined {
  const state = ctx.state.host.session.state;
  const exact = findServer(state, name);
  if (exact) return exact.server.fqdn;
  const all = replicaTargets(state);
  if (!all.ok) return undefined;
  const byHost = all.targets.filter((t) => t.server.fqdn.split('.')[0].toLowerCase() === name.toLowerCase());
  return byHost.length === 1 ? byHost[0].server.fqdn : undefined;
}
