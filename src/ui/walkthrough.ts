// The walkthrough's steps tick on the deployment's state, wherever the step was done (the tree, the palette, the
// wizard, the Management Shell), not on its buttons: context keys the steps' completionEvents name (onContext:…).
// And the SfB Certificates view is revealed once, the first time a deployment opens in a workspace.
import * as vscode from 'vscode';
import { receivesGlobalCertificates, type Deployment } from '../core';
import { CONTEXT_STEP_ASSIGNED, CONTEXT_STEP_CHECKED, CONTEXT_STEP_ROLLED, CONTEXT_STEP_VERIFIED } from '../shared/commands';
import type { LiveDeployment } from './live';

export interface WalkthroughProgress {
  /** An OAuthTokenIssuer certificate is assigned at global scope (current or staged). */
  assigned: boolean;
  /** A replacement is staged, or one has rolled in (a previous certificate is kept). */
  rolled: boolean;
  /** Every Front End's replica is up to date and deploys the global certificate. */
  verified: boolean;
}

/** Where the procedure stands in `d`. Pure: unit-tested without VS Code. */
export function walkthroughProgress(d: Deployment | undefined): WalkthroughProgress {
  const slot = d?.cms.assignments.OAuthTokenIssuer;
  const assigned = Boolean(slot?.current || slot?.pending);
  const rolled = Boolean(slot?.pending || slot?.previous);
  const frontEnds = d ? d.pools.filter((p) => receivesGlobalCertificates(p)).flatMap((p) => p.servers) : [];
  const verified = Boolean(d && slot?.current && frontEnds.length && frontEnds.every((s) => !s.replica.unreachable && s.replica.appliedVersion >= d.cms.version && s.assignments.OAuthTokenIssuer?.current?.thumbprint === slot.current?.thumbprint));
  return { assigned, rolled, verified };
}

const REVEALED_KEY = 'sfbCertificates.viewRevealed';

/** Keeps the walkthrough's context keys in step with the deployment, and reveals the view on the first open. */
export function trackWalkthrough(context: vscode.ExtensionContext, live: LiveDeployment): void {
  const shown: Partial<Record<string, boolean>> = {};
  const set = (key: string, value: boolean) => {
    if (shown[key] === value) return;
    shown[key] = value;
    void vscode.commands.executeCommand('setContext', key, value);
  };
  // Once done, a step stays done (the walkthrough never unticks): only true is set from the state.
  const update = () => {
    const p = walkthroughProgress(live.state);
    if (p.assigned) set(CONTEXT_STEP_ASSIGNED, true);
    if (p.rolled) set(CONTEXT_STEP_ROLLED, true);
    if (p.verified) set(CONTEXT_STEP_VERIFIED, true);
    if (live.state && !context.workspaceState.get<boolean>(REVEALED_KEY)) {
      void context.workspaceState.update(REVEALED_KEY, true);
      void vscode.commands.executeCommand('workbench.view.extension.sfbCertificates');
    }
  };
  context.subscriptions.push(
    { dispose: live.onDidChange(update) },
    { dispose: live.onDidRun((operation) => { if (operation === 'Get-CsCertificate') set(CONTEXT_STEP_CHECKED, true); }) },
  );
  update();
}
