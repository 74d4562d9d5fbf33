// The SfB Management Shell in the real workbench, typed into with the keyboard in Chromium: opened from the
// palette, Tab completion of a cmdlet, the seed's Import line changing the deployment (the status bar follows), ↑ recalling an earlier line, and
// a screenshot of the session for the README (test/ui/screenshots/).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const PROMPT = 'PS C:\\Users\\Administrator>';

describe('UI: SfB Management Shell', function () {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.open((ws) => {
      execFileSync(process.execPath, [cli, 'sample', '--out', path.join(ws, 'sfb-deployment.json')], { stdio: 'pipe' });
      // The DOM renderer puts the terminal's rows in the page, where the test can read them.
      fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'terminal.integrated.gpuAcceleration': 'off' }));
    });
    await wb.openContainer();
  });
  after(async () => { await wb?.close(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.screenshot(`FAILED-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const rows = () => wb.page.locator('.terminal-wrapper.active .xterm-rows, .terminal-wrapper .xterm-rows').first();
  /** The terminal's visible text, with the DOM renderer's no-break spaces as spaces. */
  const screen = async () => (await rows().innerText()).replace(/\u00a0/g, ' ');
  const lastLine = async () => (await screen()).split('\n').map((l) => l.trimEnd()).filter(Boolean).at(-1) ?? '';

  async function waitForLastLine(expected: string): Promise<void> {
    const deadline = Date.now() + 30000;
    while ((await lastLine()) !== expected) {
      if (Date.now() > deadline) throw new Error(`The terminal's last line is "${await lastLine()}", not "${expected}"`);
      await wb.page.waitForTimeout(100);
    }
  }

  const oauthStatus = () => wb.page.locator('.statusbar-item', { hasText: 'OAuth cert' }).first();

  it('opens from the palette with the Management Shell prompt', async () => {
    await wb.waitForText(oauthStatus(), /none assigned/);
    await wb.runCommand('SfB Certificates: Open Management Shell');
    await wb.page.locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: 'SfB Management Shell' }).first().waitFor().catch(() => undefined);
    await waitForLastLine(PROMPT);
  });

  it('completes a cmdlet with Tab and runs the seed\'s lines as typed: the status bar follows', async () => {
    // xterm.js takes keys through its hidden textarea; a click on the rows lands on the terminal's widget overlay.
    await wb.page.locator('.terminal-wrapper.active .xterm-helper-textarea, .terminal-wrapper .xterm-helper-textarea').first().focus();
    await wb.page.keyboard.type('Get-CsCert');
    await wb.page.keyboard.press('Tab');
    await waitForLastLine(`${PROMPT} Get-CsCertificate`);
    await wb.page.keyboard.type(' -Type OAuthTokenIssuer');
    await wb.page.keyboard.press('Enter');
    await waitForLastLine(PROMPT);
    await wb.page.keyboard.type('Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx  -Password "P@ssw0rd"');
    await wb.page.keyboard.press('Enter');
    await wb.waitForText(oauthStatus(), /expires in/);
    await waitForLastLine(PROMPT);
    // The article's next step happens by itself on real servers; the model replicates when asked.
    await wb.page.keyboard.type('Invoke-CsManagementStoreReplication');
    await wb.page.keyboard.press('Enter');
    await waitForLastLine(PROMPT);
  });

  it('recalls an earlier line with ↑ and runs it again: Get-CsCertificate now lists the certificate', async () => {
    for (let i = 0; i < 3; i++) await wb.page.keyboard.press('ArrowUp'); // past the Invoke and Import lines
    await waitForLastLine(`${PROMPT} Get-CsCertificate -Type OAuthTokenIssuer`);
    await wb.page.keyboard.press('Enter');
    const deadline = Date.now() + 30000;
    while (!/Thumbprint\s*:/.test(await screen())) {
      if (Date.now() > deadline) throw new Error(`No certificate listed:\n${await screen()}`);
      await wb.page.waitForTimeout(100);
    }
    await waitForLastLine(PROMPT);
    assert.match(await screen(), /Get-CsCertificate -Type OAuthTokenIssuer[\s\S]*Thumbprint\s*:/);
    await wb.screenshot('08-management-shell');
  });
});
