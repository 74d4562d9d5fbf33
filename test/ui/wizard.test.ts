// The Deployment Wizard as a user drives it, in Chromium against the real workbench: opened from a Front End's
// context menu, every page of the OAuthTokenIssuer assignment walked with real clicks (and the keyboard), the
// result checked in the tree and with Get-CsCertificate; the wizard restored after being hidden; then a
// certificate whose subject is an HTML payload is imported through the wizard on another Front End and must show
// literally, with no dialog and no injected element.
// Screenshots go to test/ui/screenshots/wizard-*.png.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { generateCertificate, writePfx } from '../../src/core';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const XSS = '<img src=x onerror=alert(1)>';
const XSS_FILE = 'xss-subject.pfx';
const XSS_PASSWORD = 'Xss-Wizard-Pa55!';
/** The subject as Windows writes it: a CN with special characters is quoted. */
const XSS_SUBJECT = /^CN="<img src=x onerror=alert\(1\)>", O=Contoso$/m;

describe('UI: Deployment Wizard', function () {
  let wb: Workbench;
  let frame: FrameLocator;
  const dialogs: string[] = [];
  let oauthThumbprint: string;
  let shortThumbprint: string;

  const title = async (text: string) => {
    await frame.locator('#title', { hasText: new RegExp(`^${text}$`) }).waitFor();
  };
  const click = (action: string) => frame.locator(`[data-action="${action}"]`).click();

  let workspace = '';

  before(async () => {
    wb = await Workbench.open((ws) => {
      workspace = ws;
      execFileSync(process.execPath, [cli, 'sample', '--out', path.join(ws, 'sfb-deployment.json')], { stdio: 'pipe' });
      const cert = generateCertificate({ subject: { CN: XSS, O: 'Contoso' }, dnsNames: ['contoso.com'], keySize: 2048 });
      fs.writeFileSync(path.join(ws, XSS_FILE), writePfx(cert, XSS_PASSWORD, { friendlyName: XSS }));
      const fe01 = JSON.parse(fs.readFileSync(path.join(ws, 'sfb-deployment.json'), 'utf8')).pools[0].servers[0];
      const store = fe01.certificates as { subject: string; keySize: number; thumbprint: string }[];
      oauthThumbprint = store.find((c) => /^CN=contoso\.com\b/.test(c.subject) && c.keySize >= 2048)!.thumbprint;
      shortThumbprint = store.find((c) => c.keySize < 2048)!.thumbprint;
    });
    wb.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await wb.openContainer();
    frame = wb.webview();
  });

  after(async () => { await wb?.close(); });

  it('opens from a Front End\'s context menu on the Deployment Wizard home page', async () => {
    await wb.row('fe01.contoso.com').waitFor({ timeout: 60000 });
    await wb.contextMenu(wb.row('fe01.contoso.com'), 'Open Certificate Wizard…');
    await title('Skype for Business Server Deployment Wizard');
    assert.equal(await frame.locator('#server').inputValue(), 'fe01.contoso.com');
    assert.match(await frame.locator('#unconfirmed').innerText(), /layout not confirmed by Microsoft documentation/);
    await wb.screenshot('wizard-01-home');
  });

  it('walks every page of the OAuthTokenIssuer assignment', async () => {
    await click('install-or-update');
    await title('Skype for Business Server');
    assert.equal(await frame.locator('[data-action="run-step3"]').innerText(), 'Run Again');
    assert.equal(await frame.locator('[data-action="run-step1"]').isDisabled(), true);
    await wb.screenshot('wizard-02-steps');

    await click('run-step3');
    await title('Certificate Wizard');
    assert.match(await frame.locator('tr[data-use="OAuthTokenIssuer"]').innerText(), /Global[\s\S]*Not assigned/);
    assert.equal(await frame.locator('[data-action="request"]').isDisabled(), true);
    // Keyboard: the uses are a radio group; arrows move the selection, Enter on Assign opens the sub-wizard.
    await frame.locator('#use-Default').click();
    await frame.locator('tr[data-use="Default"].selected').waitFor();
    for (let i = 0; i < 3; i++) await frame.locator('input[name="use"]:focus').press('ArrowDown');
    await frame.locator('tr[data-use="OAuthTokenIssuer"].selected').waitFor();
    await wb.screenshot('wizard-03-certificate-wizard');
    await frame.locator('[data-action="assign"]').focus();
    await frame.locator('[data-action="assign"]').press('Enter');

    await title('Certificate Assignment');
    assert.match(await frame.locator('nav.pages li[aria-current="step"]').innerText(), /^Certificate Assignment$/);
    assert.equal(await frame.locator('[data-action="back"]').isDisabled(), true);
    await wb.screenshot('wizard-04-certificate-assignment');
    await click('next');

    await title('Certificate Store');
    assert.equal(await frame.locator(`tr[data-thumbprint="${shortThumbprint}"] input`).isDisabled(), true, 'the 1024-bit certificate cannot be chosen');
    assert.match(await frame.locator(`tr[data-reasons-for="${shortThumbprint}"]`).innerText(), /at least 2048 bits/);
    assert.equal(await frame.locator('[data-action="next"]').isDisabled(), true);
    await frame.locator(`tr[data-thumbprint="${oauthThumbprint}"]`).click();
    await frame.locator(`tr[data-thumbprint="${oauthThumbprint}"].selected`).waitFor();
    await click('view-details');
    await frame.locator('section.details', { hasText: oauthThumbprint }).waitFor();
    await wb.screenshot('wizard-05-certificate-store');
    await click('next');

    await title('Certificate Assignment Summary');
    assert.match(await frame.locator('pre.powershell').innerText(), new RegExp(`^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${oauthThumbprint} -Confirm:\\$false -Report`));
    assert.equal(await frame.locator('#replicate').isChecked(), true);
    await wb.screenshot('wizard-06-summary');
    await click('next');

    await title('Executing Commands');
    const output = await frame.locator('#output').innerText();
    assert.match(output, /-Confirm:\$false -Report "\$env:TEMP\\Set-CSCertificate-\[\d{4}_\d\d_\d\d\]\[\d\d_\d\d_\d\d\]\.html"/);
    assert.match(output, /Invoke-CsManagementStoreReplication/);
    assert.match(output, /Task status: Completed\./);
    assert.match(await frame.locator('tr[data-replica="fe02.contoso.com"]').innerText(), /deployed/);
    await wb.screenshot('wizard-07-executing-commands');
    await click('finish');

    await title('Certificate Wizard');
    assert.match(await frame.locator('tr[data-use="OAuthTokenIssuer"]').innerText(), /Contoso server-to-server[\s\S]*Global[\s\S]*Assigned/);
    await wb.screenshot('wizard-08-back-on-certificate-wizard');
  });

  it('shows the assignment in the tree\'s global slot and in Get-CsCertificate', async () => {
    await wb.waitForText(wb.row('OAuthTokenIssuer (global)'), /none$/, true);
    await wb.expand('OAuthTokenIssuer (global)');
    // The global slot's first row: Current and the first digits of the thumbprint the wizard assigned.
    await wb.waitForText(wb.row('Current'), new RegExp(`^Current\\s*${oauthThumbprint.slice(0, 8)} · \\d+ d left$`));
    await wb.runCommand('SfB Certificates: Get Certificate (Get-CsCertificate)');
    const editor = wb.page.locator('.monaco-editor .view-lines', { hasText: oauthThumbprint }).first();
    await editor.waitFor();
    // The editor renders the Format-List padding with non-breaking spaces: match within the line.
    assert.match(await editor.innerText(), /^Use\s+:\s+OAuthTokenIssuer\s*$/m);
    await wb.screenshot('wizard-09-get-cscertificate');
  });

  it('comes back on the same page after being hidden, and switches computer from its home page', async () => {
    // Get-CsCertificate's editor hid the wizard: its webview was unloaded and restores with `ready`.
    await wb.page.locator('.tabs-container .tab', { hasText: 'Certificate Wizard' }).click();
    await title('Certificate Wizard');
    assert.match(await frame.locator('tr[data-use="OAuthTokenIssuer"]').innerText(), /Assigned/);
    await click('close');
    await title('Skype for Business Server');
    await click('back');
    await title('Skype for Business Server Deployment Wizard');
    await frame.locator('#server').selectOption('fe02.contoso.com');
    await wb.page.locator('.tabs-container .tab', { hasText: 'fe02.contoso.com' }).waitFor();
    assert.equal(await frame.locator('#server').inputValue(), 'fe02.contoso.com');
  });

  it('imports a certificate whose subject is HTML through the wizard and shows it literally', async () => {
    await click('install-or-update');
    await click('run-step3');
    await title('Certificate Wizard');
    await click('import');
    await title('Import Certificate');
    assert.match(await frame.locator('label[for="import-path"]').innerText(), /Select Certificate file/);
    await frame.locator('#import-path').fill(XSS_FILE);
    await frame.locator('#import-password').fill('wrong password');
    await click('next');
    await frame.locator('#import-error').waitFor();
    assert.equal(await frame.locator('#import-password').inputValue(), '', 'the password field is cleared');
    assert.equal(await frame.locator('#import-path').inputValue(), XSS_FILE);
    await wb.screenshot('wizard-10-import-error');
    await frame.locator('#import-password').fill(XSS_PASSWORD);
    await click('next');

    await title('Import Certificate Summary');
    assert.match(await frame.locator('dl.fields').innerText(), XSS_SUBJECT);
    await wb.screenshot('wizard-11-import-summary');
    await click('next');
    await title('Executing Commands');
    assert.match(await frame.locator('#output').innerText(), /Import-CsCertificate -Path "C:\\xss-subject\.pfx" -Password \$pfxPassword[\s\S]*Task status: Completed\./);
    await click('finish');

    await title('Certificate Wizard');
    await frame.locator('tr[data-use="Default"]').click();
    await click('assign');
    await click('next');
    await title('Certificate Store');
    const row = frame.locator('tr', { hasText: 'onerror' }).first();
    await row.waitFor();
    assert.match(await row.locator('td.subject').innerText(), XSS_SUBJECT);
    assert.equal(await row.locator('.row-name').innerText(), XSS);
    assert.equal(await frame.locator('img').count(), 0, 'no element was injected');
    await wb.screenshot('wizard-12-xss-literal');
    await click('cancel');
    await title('Certificate Wizard');
    assert.deepEqual(dialogs, [], 'no dialog fired');
  });

  it('requests a certificate offline through the Certificate Request pages, then Process Pending Request imports the CA\'s answer', async () => {
    await title('Certificate Wizard');
    await frame.locator('tr[data-use="Default"]').click();
    for (const action of ['request', 'assign', 'remove', 'view', 'refresh', 'import']) assert.equal(await frame.locator(`[data-action="${action}"]`).isEnabled(), true, action);
    assert.equal(await frame.locator('[data-action="process-pending"]').isDisabled(), true);
    await wb.screenshot('wizard-20-certificate-wizard-buttons');
    await click('view');
    await title('View Certificate');
    await frame.locator('section.details').waitFor();
    await click('close');
    await title('Certificate Wizard');

    await click('request');
    await title('Certificate Request');
    await click('next');
    await title('Delayed or Immediate Requests');
    await frame.locator('label', { hasText: 'Prepare the request now, but send it later' }).click();
    await click('next');
    await title('Certificate Request File');
    await frame.locator('#form-requestFile').fill('C:\\Certificates\\fe02-default.req');
    await click('next');
    await title('Specify Alternate Certificate Template');
    await click('next');
    await title('Name and Security Settings');
    await frame.locator('#form-friendlyName').fill('fe02 default 2026');
    await frame.locator('label', { hasText: 'Mark the certificate' }).click();
    await click('next');
    await title('Organization Information');
    await frame.locator('#form-organization').fill('Contoso');
    await click('next');
    await title('Geographical Information');
    await frame.locator('#form-country').fill('US');
    await click('next');
    await title('Subject Name / Subject Alternative Names');
    assert.match(await frame.locator('#form').innerText(), /fe02\.contoso\.com/);
    await click('next');
    await title('SIP Domain setting on Subject Alternative Names \\(SANs\\)');
    await click('next');
    await title('Configure Additional Subject Alternative Names');
    await click('next');
    await title('Certificate Request Summary');
    assert.match(await frame.locator('pre.powershell').innerText(), /^Request-CsCertificate -New -Type Default -Output "C:\\Certificates\\fe02-default\.req" -ComputerFqdn "fe02\.contoso\.com" -FriendlyName "fe02 default 2026"/);
    assert.match(await frame.locator('ul.notes').innerText(), /\.key\.pem file beside the request file/);
    await wb.screenshot('wizard-21-request-summary');
    await click('next');
    await title('Executing Commands');
    assert.match(await frame.locator('#output').innerText(), /Task status: Completed\./);
    await wb.screenshot('wizard-22-request-executing');
    await click('finish');

    // The CA answers: a certificate for the request's public key, saved beside the request.
    await title('Certificate Wizard');
    const keyPem = fs.readFileSync(path.join(workspace, 'Certificates', 'fe02-default.key.pem'), 'utf8');
    assert.match(fs.readFileSync(path.join(workspace, 'Certificates', 'fe02-default.req'), 'utf8'), /BEGIN CERTIFICATE REQUEST/);
    const privateKey = createPrivateKey(keyPem);
    const answer = generateCertificate({ subject: { CN: 'pool01.contoso.com' }, dnsNames: ['pool01.contoso.com', 'fe02.contoso.com'], keyPair: { privateKey, publicKey: createPublicKey(privateKey) } });
    fs.writeFileSync(path.join(workspace, 'Certificates', 'fe02-default-answer.cer'), answer.der);
    await click('refresh');
    await frame.locator('[data-action="process-pending"]:not([disabled])').waitFor();
    await click('process-pending');
    await title('Process Pending Request');
    await frame.locator('#form-answer').fill('Certificates/fe02-default-answer.cer');
    await wb.screenshot('wizard-23-process-pending');
    await click('next');
    await title('Executing Commands');
    assert.match(await frame.locator('#output').innerText(), /Import-CsCertificate -Path "C:\\Certificates\\fe02-default-answer\.cer"[\s\S]*Task status: Completed\./);
    await click('finish');
    await title('Certificate Wizard');
    assert.equal(await frame.locator('[data-action="process-pending"]').isDisabled(), true);
  });

  it('follows the workbench colour theme: dark and high contrast, and back to light', async () => {
    const body = frame.locator('body');
    const background = () => body.evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor);
    const light = await background();
    for (const [theme, kind, shot] of [['Dark Modern', /\bvscode-dark\b/, 'wizard-13-dark'], ['Dark High Contrast', /\bvscode-high-contrast\b/, 'wizard-14-high-contrast'], ['Light Modern', /\bvscode-light\b/, '']] as const) {
      await wb.runCommand('Preferences: Color Theme');
      await wb.pickQuickItem(new RegExp(`^${theme}`));
      for (const deadline = Date.now() + 15000; !kind.test((await body.getAttribute('class')) ?? '');) {
        if (Date.now() > deadline) throw new Error(`the wizard did not switch to ${theme}: body class "${await body.getAttribute('class')}"`);
        await wb.page.waitForTimeout(100);
      }
      if (shot) {
        assert.notEqual(await background(), light, `${theme} changes the wizard's background`);
        await wb.screenshot(shot);
      } else {
        assert.equal(await background(), light);
      }
    }
  });
});
