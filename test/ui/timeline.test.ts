// The certificate timeline as a user meets it, in Chromium against the real workbench: opened from the palette on
// the sample deployment, a click on a date moves the simulated clock and the tree and the status bar follow, the
// keyboard does the same on the axis, a bar's card, the renewal plan, and the dark theme.
// Screenshots go to test/ui/screenshots/timeline-*.png (the README's come from here).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');

describe('UI: certificate timeline', function () {
  let wb: Workbench;
  let frame: FrameLocator;
  const statusBar = () => wb.page.locator('.statusbar-item', { hasText: /OAuth cert/ }).first();

  before(async () => {
    wb = await Workbench.open((ws) => {
      execFileSync(process.execPath, [cli, 'sample', '--out', path.join(ws, 'sfb-deployment.json')], { stdio: 'pipe' });
    });
    await wb.openContainer();
    await wb.row('fe01.contoso.com').waitFor({ timeout: 60000 });
    frame = wb.webview();
  });

  after(async () => { await wb?.close(); });

  it('opens from the palette: the global OAuthTokenIssuer rows first, then the pools, bars and markers drawn', async () => {
    await wb.runCommand('SfB Certificates: Open Certificate Timeline');
    await frame.locator('.row[data-id="global:current"]').waitFor({ timeout: 60000 });
    const ids = await frame.locator('#rows .row').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { id: string } }).dataset.id));
    assert.deepEqual(ids.slice(0, 4), ['global', 'global:current', 'global:previous', 'global:pending']);
    assert.ok(ids.some((id) => id.startsWith('slot:fe01.contoso.com:')));
    assert.ok(await frame.locator('.row[data-id="slot:fe01.contoso.com:Default"] g.bar').count() >= 1, 'a bar per certificate');
    assert.ok(await frame.locator('.row[data-id="global:current"] rect.gap').count() === 1, 'no OAuth certificate: one gap');
    assert.ok(await frame.locator('#axis line.marker.m-today').count() === 1);
    assert.match(await frame.locator('#now').innerText(), /^Today: /);
    await wb.screenshot('timeline-light');
  });

  it('a click on a date sets the simulated clock, and the tree and the status bar follow', async () => {
    await wb.expand('fe01.contoso.com');
    const before = await wb.sidebar.innerText();
    assert.doesNotMatch(before, /· expired\b/);
    const axis = frame.locator('#axis');
    const box = await axis.boundingBox();
    assert.ok(box);
    // Near the right end of the axis: after every certificate of the sample has expired.
    await axis.click({ position: { x: box.width - 4, y: box.height / 2 } });
    await wb.waitForText(frame.locator('#now'), /^Simulated now: /);
    await wb.waitForText(statusBar(), /\(simulated date\)/);
    // A certificate row: its thumbprint digits, then "expired".
    await wb.waitForText(wb.sidebar, /· expired\b/);
    await wb.waitForText(frame.locator('#notice'), /The model's clock now reads/);
    await wb.screenshot('timeline-clock-moved');
  });

  it('the axis works from the keyboard: arrows move a day, Enter sets the clock; Back to Real Time restores it', async () => {
    const axis = frame.locator('#axis');
    await axis.focus();
    const first = await frame.locator('#now').innerText();
    for (let i = 0; i < 3; i++) await axis.press('ArrowLeft');
    assert.match(await axis.getAttribute('aria-valuetext') ?? '', /^\d{4}-\d{2}-\d{2}$/);
    await axis.press('Enter');
    await wb.waitForText(frame.locator('#now'), new RegExp(`^(?!${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$)Simulated now`));
    await frame.locator('#real-time').click();
    await wb.waitForText(frame.locator('#now'), /^Today: /);
    await wb.waitForText(statusBar(), /\(simulated date\)/, true);
  });

  it('a bar shows its certificate card; the renewal plan is listed with its steps', async () => {
    const bar = frame.locator('.row[data-id="slot:fe01.contoso.com:Default"] g.bar').first();
    await bar.focus();
    await bar.press('Enter');
    await frame.locator('#card').waitFor();
    assert.match(await frame.locator('#card').innerText(), /Default on fe01\.contoso\.com/);
    await frame.locator('#close-card').click();
    await frame.locator('#card').waitFor({ state: 'hidden' });
    await frame.locator('#plan').click();
    await frame.locator('#plan-panel').waitFor();
    assert.match(await frame.locator('#plan-panel').innerText(), /Request-CsCertificate|Set-CsCertificate/);
    await wb.screenshot('timeline-plan');
    await frame.locator('#close-plan').click();
    await frame.locator('#plan-panel').waitFor({ state: 'hidden' });
  });

  it('follows the dark theme', async () => {
    const body = frame.locator('body');
    await wb.runCommand('Preferences: Color Theme');
    await wb.pickQuickItem(/^Dark Modern/);
    for (const deadline = Date.now() + 15000; !/\bvscode-dark\b/.test((await body.getAttribute('class')) ?? '');) {
      if (Date.now() > deadline) throw new Error('the timeline did not switch to the dark theme');
      await wb.page.waitForTimeout(100);
    }
    await wb.page.waitForTimeout(300);
    await wb.screenshot('timeline-dark');
    await wb.runCommand('Preferences: Color Theme');
    await wb.pickQuickItem(/^Light Modern/);
  });
});
