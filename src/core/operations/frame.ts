// The frame every operation runs in: due rolls, the step, history.
import { sfbError, type ErrorSource, type SfbError } from '../errors';
import { applyDueRolls, type AppliedRoll } from '../clock';
import { formatUsDateTime } from '../calendar';
import { type ActionName, type CmdletName } from '../cmdlets';
import type { Deployment, Finding, HistoryEntry, OperationFailed, OperationOutcome } from '../model';
import type { RuleOptions } from '../certificateChecks';
import type { OperationContext } from './types';

// ---------------------------------------------------------------------------------------------
// The frame every operation runs in
// ---------------------------------------------------------------------------------------------

export interface Applied<R> {
  ok: true;
  state: Deployment;
  result: R;
  powershell: string;
  findings?: Finding[];
  notes?: string[];
  /** The history line; required when the state changed. */
  summary?: string;
  /** The step moved the model's clock: rolls due by then take effect, and what follows is dated then. */
  movedClockTo?: Date;
}


export type Step<A, R> = (state: Deployment, args: A, now: Date, rules: RuleOptions) => Applied<R> | OperationFailed;

export function fail(code: string, message: string, fix?: string, options: { source?: ErrorSource; powershell?: string } = {}): OperationFailed {
  return failWith(sfbError(code, message, fix, options.source), options.powershell);
}

export function failWith(error: SfbError, powershell?: string): OperationFailed {
  return powershell ? { ok: false, error, powershell } : { ok: false, error };
}

export function failed(value: object): value is OperationFailed {
  return (value as { ok?: unknown }).ok === false;
}

/**
 * Applies due rolls, runs the step, applies rolls the step made due (a staged date already past), and records
 * history: one entry for the step, one for each batch of rolls that took effect.
 */
export function performWithRolls<A, R>(name: CmdletName | ActionName, step: Step<A, R>, state: Deployment, args: A, clock: OperationContext): { outcome: OperationOutcome<R>; rolls: AppliedRoll[] } {
  const now = clock.now();
  const before = applyDueRolls(state, now);
  const out = step(before.state, args, now, { expiryWarningDays: clock.expiryWarningDays });
  if (!out.ok) return { outcome: out, rolls: [] };
  const later = out.movedClockTo ?? now;
  const after = applyDueRolls(out.state, later);
  const entries: HistoryEntry[] = [];
  if (before.applied.length) entries.push(rollHistory(before.applied, now));
  if (out.state !== before.state) {
    const computer = (args as { computer?: unknown } | undefined)?.computer;
    entries.push({ at: later.toISOString(), cmdlet: name, powershell: out.powershell, summary: out.summary ?? `${name} done.`, ...(typeof computer === 'string' && computer ? { computer } : {}) });
  }
  if (after.applied.length) entries.push(rollHistory(after.applied, later));
  const notes = [...describeRolls(before.applied), ...(out.notes ?? []), ...describeRolls(after.applied)];
  const next = entries.length ? { ...after.state, history: [...after.state.history, ...entries] } : after.state;
  return {
    outcome: { ok: true, state: next, result: out.result, powershell: out.powershell, findings: out.findings ?? [], notes },
    rolls: [...before.applied, ...after.applied],
  };
}

export function perform<A, R>(name: CmdletName | ActionName, step: Step<A, R>, state: Deployment, args: A, clock: OperationContext): OperationOutcome<R> {
  return performWithRolls(name, step, state, args, clock).outcome;
}

/** One line per use and certificate, however many servers rolled with it. */
export function describeRolls(applied: AppliedRoll[]): string[] {
  const groups = new Map<string, AppliedRoll[]>();
  for (const roll of applied) {
    const key = `${roll.use}|${roll.thumbprint}`;
    groups.set(key, [...(groups.get(key) ?? []), roll]);
  }
  return [...groups.values()].map((rolls) => {
    const first = rolls[0];
    const servers = rolls.filter((r) => r.serverFqdn).length;
    const where = [rolls.some((r) => !r.serverFqdn) ? 'global' : '', servers ? `${servers} server${servers === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ');
    return `${first.use} roll took effect (${where}): ${first.thumbprint} is now current${first.previousThumbprint ? `, ${first.previousThumbprint} is previous` : ''} — effective ${formatUsDateTime(new Date(first.effectiveDate))}.`;
  });
}

export function rollHistory(applied: AppliedRoll[], now: Date): HistoryEntry {
  return {
    at: now.toISOString(),
    cmdlet: 'Roll',
    powershell: '# Skype for Business Server (automatic): a roll staged with Set-CsCertificate -Roll -EffectiveDate took effect',
    summary: describeRolls(applied).join(' '),
  };
}
