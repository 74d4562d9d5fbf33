// Executing Commands, the last page of both sub-wizards: each command the wizard ran with its output, the task
// status, and after a global assignment the replication of the new Central Management store version per replica.
import { receivesGlobalCertificates, renderPowerShell, type Deployment, type OperationOutcome, type OperationRequest } from '../../../core';
import type { CommandRunView, PageBody, ReplicaRowView, StatusView } from '../../../shared/protocol';
import type { Page } from '../page';
import { roleName } from '../rows';
import { baseOf, go, toCertificates, type Execution, type ExecutingUi, type SetCertificateRequest, type WizardContext, type WizardUi } from '../state';
import { LAYOUT_NOT_CONFIRMED, button, nav, status } from '../widgets';
import { REPORT_PATH_PATTERN, setLine, withWizardAdditions } from './assignSummary';

export const REPLICATE_ALL: OperationRequest = { cmdlet: 'Invoke-CsManagementStoreReplication' };

function outputOf(outcome: OperationOutcome<unknown>): string[] {
  if (!outcome.ok) return [`Error: ${outcome.error.message}`, ...(outcome.error.fix ? [`What to do: ${outcome.error.fix}`] : [])];
  const findings = outcome.findings.map((f) => `${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Note'}: ${f.message}`);
  return [...findings, ...outcome.notes];
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** The report file's name for a run at `now` (in $env:TEMP): Set-CSCertificate-[yyyy_MM_dd][HH_mm_ss].html (UTC, the model's time). */
export function reportPath(now: Date): string {
  const date = `${now.getUTCFullYear()}_${two(now.getUTCMonth() + 1)}_${two(now.getUTCDate())}`;
  const time = `${two(now.getUTCHours())}_${two(now.getUTCMinutes())}_${two(now.getUTCSeconds())}`;
  return REPORT_PATH_PATTERN.replace('[yyyy_MM_dd]', `[${date}]`).replace('[HH_mm_ss]', `[${time}]`);
}

/** The assignment (and the replication after it) ran. */
export function assignExecuted(ui: WizardUi, ctx: WizardContext, request: SetCertificateRequest, set: OperationOutcome<unknown>, replication?: OperationOutcome<unknown>): ExecutingUi {
  const runs: CommandRunView[] = [{ powershell: withWizardAdditions(set.powershell ?? setLine(request), reportPath(ctx.now)), ok: set.ok, output: outputOf(set) }];
  if (replication) runs.push({ powershell: replication.powershell ?? renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication' }), ok: replication.ok, output: outputOf(replication) });
  const execution: Execution = { runs, ok: runs.every((r) => r.ok) };
  if (set.ok && request.identity === 'global' && ctx.state) execution.global = { cmsVersion: ctx.state.cms.version, thumbprint: request.thumbprint };
  return { ...baseOf(ui), page: 'assign-executing', execution };
}

/** Import-CsCertificate ran (from the Import Certificate Summary page). */
export function importExecuted(ui: WizardUi, outcome: OperationOutcome<unknown>): ExecutingUi {
  const c = ui.page === 'import-summary' ? ui.candidate : undefined;
  const powershell = outcome.powershell ?? renderPowerShell({ cmdlet: 'Import-CsCertificate', path: c?.path ?? '', password: c?.passwordGiven ? '' : undefined });
  return { ...baseOf(ui), page: 'import-executing', execution: { runs: [{ powershell, ok: outcome.ok, output: outputOf(outcome) }], ok: outcome.ok } };
}

/** Remove-CsCertificate, Request-CsCertificate or Process Pending Request ran: its line, output and status. */
export function executed(ui: WizardUi, page: 'remove-executing' | 'request-executing' | 'pending-executing', outcome: OperationOutcome<unknown>, fallbackLine: string, extra: string[] = []): ExecutingUi {
  const run: CommandRunView = { powershell: outcome.powershell ?? fallbackLine, ok: outcome.ok, output: [...outputOf(outcome), ...(outcome.ok ? extra : [])] };
  return { ...baseOf(ui), page, execution: { runs: [run], ok: outcome.ok } };
}

function replicaRows(state: Deployment, global: NonNullable<Execution['global']>): ReplicaRowView[] {
  return state.pools.flatMap((pool) => pool.servers.map((server): ReplicaRowView => {
    const r = server.replica;
    const receives = receivesGlobalCertificates(pool);
    let s: StatusView;
    if (r.unreachable) s = status('error', `Replication fails: the replica is unreachable (version ${r.appliedVersion} of ${state.cms.version}).`);
    else if (r.appliedVersion < global.cmsVersion) s = status('info', `Waiting for replication (version ${r.appliedVersion} of ${state.cms.version}).`);
    else if (receives && server.assignments.OAuthTokenIssuer?.current?.thumbprint === global.thumbprint) s = status('ok', 'Up to date: the OAuthTokenIssuer certificate is deployed.');
    else s = status('ok', 'Up to date.');
    return { fqdn: server.fqdn, role: `${roleName(pool)}${receives ? '' : ' (no OAuthTokenIssuer certificate)'}`, status: s };
  }));
}

function executingBody(state: Deployment, execution: Execution): PageBody {
  return {
    kind: 'executing',
    intro: execution.ok ? 'The commands ran. Click Finish to go back to the Certificate Wizard.' : 'A command failed; nothing else was changed. Click Finish to go back to the Certificate Wizard.',
    commands: execution.runs,
    status: execution.ok ? status('ok', 'Task status: Completed.') : status('error', 'Task status: Failed.'),
    ...(execution.global ? {
      replication: {
        intro: `Replication of Central Management store version ${execution.global.cmsVersion}, per replica. This list follows replication run from anywhere while the page is open.`,
        rows: replicaRows(state, execution.global),
      },
    } : {}),
    actions: [button('view-log', 'View Log', { type: 'viewLog' })],
  };
}

export const executingPage: Page<ExecutingUi> = {
  navigate: (ui, action) => (action === 'finish' ? go(toCertificates(ui)) : undefined),
  receive: (ui, msg) => (msg.type === 'viewLog' ? go(ui, { kind: 'show-log' }) : undefined),
  render: (ui, { state }) => ({
    body: executingBody(state, ui.execution),
    buttons: [nav('back', 'Back', false), nav('finish', 'Finish', true, true), nav('cancel', 'Cancel', false)],
    unconfirmed: `Output ${LAYOUT_NOT_CONFIRMED}.${ui.page === 'import-executing' ? ' The switches the wizard adds to Import-CsCertificate are not documented, so the line is the documented cmdlet form.' : ''}`,
  }),
};
