// Get-CsManagementStoreReplicationStatus and Invoke-CsManagementStoreReplication.
import { renderPowerShell, type ReplicaStatus } from '../cmdlets';
import type { Deployment, Finding, OperationOutcome } from '../model';
import { replicaStatus, replicaTargets, replicate, type ReplicationResult } from '../replication';
import { DIRECTOR_OAUTH_NOTE, globalCertificateReceivers, serverPath } from '../topology';
import type { ReplicaArgs, OperationContext } from './types';
import { failWith, perform, type Step } from './frame';
import { REPLICATION_MODEL_NOTE } from './steps';

// ---------------------------------------------------------------------------------------------
// Replication
// ---------------------------------------------------------------------------------------------

const replicationStatusStep: Step<ReplicaArgs, ReplicaStatus[]> = (state, args) => {
  const powershell = renderPowerShell({ cmdlet: 'Get-CsManagementStoreReplicationStatus', replicaFqdn: args.replicaFqdn });
  const targets = replicaTargets(state, args.replicaFqdn);
  if (!targets.ok) return failWith(targets.error, powershell);
  const result = replicaStatus(state, targets.targets);
  const behind = result.filter((r) => !r.UpToDate);
  const notes = behind.length
    ? [`${behind.length} replica${behind.length === 1 ? ' is' : 's are'} not up to date with version ${state.cms.version}: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication' })}. ${REPLICATION_MODEL_NOTE}`]
    : [];
  return { ok: true, state, result, powershell, notes };
};

const invokeReplicationStep: Step<ReplicaArgs, ReplicationResult[]> = (state, args, now) => {
  const powershell = renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: args.replicaFqdn });
  const targets = replicaTargets(state, args.replicaFqdn);
  if (!targets.ok) return failWith(targets.error, powershell);
  const { state: next, results } = replicate(state, targets.targets, now);
  const failed = results.filter((r) => !r.upToDate);
  const deployed = results.filter((r) => r.deployedOAuth).length;
  const toDirector = targets.targets.some((t) => t.pool.kind === 'Director' && results.some((r) => r.deployedOAuth && r.replicaFqdn === t.server.fqdn));
  const findings: Finding[] = targets.targets.filter((t) => t.server.replica.unreachable).map((t) => ({
    rule: 'replication.failed',
    severity: 'error',
    message: results.find((r) => r.replicaFqdn === t.server.fqdn)!.error!,
    where: { path: `${serverPath(t)}.replica`, serverFqdn: t.server.fqdn },
    fix: `Restore the connection, then: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: t.server.fqdn })}`,
    source: 'product',
  }));
  return {
    ok: true,
    state: next,
    result: results,
    powershell,
    findings,
    notes: [REPLICATION_MODEL_NOTE, ...(deployed ? [`The global OAuthTokenIssuer certificate was deployed to ${globalCertificateReceivers(deployed)}.`] : []), ...(toDirector ? [DIRECTOR_OAUTH_NOTE] : [])],
    summary: `Replicated Central Management store version ${state.cms.version} to ${results.length - failed.length} of ${results.length} replica${results.length === 1 ? '' : 's'}${failed.length ? `; failed: ${failed.map((r) => r.replicaFqdn).join(', ')}` : ''}.`,
  };
};

export function getReplicationStatus(state: Deployment, args: ReplicaArgs, clock: OperationContext): OperationOutcome<ReplicaStatus[]> {
  return perform('Get-CsManagementStoreReplicationStatus', replicationStatusStep, state, args, clock);
}

export function invokeReplication(state: Deployment, args: ReplicaArgs, clock: OperationContext): OperationOutcome<ReplicationResult[]> {
  return perform('Invoke-CsManagementStoreReplication', invokeReplicationStep, state, args, clock);
}
