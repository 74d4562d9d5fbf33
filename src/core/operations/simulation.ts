// The model's own actions: simulated outage, simulated clock.
import { clockFor, parseEffectiveDate, systemClock } from '../clock';
import { formatUsDateTime } from '../calendar';
import { renderActionComment, renderPowerShell } from '../cmdlets';
import type { Clock, Deployment, OperationOutcome } from '../model';
import { withReachability } from '../replication';
import type { ReachabilityArgs, ReachabilityResult, ClockResult } from './types';
import { failed, performWithRolls, perform, type Step } from './frame';
import { locate } from './steps';

// ---------------------------------------------------------------------------------------------
// The model's own actions
// ---------------------------------------------------------------------------------------------

const reachabilityStep: Step<ReachabilityArgs, ReachabilityResult> = (state, args) => {
  const powershell = renderActionComment('Simulate-ReplicaReachability', `${args.replicaFqdn} ${args.reachable ? 'reachable again' : 'unreachable (simulated outage)'}`);
  const at = locate(state, args.replicaFqdn, powershell);
  if (failed(at)) return at;
  const unchanged = at.server.replica.unreachable === !args.reachable;
  return {
    ok: true,
    state: unchanged ? state : withReachability(state, at, args.reachable),
    result: { replicaFqdn: at.server.fqdn, reachable: args.reachable },
    powershell,
    notes: args.reachable
      ? [`${at.server.fqdn} is reachable; it stays behind until replication runs: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: at.server.fqdn })}`]
      : [`Replication to ${at.server.fqdn} now fails; Get-CsManagementStoreReplicationStatus shows it UpToDate False once the CMS changes.`],
    summary: `${at.server.fqdn} is ${args.reachable ? 'reachable again' : 'unreachable (simulated outage)'}.`,
  };
};

/** Simulated outage on or off. */
export function setReplicaReachable(state: Deployment, replicaFqdn: string, reachable: boolean, clock: Clock = clockFor(state)): OperationOutcome<ReachabilityResult> {
  return perform('Simulate-ReplicaReachability', reachabilityStep, state, { replicaFqdn, reachable }, clock);
}

/**
 * Moves the model's clock (ISO or US style; undefined = back to real time) and applies the rolls that are due
 * by then. Moving it back does not undo rolls that already took effect (Undo does).
 */
export function setSimulatedNow(state: Deployment, date: string | undefined, realClock: Clock = systemClock): OperationOutcome<ClockResult> {
  const parsed = date === undefined ? { ok: true as const, date: realClock.now(), notes: [] } : parseEffectiveDate(date);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const target = parsed.date;
  const notes = [...parsed.notes];
  if (target.getTime() < clockFor(state, realClock).now().getTime()) notes.push('The clock moved back: rolls that already took effect stay applied (use Undo to go back).');
  const powershell = renderActionComment('Set-SimulatedDate', date === undefined ? 'back to real time' : `simulated clock set to ${formatUsDateTime(target)} (UTC)`);
  const step: Step<undefined, ClockResult> = (s) => {
    const next = { ...s };
    if (date === undefined) delete next.simulatedNow;
    else next.simulatedNow = target.toISOString();
    return {
      ok: true,
      state: next,
      result: { now: target.toISOString(), simulated: date !== undefined, rollsApplied: [] },
      powershell,
      notes,
      summary: date === undefined ? 'Back to real time.' : `Simulated clock set to ${formatUsDateTime(target)} (UTC).`,
      movedClockTo: target,
    };
  };
  const { outcome, rolls } = performWithRolls('Set-SimulatedDate', step, state, undefined, clockFor(state, realClock));
  return outcome.ok ? { ...outcome, result: { ...outcome.result, rollsApplied: rolls } } : outcome;
}
