// What one wizard page is: how it answers Back/Next/Cancel/Finish/Close and its own messages, how it keeps up with
// a deployment that changes under it, and what it renders. The machine (machine.ts) picks the page for a state.
import type { ToHost } from '../../shared/protocol';
import type { PageEnv, Transition, WizardUi } from './state';
import type { Rendered } from './widgets';

export type NavAction = Extract<ToHost, { type: 'navigate' }>['action'];
/** The messages a page handles itself (`ready` and `navigate` go through the machine). */
export type PageMessage = Exclude<ToHost, { type: 'ready' | 'navigate' }>;

export interface Page<S extends WizardUi> {
  /** The next state for a navigation button, or undefined when the button does not apply to this page. */
  navigate(ui: S, action: NavAction, env: PageEnv): Transition | undefined;
  /** The next state for one of the page's own messages, or undefined when the message does not apply to it. */
  receive?(ui: S, msg: PageMessage, env: PageEnv): Transition | undefined;
  /** Moves back to the last page that still makes sense when the deployment changed under this one. */
  settle?(ui: S, env: PageEnv): WizardUi;
  render(ui: S, env: PageEnv): Rendered;
}
