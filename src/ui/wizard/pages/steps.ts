// The Skype for Business Server page: Steps 1 to 4 on the wizard's computer. Only Step 3 (certificates) runs here;
// Steps 1, 2 and 4 show what the deployment file records for the computer.
import type { DeploymentStepView, PageBody } from '../../../shared/protocol';
import type { Page } from '../page';
import { go, type PageEnv, type PlainUi } from '../state';
import { button, nav, status } from '../widgets';
import { useRows } from './certificates';

const STEP_NOT_SIMULATED = 'Not simulated by SfB Certificates: the step\'s state comes from the deployment file (the server\'s "setup" record).';

function setupStep(number: 1 | 2 | 4, name: string, done: boolean): DeploymentStepView {
  const action = `run-step${number}` as const;
  return { number, name, status: done ? status('ok', 'Complete') : status('none', 'Not run'), run: button(action, done ? 'Run Again' : 'Run', undefined, false, { hint: STEP_NOT_SIMULATED }) };
}

function stepsBody({ state, ctx, at }: PageEnv): PageBody {
  const { server } = at;
  const rows = useRows(state, ctx.findings, at);
  const missing = rows.filter((r) => !r.thumbprint).map((r) => r.label);
  const step3Status = missing.length === rows.length ? status('none', 'Not run')
    : missing.length ? status('warning', `Incomplete: not assigned — ${missing.join(', ')}`)
      : status('ok', 'Complete');
  return {
    kind: 'steps',
    intro: `Install or Update Skype for Business Server System on ${server.fqdn}. Only Step 3 is simulated; Steps 1, 2 and 4 show the state recorded for this computer.`,
    steps: [
      setupStep(1, 'Step 1: Install Local Configuration Store', server.setup.localStoreInstalled),
      setupStep(2, 'Step 2: Setup or Remove Skype for Business Server Components', server.setup.componentsInstalled),
      {
        number: 3,
        name: 'Step 3: Request, Install or Assign Certificates',
        status: step3Status,
        // "If you have already installed certificates on this computer then the Run button will be labeled Run Again" [S7].
        run: button('run-step3', server.certificates.length ? 'Run Again' : 'Run', { type: 'runStep3' }, true, { primary: true }),
      },
      setupStep(4, 'Step 4: Start Services', server.setup.servicesStarted),
    ],
  };
}

export const stepsPage: Page<PlainUi> = {
  navigate(ui, action) {
    if (action === 'back') return go({ ...ui, page: 'home' });
    return action === 'close' ? go(ui, { kind: 'dispose' }) : undefined;
  },
  receive: (ui, msg) => (msg.type === 'runStep3' ? go({ ...ui, page: 'certificates' }) : undefined),
  render: (_ui, env) => ({ body: stepsBody(env), buttons: [nav('back', 'Back'), nav('close', 'Exit')] }),
};
