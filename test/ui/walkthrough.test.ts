// The walkthrough "Server-to-server certificate" in the real workbench, on the sample deployment (no
// OAuthTokenIssuer certificate yet): opened from the palette, its four steps in order, and its buttons running the
// extension's commands — Get Certificate reports that nothing is assigned, Assign Default Certificate assigns one —
// each ticking its step off; the Certificate Wizard link opens the wizard webview. Screenshots go to test/ui/screenshots/.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const STEP_ID = 'sfb-certificates.sfb-certificates#assignServerToServerCertificate#';

describe('UI: walkthrough', function () {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.open((ws) => {
      execFileSync(process.execPath, [cli, 'sample', '--out', path.join(ws, 'sfb-deployment.json')], { stdio: 'pipe' });
    });
  });
  after(async () => { await wb?.close(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.screenshot(`FAILED-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const step = (id: string): Locator => wb.page.locator(`button.getting-started-step[data-step-id="${STEP_ID}${id}"]`);
  const checkbox = (id: string): Locator => wb.page.locator(`[data-done-step-id="${STEP_ID}${id}"]`);

  /** Opens the walkthrough (again: a document the extension opens takes the walkthrough's preview tab). */
  async function openWalkthrough(): Promise<void> {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickItem('Server-to-server certificate');
    await step('check').waitFor();
  }

  async function waitChecked(id: string): Promise<void> {
    await wb.page.locator(`[data-done-step-id="${STEP_ID}${id}"].codicon-getting-started-step-checked`).waitFor();
  }

  it('opens from the palette with its four steps in the order of the procedure', async () => {
    await openWalkthrough();
    const titles = await wb.page.locator('button.getting-started-step .step-title').allInnerTexts();
    assert.deepEqual(titles.map((t) => t.trim()), [
      'Check whether one is assigned',
      'Import a certificate or reuse the Default one',
      'Roll a replacement',
      'Verify on all Front Ends',
    ]);
    for (const id of ['check', 'assign', 'roll', 'verify']) assert.match(await checkbox(id).getAttribute('class') ?? '', /step-unchecked/, id);
    await wb.page.locator('.getting-started-media, .gettingStartedSlideDetails').getByText('Get-CsCertificate -Type OAuthTokenIssuer').first().waitFor();
    await wb.screenshot('07-walkthrough');
  });

  it('Get Certificate runs Get-CsCertificate against the deployment, shows that nothing is assigned and ticks the step', async () => {
    await step('check').locator('a.monaco-button', { hasText: 'Get Certificate' }).click();
    await wb.page.locator('.monaco-editor .view-lines', { hasText: 'Nothing was returned' }).first().waitFor();
    await wb.page.locator('.notification-list-item', { hasText: 'returned nothing: no OAuthTokenIssuer certificate is assigned' }).first().waitFor();
    await openWalkthrough();
    await waitChecked('check');
  });

  it('Assign Default Certificate assigns a Front End\'s Default certificate as the global OAuthTokenIssuer and ticks its step', async () => {
    await step('assign').click();
    await step('assign').locator('a.monaco-button', { hasText: 'Assign Default Certificate' }).click();
    await wb.pickQuickItem('fe01.contoso.com');
    // The sample's Default certificates meet every rule for the OAuthTokenIssuer certificate: no confirmation.
    await wb.waitForText(wb.page.locator('.statusbar'), /OAuth cert: (?!none)/);
    await openWalkthrough();
    await waitChecked('assign');
    await waitChecked('check');
    const state = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'sfb-deployment.json'), 'utf8'));
    const fe01 = state.pools.flatMap((p: { servers: unknown[] }) => p.servers).find((s: { fqdn: string }) => s.fqdn === 'fe01.contoso.com');
    assert.equal(state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, fe01.assignments.Default.current.thumbprint);
    await wb.screenshot('08-walkthrough-assigned');
  });

  it('the Certificate Wizard link opens the Deployment Wizard webview on the chosen Front End', async () => {
    await openWalkthrough();
    await step('assign').click();
    // A link in the step's text (the step keeps two buttons, so it shows whole at 1280 px: test/ui/layout.test.ts).
    await step('assign').locator('.step-description-container p a', { hasText: 'Certificate Wizard' }).click();
    await wb.pickQuickItem('fe02.contoso.com');
    const frame = wb.webview();
    await frame.locator('#title', { hasText: /^Skype for Business Server Deployment Wizard$/ }).waitFor();
    assert.equal(await frame.locator('#server').inputValue(), 'fe02.contoso.com');
  });
});
