// Dry Run Script Against Deployment as a user meets it, in Chromium against the real workbench: a .ps1 opened in
// the editor shows the CodeLens at its top; a click runs the script on a copy of the model and opens the Dry Run
// view (what would change, the output); Apply commits it and the tree shows the global OAuthTokenIssuer assigned.
// The screenshot test/ui/screenshots/dryrun.png is the README's (media/screenshots/dryrun.webp, by `npm run screenshots`).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');

describe('UI: Dry Run Script Against Deployment', function () {
  let wb: Workbench;
  let thumbprint = '';

  before(async () => {
    wb = await Workbench.open((ws) => {
      const file = path.join(ws, 'sfb-deployment.json');
      execFileSync(process.execPath, [cli, 'sample', '--out', file], { stdio: 'pipe' });
      const d = JSON.parse(fs.readFileSync(file, 'utf8'));
      thumbprint = d.pools[0].servers[0].assignments.Default.current.thumbprint;
      fs.writeFileSync(path.join(ws, 'assign-oauth.ps1'), [
        '# Assign the Default certificate of fe01 as the OAuthTokenIssuer certificate, at global scope',
        `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${thumbprint}`,
        'Invoke-CsManagementStoreReplication',
        'Get-CsCertificate -Type OAuthTokenIssuer',
        '',
      ].join('\n'));
    });
    await wb.openContainer();
    await wb.row('OAuthTokenIssuer (global)').waitFor({ timeout: 60000 });
  });

  after(async () => { await wb?.close(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.screenshot(`FAILED-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('clicks the CodeLens of a .ps1, sees what would change in the Dry Run view, clicks Apply and sees the tree change', async () => {
    assert.match(await wb.row('OAuthTokenIssuer (global)').innerText(), /none$/);
    await wb.runCommand('Go to File...');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill('assign-oauth.ps1');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'assign-oauth.ps1' }).first().waitFor();
    await input.press('Enter');
    const lens = wb.page.locator('.codelens-decoration a', { hasText: 'Dry Run Script Against Deployment' });
    await lens.waitFor({ timeout: 60000 });
    await lens.click();
    const frame = wb.webview();
    const apply = frame.locator('button[data-action="apply"]');
    await apply.waitFor({ timeout: 60000 });
    await wb.waitForText(frame.locator('#status'), /ran to the end/);
    const body = await frame.locator('body').innerText();
    assert.match(body, /Certificate assignments/);
    assert.match(body, new RegExp(`global · OAuthTokenIssuer · current\\s+before: \\(none\\)\\s+after: ${thumbprint}`));
    assert.match(body, /Version \d+ → \d+/);
    assert.ok(await apply.isEnabled());
    assert.match(await wb.row('OAuthTokenIssuer (global)').innerText(), /none$/, 'nothing changed before Apply');
    await wb.screenshot('dryrun');
    await apply.click();
    await wb.waitForText(frame.locator('#status'), /^Applied/);
    await wb.waitForText(wb.row('OAuthTokenIssuer (global)'), /none$/, true);
    const saved = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'sfb-deployment.json'), 'utf8'));
    assert.equal(saved.cms.assignments.OAuthTokenIssuer.current.thumbprint, thumbprint);
    await wb.screenshot('dryrun-applied');
  });
});
