// What the timeline panel sends its webview: the core's layout model, the certificate card of the selected bar and
// the renewal plan as a what-if. No 'vscode' here: the panel (panel.ts) supplies the services' answers.
import {
  defaultExpanded, displayText, formatUsDateTime, proposeOAuthRenewal, timelineLayoutSteps,
  type Deployment, type Finding, type RenewalProposal, type StoredCertificate, type TimelineCache,
} from '../../core';
import { assignmentIndex, certificateFields, findingText } from '../../present/certificate';
import type { StatusView, TimelineCardView, TimelinePlanView, TimelineSavedState, TimelineView } from '../../shared/protocol';

export interface TimelineInputs {
  state: Deployment;
  now: Date;
  simulated: boolean;
  simulatedClockAllowed: boolean;
  expiryWarningDays: number;
  findings: Finding[];
}

/** The panel's own state: what the webview saved, the selected bar, the plan shown and a notice. */
export interface TimelineUi {
  saved: TimelineSavedState;
  selected?: { rowId: string; thumbprint: string };
  notice?: StatusView;
}

/** The certificate a row's bar stands for: the CMS's copy for the global rows, the server's own otherwise. */
export function barCertificate(state: Deployment, rowId: string, thumbprint: string): StoredCertificate | undefined {
  if (rowId.startsWith('global')) return state.cms.certificates.find((c) => c.thumbprint === thumbprint);
  const m = /^slot:([^:]+):/.exec(rowId);
  const server = m ? state.pools.flatMap((p) => p.servers).find((s) => s.fqdn === m[1]) : undefined;
  return server?.certificates.find((c) => c.thumbprint === thumbprint)
    ?? state.pools.flatMap((p) => p.servers).flatMap((s) => s.certificates).find((c) => c.thumbprint === thumbprint)
    ?? state.cms.certificates.find((c) => c.thumbprint === thumbprint);
}

function card(inputs: TimelineInputs, rowId: string, thumbprint: string): TimelineCardView | undefined {
  const cert = barCertificate(inputs.state, rowId, thumbprint);
  if (!cert) return undefined;
  const worst = inputs.findings.filter((f) => f.where.thumbprint === thumbprint).reduce<Finding['severity'] | undefined>((w, f) => (f.severity === 'error' || w === 'error' ? 'error' : f.severity === 'warning' || w === 'warning' ? 'warning' : 'info'), undefined);
  return {
    rowId, thumbprint, title: displayText(cert.friendlyName || cert.subject || cert.thumbprint),
    fields: certificateFields(cert, { now: inputs.now }).map(({ label, value }) => ({ label, value })),
    assigned: (assignmentIndex(inputs.state, thumbprint).get(thumbprint) ?? []).slice(0, 50).map(displayText),
    tone: worst ?? 'ok',
  };
}

const SITUATION_NOTES: Record<RenewalProposal['situation'], string> = {
  'no-certificate': 'No OAuthTokenIssuer certificate is assigned: the plan assigns one at once.',
  expired: 'The current certificate has expired: the plan replaces it at once.',
  'under-lead': 'Less than the 24-hour lead is left: the plan stages the roll as soon as it can.',
  staged: 'A roll is staged already: the plan follows it.',
  normal: 'The plan stages the roll to take effect at midnight (UTC) of the last day that keeps the 24-hour lead.',
};

export function planView(proposal: RenewalProposal): TimelinePlanView {
  const staged = proposal.situation === 'staged';
  return {
    situation: proposal.situation,
    effectiveDate: proposal.effectiveDate,
    effectiveText: `${formatUsDateTime(new Date(proposal.effectiveDate))} (UTC)`,
    steps: proposal.steps.map((s) => ({ kind: s.kind, when: `${formatUsDateTime(new Date(s.at))} (UTC)`, title: displayText(s.title), detail: displayText(s.detail), powershell: s.powershell.map(displayText) })),
    warnings: proposal.warnings.map((w) => findingText({ message: w })),
    candidates: proposal.candidates.map((c) => ({ thumbprint: c.thumbprint, label: c.label, fit: c.fit, chosen: c.thumbprint === proposal.chosen?.thumbprint })),
    canApply: proposal.request !== undefined,
    applyHint: proposal.request ? `Runs ${proposal.steps.find((s) => s.kind === 'roll')?.powershell[0] ?? 'Set-CsCertificate'} in the model (one step: Undo Last Operation takes it back).`
      : staged ? 'The roll is staged already: nothing to apply.' : 'No certificate meets the requirements: request one first.',
    note: `${SITUATION_NOTES[proposal.situation]} The step dates (rounding to midnight, verifying a day ahead) are SfB Certificates' own suggestion; the 24-hour lead is Microsoft's recommendation.`,
  };
}

/** The renewal proposal the saved plan state asks for, or undefined when the plan is not shown. */
export function proposalFor(inputs: TimelineInputs, saved: TimelineSavedState): RenewalProposal | undefined {
  if (!saved.plan) return undefined;
  return proposeOAuthRenewal(inputs.state, inputs.now, { thumbprint: saved.plan.thumbprint, expiryWarningDays: inputs.expiryWarningDays });
}

/** How a view is built: with the panel's cache (what an unchanged pool needs is not computed again), and only the first rows. */
export interface TimelineBuild {
  cache?: TimelineCache;
  /** Only the first this many rows (the rest counted: layout.rowCount); default all. */
  rowLimit?: number;
}

export function timelineView(inputs: TimelineInputs, ui: TimelineUi, proposal: RenewalProposal | undefined, build: TimelineBuild = {}): TimelineView {
  const steps = timelineViewSteps(inputs, ui, proposal, build);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** timelineView in steps (the core's timelineLayoutSteps): the panel completes a large first view between the host's other work. */
export function* timelineViewSteps(inputs: TimelineInputs, ui: TimelineUi, proposal: RenewalProposal | undefined, build: TimelineBuild = {}): Generator<void, TimelineView, void> {
  const layout = yield* timelineLayoutSteps(inputs.state, {
    now: inputs.now, simulated: inputs.simulated, expiryWarningDays: inputs.expiryWarningDays, findings: inputs.findings,
    expanded: ui.saved.expanded, overlay: proposal?.overlay, cache: build.cache, rowLimit: build.rowLimit,
  });
  return {
    layout,
    nowText: `${inputs.simulated ? 'Simulated now' : 'Today'}: ${formatUsDateTime(inputs.now)} (UTC)`,
    simulatedClockAllowed: inputs.simulatedClockAllowed,
    card: ui.selected && card(inputs, ui.selected.rowId, ui.selected.thumbprint),
    plan: proposal && planView(proposal),
    notice: ui.notice,
    saved: { ...ui.saved, expanded: ui.saved.expanded ?? defaultExpanded(inputs.state) },
  };
}

/** Expands or collapses a group, starting from what is shown. */
export function toggled(shown: readonly string[], group: string): string[] {
  return shown.includes(group) ? shown.filter((g) => g !== group) : [...shown, group];
}

