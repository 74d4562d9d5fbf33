// Remove-CsCertificate.
import { renderPowerShell } from '../cmdlets';
import type { Deployment, OperationOutcome } from '../model';
import { bumpCmsVersion, withServer } from '../replication';
import type { RemoveCertificateArgs, RemoveResult, OperationContext } from './types';
import { fail, failed, perform, type Step } from './frame';
import { applySlots, resolveScope, replicationPendingNote } from './steps';

// ---------------------------------------------------------------------------------------------
// Remove-CsCertificate
// ---------------------------------------------------------------------------------------------

const removeStep: Step<RemoveCertificateArgs, RemoveResult> = (state, args, now) => {
  const powershell = renderPowerShell({ cmdlet: 'Remove-CsCertificate', identity: args.identity, type: args.type, previous: args.previous });
  const scope = resolveScope(state, args.identity, args.computer, args.type, powershell, { removing: true });
  if (failed(scope)) return scope;
  const role = args.previous ? 'previous' : 'current';
  const assignments = scope.kind === 'global' ? state.cms.assignments : scope.at.server.assignments;
  const where = scope.kind === 'global' ? 'at global scope' : `on ${scope.at.server.fqdn}`;
  const empty = args.type.filter((u) => !assignments[u]?.[role]);
  if (empty.length) {
    return fail('nothing-to-remove', `No ${role} ${empty.join(', ')} certificate is assigned ${where}.`,
      args.previous ? 'A previous certificate exists only after a roll (or a replaced assignment).' : `See what is assigned: ${renderPowerShell({ cmdlet: 'Get-CsCertificate', identity: args.identity, type: args.type })}`, { powershell });
  }
  const thumbprints = args.type.map((u) => assignments[u]![role]!.thumbprint);
  const updated = applySlots(assignments, args.type, { kind: args.previous ? 'remove-previous' : 'remove-current' });
  const next = scope.kind === 'global'
    ? { ...state, cms: bumpCmsVersion({ ...state.cms, assignments: updated }, now) }
    : withServer(state, scope.at, (s) => ({ ...s, assignments: updated }));
  const notes = [...scope.notes, 'The certificate stays in the certificate store; Skype for Business Server stops using it for these uses. The real cmdlet asks for confirmation when the certificate is in use (-Force skips the prompt).'];
  if (!args.previous && args.type.some((u) => assignments[u]?.pending)) notes.push('The staged roll stays: its certificate becomes current at its effective date.');
  if (scope.kind === 'global') notes.push(replicationPendingNote(next));
  return {
    ok: true,
    state: next,
    result: { scope: scope.kind === 'global' ? 'global' : scope.at.server.fqdn, uses: args.type, previous: Boolean(args.previous), thumbprints },
    powershell,
    notes,
    summary: `Removed the ${role} ${args.type.join(', ')} certificate (${[...new Set(thumbprints)].join(', ')}) ${where}.`,
  };
};

export function removeCertificate(state: Deployment, args: RemoveCertificateArgs, clock: OperationContext): OperationOutcome<RemoveResult> {
  return perform('Remove-CsCertificate', removeStep, state, args, clock);
}
