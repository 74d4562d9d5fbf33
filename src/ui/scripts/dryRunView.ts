// What the Dry Run view shows, from a dry run's result (src/powershell/dryRun.ts): how it ended, the output as the
// shell would print it, and what would change. Every piece of text that comes from the model or the script passes
// through the presenter's escaping. Whether Apply is possible is decided here too: only a run that completed
// without an error and changed something, on the deployment as it still is.
import { formatUsDateTime, type Deployment, type StoredCertificate } from '../../core';
import type { DryRunResult } from '../../powershell';
import { certificateName } from '../../present/certificate';
import { safeLines } from '../../present/text';
import type { DryRunStatus, DryRunView } from '../../shared/protocol';

const PART_LABEL = { current: 'current', previous: 'previous', pending: 'staged roll' } as const;

/** What became of the dry run after it ran. */
export type DryRunFate = 'open' | 'applied' | 'stale';

function certText(c: StoredCertificate): string {
  return `${c.thumbprint} (${certificateName(c)})`;
}

export function dryRunView(result: DryRunResult, script: string, ranAt: Date, fate: DryRunFate): DryRunView {
  const { diff, end } = result;
  let status: DryRunStatus;
  let statusText: string;
  let applyHint: string | undefined;
  const ran = `${result.statementsRun} statement${result.statementsRun === 1 ? '' : 's'} ran`;
  if (end.kind === 'error') {
    status = 'error';
    statusText = `The script wrote an error${end.stopped ? ' and stopped there' : ''} (${ran}): ${safeLines(end.message)}`;
    applyHint = 'Apply is unavailable: the script did not run without errors, so the deployment is left as it is. Fix the script and run the dry run again.';
  } else if (end.kind === 'stopped') {
    status = 'stopped';
    statusText = `${safeLines(end.message)} (${ran})`;
    applyHint = 'Apply is unavailable: the script stopped early, so what it would do is not known. Nothing was changed.';
  } else if (diff.unchanged) {
    status = 'unchanged';
    statusText = `The script ran to the end (${ran}) and would change nothing in the deployment.`;
    applyHint = 'Nothing to apply: the script only reads.';
  } else {
    status = 'completed';
    statusText = `The script ran to the end (${ran}). Apply makes these changes in the deployment as one step (Undo Last Operation takes them back); Cancel leaves it as it is.`;
  }
  if (fate === 'applied') {
    status = 'applied';
    statusText = 'Applied: the deployment now has these changes (one step; Undo Last Operation takes them back).';
    applyHint = 'Already applied.';
  } else if (fate === 'stale') {
    status = 'stale';
    statusText = 'The deployment changed since this dry run (another command, the Management Shell, or the file on disk), so its result no longer applies. Run it again on the deployment as it is now.';
    applyHint = 'Apply is unavailable: the deployment changed since the dry run. Re-run it.';
  }
  const find = (d: Deployment, store: string, thumbprint: string) => (store === 'global' ? d.cms.certificates : d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === store)?.certificates ?? d.cms.certificates).find((c) => c.thumbprint === thumbprint);
  const thumbText = (d: Deployment, scope: string, thumbprint: string | undefined) => {
    if (!thumbprint) return '(none)';
    const c = find(d, scope, thumbprint);
    return c ? certText(c) : thumbprint;
  };
  return {
    script: safeLines(script),
    ranAt: `${formatUsDateTime(ranAt)} (UTC, the model's time)`,
    status,
    statusText,
    output: result.output.map((w) => ({ stream: w.stream, text: safeLines(w.text) })),
    assignments: diff.assignments.map((a) => ({
      scope: safeLines(a.scope), use: a.use, part: PART_LABEL[a.part],
      before: thumbText(result.before, a.scope, a.before),
      after: `${thumbText(result.after, a.scope, a.after)}${a.part === 'pending' && a.effectiveDate ? ` on ${formatUsDateTime(new Date(a.effectiveDate))}` : ''}`,
    })),
    stores: diff.stores.map((s) => ({ store: safeLines(s.store), added: s.added.map(certText), removed: s.removed.map(certText) })),
    cmsVersion: diff.cmsVersion,
    replicasBehind: diff.replicasBehind.map((r) => `${safeLines(r.fqdn)} (version ${r.appliedVersion} of ${diff.cmsVersion.after}${r.unreachable ? ', unreachable' : ''})`),
    history: diff.history.map(safeLines),
    canApply: status === 'completed',
    ...(status === 'completed' ? {} : { applyHint }),
    canRerun: true,
  };
}
