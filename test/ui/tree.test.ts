// The sidebar as a user sees it, in Chromium against the real workbench: the welcome view, the sample
// deployment's tree, a certificate's context menu → Assign as OAuthTokenIssuer, Replicate Now, and the palette's
// Import Certificate… with a real PFX and its password. Screenshots go to test/ui/screenshots/.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCertificate, writePfx } from '../../src/core';
import { TEST_CRL_DISTRIBUTION_POINTS } from '../fixtures/crl';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');

describe('UI: welcome view', function () {
  let wb: Workbench;
  before(async () => { wb = await Workbench.open(); });
  after(async () => { await wb?.close(); });

  it('shows the activity-bar container and the welcome view when the workspace has no deployment', async () => {
    await wb.openContainer();
    const welcome = wb.sidebar.locator('.welcome-view-content');
    await welcome.waitFor();
    assert.match(await welcome.innerText(), /No Skype for Business deployment in this workspace yet/);
    await wb.sidebar.locator('a.monaco-button', { hasText: 'Open the Sample Deployment' }).waitFor();
    await wb.screenshot('01-welcome');
  });

  it('opens the sample deployment from the welcome view', async () => {
    await wb.sidebar.locator('a.monaco-button', { hasText: 'Open the Sample Deployment' }).click();
    await wb.row('Central Management Store').waitFor({ timeout: 60000 });
    await wb.row('OAuthTokenIssuer (global)').waitFor();
    assert.match(await wb.row('OAuthTokenIssuer (global)').innerText(), /none$/);
    assert.ok(fs.existsSync(path.join(wb.workspace, 'sfb-deployment.json')));
  });
});

describe('UI: tree, context menu and palette on the sample deployment', function () {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.open((ws) => {
      execFileSync(process.execPath, [cli, 'sample', '--out', path.join(ws, 'sfb-deployment.json')], { stdio: 'pipe' });
    });
    await wb.openContainer();
  });
  after(async () => { await wb?.close(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.screenshot(`FAILED-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('shows the CMS, sites, pools and Front Ends', async () => {
    await wb.row('OAuthTokenIssuer (global)').waitFor();
    await wb.row('pool01.contoso.com').waitFor();
    await wb.expand('fe01.contoso.com');
    await wb.row('Default').waitFor();
    await wb.screenshot('02-tree-sample');
  });

  /** The thumbprint of the certificate with this friendly name in the workspace's deployment file. */
  const thumbprintOf = (friendlyName: string): string => {
    const state = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'sfb-deployment.json'), 'utf8'));
    const all = [...state.cms.certificates, ...state.pools.flatMap((p: { servers: { certificates: unknown[] }[] }) => p.servers.flatMap((s) => s.certificates))];
    return all.find((c: { friendlyName?: string }) => c.friendlyName === friendlyName).thumbprint;
  };

  it('shows a certificate tooltip with its details', async () => {
    await wb.expand('Local certificate store');
    // The row: the subject's common name (the only one issued to contoso.com here, so no thumbprint digits); the
    // tooltip: the friendly name and the rest.
    const row = wb.row('contoso.com');
    assert.equal((await row.innerText()).trim(), 'contoso.com');
    const twins = await wb.sidebar.locator('.monaco-list-row', { hasText: /^pool01\.contoso\.com[0-9A-F]{6}$/ }).count();
    assert.ok(twins >= 3, 'the pool\'s Default and web certificates: the name and the thumbprint\'s first digits');
    await row.hover();
    const hover = wb.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Thumbprint' }).first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /Contoso server-to-server \(web server\)[\s\S]*Issuer/);
    await wb.page.screenshot({ path: path.join(repoRoot, 'test', 'ui', 'screenshots', '03-tooltip.png') });
    await wb.page.mouse.move(1, 1);
  });

  it('assigns a certificate as OAuthTokenIssuer from its context menu, then Replicate Now deploys it to every Front End', async () => {
    const candidate = wb.row('contoso.com');
    await candidate.waitFor();
    await wb.contextMenu(candidate, 'Assign as OAuthTokenIssuer');
    await wb.expand('OAuthTokenIssuer (global)');
    // The global slot's first row (the tree lists it before the servers' slots): Current, the thumbprint's digits, the days left.
    await wb.waitForText(wb.row('Current'), new RegExp(`^Current\\s*${thumbprintOf('Contoso server-to-server (web server)').slice(0, 8)} · \\d+ d left$`));
    await wb.waitForText(wb.row('fe02.contoso.com'), /behind$/);
    await wb.screenshot('04-after-assign');
    await wb.runCommand('SfB Certificates: Replicate Now (Invoke-CsManagementStoreReplication)');
    await wb.waitForText(wb.row('fe02.contoso.com'), /behind$/, true);
    const stateFile = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'sfb-deployment.json'), 'utf8'));
    const oauth = stateFile.cms.assignments.OAuthTokenIssuer.current.thumbprint;
    const frontEnds = stateFile.pools.filter((p: { kind: string }) => p.kind === 'FrontEndEnterprise' || p.kind === 'StandardEdition').flatMap((p: { servers: unknown[] }) => p.servers);
    assert.ok(frontEnds.length >= 3);
    for (const fe of frontEnds) assert.equal(fe.assignments.OAuthTokenIssuer?.current?.thumbprint, oauth, fe.fqdn);
    await wb.expand('fe02.contoso.com');
    await wb.screenshot('05-after-replication');
  });

  it('imports a real PFX from the palette with its password', async () => {
    const pfx = path.join(wb.workspace, 'oauth-2027.pfx');
    const cert = generateCertificate({ subject: { CN: 'contoso.com', O: 'Contoso' }, dnsNames: ['contoso.com', 'fabrikam.com'], keySize: 2048, crlDistributionPoints: TEST_CRL_DISTRIBUTION_POINTS });
    fs.writeFileSync(pfx, writePfx(cert, 'Imp0rt!Pass', { friendlyName: 'OAuth 2027' }));
    await wb.runCommand('SfB Certificates: Import Certificate…');
    await wb.pickQuickItem('Import and assign as OAuthTokenIssuer (global)');
    // The browser build uses VS Code's own file dialog: type the path into it.
    await wb.chooseFile(pfx, /Certificate file/);
    await wb.typeIntoInputBox('Imp0rt!Pass', /Password of oauth-2027\.pfx/);
    // An OAuthTokenIssuer certificate is already current (the test before assigned one): replacing it asks first.
    await wb.answerDialog(/Replace the current OAuthTokenIssuer certificate now\?/, 'Replace');
    await wb.expand('OAuthTokenIssuer (global)');
    // The global slot's Current row shows the first digits of the certificate the import made current.
    // (The save is asynchronous: read the file once it holds the new current certificate.)
    const earlier = thumbprintOf('Contoso server-to-server (web server)');
    let state = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'sfb-deployment.json'), 'utf8'));
    for (let i = 0; i < 100 && state.cms.assignments.OAuthTokenIssuer.current.thumbprint === earlier; i++) {
      await wb.page.waitForTimeout(100);
      state = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'sfb-deployment.json'), 'utf8'));
    }
    const imported = state.cms.assignments.OAuthTokenIssuer.current.thumbprint as string;
    assert.notEqual(imported, earlier);
    assert.equal(state.cms.certificates.find((c: { thumbprint: string }) => c.thumbprint === imported)?.keySize, 2048);
    await wb.waitForText(wb.row('Current'), new RegExp(`^Current\\s*${imported.slice(0, 8)} · \\d+ d left$`));
    await wb.screenshot('06-after-import');
  });
});
