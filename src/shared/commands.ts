// The one list of command ids. package.json `contributes.commands` must match it exactly (a unit test checks),
// and src/ui/commands.ts must give each a handler (the type `Record<CommandId, …>` makes the compiler check).
// No 'vscode' here: the unit tests and the webview protocol import it.

export const COMMAND_IDS = [
  'sfbCertificates.getCertificate',
  'sfbCertificates.importCertificate',
  'sfbCertificates.assignOAuth',
  'sfbCertificates.assignOAuthFromDefault',
  'sfbCertificates.assignToServer',
  'sfbCertificates.rollCertificate',
  'sfbCertificates.removePrevious',
  'sfbCertificates.removeCertificate',
  'sfbCertificates.replicateNow',
  'sfbCertificates.replicateToServer',
  'sfbCertificates.replicationStatus',
  'sfbCertificates.toggleReplicaReachable',
  'sfbCertificates.exportWithPrivateKey',
  'sfbCertificates.importOnServer',
  'sfbCertificates.copyThumbprint',
  'sfbCertificates.copyAsPowerShell',
  'sfbCertificates.showCertificateDetails',
  'sfbCertificates.setSimulatedDate',
  'sfbCertificates.useRealTime',
  'sfbCertificates.setProductVersion',
  'sfbCertificates.undo',
  'sfbCertificates.openDeploymentFile',
  'sfbCertificates.importTopology',
  'sfbCertificates.saveInventoryScript',
  'sfbCertificates.importInventory',
  'sfbCertificates.openSample',
  'sfbCertificates.createDeploymentFile',
  'sfbCertificates.openWizard',
  'sfbCertificates.openTimeline',
  'sfbCertificates.planOAuthRenewal',
  'sfbCertificates.requestCertificate',
  'sfbCertificates.processPendingRequest',
  'sfbCertificates.showLog',
  'sfbCertificates.refresh',
  'sfbCertificates.openManagementShell',
  'sfbCertificates.openManagementShellHere',
  'sfbCertificates.exportPlan',
  'sfbCertificates.dryRunScript',
  'sfbCertificates.exportRenewalPlan',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

export const VIEW_ID = 'sfbCertificates.deployment';
export const CONTAINER_ID = 'sfbCertificates';
export const WIZARD_VIEW_TYPE = 'sfbCertificates.wizard';
export const TIMELINE_VIEW_TYPE = 'sfbCertificates.timeline';
export const DRY_RUN_VIEW_TYPE = 'sfbCertificates.dryRun';
/** The terminal profile "SfB Management Shell" (package.json contributes.terminal.profiles and its activation event). */
export const TERMINAL_PROFILE_ID = 'sfbCertificates.managementShell';
export const OUTPUT_CHANNEL_NAME = 'SfB Certificates';
/** Context key: true when a deployment is loaded (drives the welcome view). */
export const CONTEXT_HAS_DEPLOYMENT = 'sfbCertificates.hasDeployment';
export const CONTEXT_SIMULATED_CLOCK = 'sfbCertificates.simulatedClock';
/** Context key: true while the deployment file is being read (the welcome view waits for it). */
export const CONTEXT_LOADING = 'sfbCertificates.loading';
/** Context keys the walkthrough's steps complete on (package.json completionEvents "onContext:…"), set from the state. */
export const CONTEXT_STEP_CHECKED = 'sfbCertificates.walkthrough.checked';
export const CONTEXT_STEP_ASSIGNED = 'sfbCertificates.walkthrough.assigned';
export const CONTEXT_STEP_ROLLED = 'sfbCertificates.walkthrough.rolled';
export const CONTEXT_STEP_VERIFIED = 'sfbCertificates.walkthrough.verified';
