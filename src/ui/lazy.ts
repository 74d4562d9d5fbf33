// Features loaded on first use: the Certificate Wizard, the Certificate Timeline, and the PowerShell features (the
// Management Shell's interpreter, the .ps1 checker, hover and completion, Export Plan). Activation loads only what
// the tree, the status bar and the Problems panel need. In the production build each feature is a file of its own in
// dist/ (scripts/build.js LAZY) that uses the core and the extension's other modules from dist/extension.js, so there
// is one copy of each module and of its state; from tsc's output (the unit tests) the modules load as they are.
//
// A new webview panel (or any feature not needed at activation) loads the same way: add a loader below, an entry to
// LAZY in scripts/build.js, register its serializer in registerLazyPanels, and reach it only through the loader.
/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous load on first use is the point */
import * as vscode from 'vscode';
import type * as WizardModule from './wizard/panel';
import type { WizardServices } from './wizard/services';
import type * as TimelineModule from './timeline/panel';
import type * as PowerShellModule from './powershellFeatures';
import { TIMELINE_VIEW_TYPE, WIZARD_VIEW_TYPE } from '../shared/commands';

let wizardModule: typeof WizardModule | undefined;
let timelineModule: typeof TimelineModule | undefined;
let powershellModule: typeof PowerShellModule | undefined;

/** The Certificate Wizard's panel (dist/wizard-host.js). */
export function wizard(): typeof WizardModule {
  return (wizardModule ??= require('./wizard/panel') as typeof WizardModule);
}

/** The Certificate Timeline's panel (dist/timeline-host.js). */
export function timeline(): typeof TimelineModule {
  return (timelineModule ??= require('./timeline/panel') as typeof TimelineModule);
}

/** The Management Shell, the script checker and Export Plan, with the PowerShell interpreter (dist/powershell-host.js). */
export function powershell(): typeof PowerShellModule {
  return (powershellModule ??= require('./powershellFeatures') as typeof PowerShellModule);
}

/** Which of them have been loaded (the in-host tests check that activation loads none). */
export function loadedFeatures(): string[] {
  return [wizardModule && 'wizard', timelineModule && 'timeline', powershellModule && 'powershell'].filter((x): x is string => !!x);
}

/** A panel VS Code restores after a reload loads its feature then, not at activation. */
export function registerLazyPanels(context: vscode.ExtensionContext, services: WizardServices & TimelineModule.TimelineServices): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(WIZARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        wizard().WizardPanel.revive(panel, context.extensionUri, services);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        timeline().TimelinePanel.revive(panel, context.extensionUri, services);
      },
    }),
  );
}
