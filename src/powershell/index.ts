// The public entry of the PowerShell layer: the Management Shell (shell.ts), the script checker (lint.ts), the dry
// run (dryRun.ts) and the plan export (plan.ts). No 'vscode' here.
export { ManagementShell, type ExecuteOptions, type ExecuteResult, type ShellOptions } from './shell';
export type { ShellFiles, ShellHost, ShellStream, ShellWrite } from './runtime';
export { checkScriptOutcome, splitDiagnostic } from './outcome';
export { dryRunScript, DRY_RUN_TIME_LIMIT_MS, type DryRunEnd, type DryRunOptions, type DryRunResult, type OAuthSplit } from './dryRun';
export { nodeFiles } from './nodeFiles';
export { exportPlanScript, exportRenewalPlanScript, type PlanOptions } from './plan';
export { findCommand } from './cmdlets';
export { SFB_CMDLETS } from './cmdlets/sfb';
export { allParams, type ParamSpec } from './binding';
export { ScriptChecker, lineColumn, lintScript, type CheckOptions, type ScriptDiagnostic, type ScriptFix, type ScriptSeverity } from './lint';
