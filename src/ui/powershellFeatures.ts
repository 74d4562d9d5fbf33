// The PowerShell features, loaded together on first use (src/ui/lazy.ts): the Management Shell's terminal, the .ps1
// checker with its hover and completion, Dry Run Script Against Deployment, and Export Plan — all three run on src/powershell (the interpreter and
// the grammar), which activation does not load.
export { createShellPty } from './terminal/pty';
export { ScriptEditorFeatures } from './scripts/editor';
export { DryRunPanel, dryRunCommand } from './scripts/dryRunPanel';
export { exportPlanScript, exportRenewalPlanScript } from '../powershell';
