// The Deployment Wizard panel inside the real VS Code extension host: the messages a user's clicks send go through
// `panel.receive` (the same validation path as the webview's), and the test checks the live store and the page the
// panel sent (`lastRender`). Invalid messages are refused and change nothing; opening twice reveals one panel.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { SAMPLE_CA, SAMPLE_PASSWORD, SAMPLE_FOLDER, generateCertificate, readCertificateFile, serializeDeployment, type Deployment, type StoredCertificate } from '../../src/core';
import { largeDeployment } from '../bench/largeDeployment';
import type { SfbCertificatesApi } from '../../src/extension';
import { WIZARD_VIEW_TYPE } from '../../src/shared/commands';
import type { PageBody, PageView, ToHost } from '../../src/shared/protocol';
import type { WizardPanel } from '../../src/ui/wizard/panel';
import { api, openSample, storeFile, waitFor } from './helpers';

const next: ToHost = { type: 'navigate', action: 'next' };
const finish: ToHost = { type: 'navigate', action: 'finish' };

function body<K extends PageBody['kind']>(page: PageView | undefined, kind: K): Extract<PageBody, { kind: K }> {
  assert.ok(page, 'the panel rendered a page');
  assert.equal(page.body.kind, kind, `page ${page.page} (${page.title})`);
  return page.body as Extract<PageBody, { kind: K }>;
}

function server(d: Deployment, fqdn: string) {
  const found = d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn);
  assert.ok(found, fqdn);
  return found;
}

/** The sample's good OAuth candidate on fe01 (CN=contoso.com, 2048 bits, private key) and its 1024-bit neighbour. */
function candidates(d: Deployment): { good: StoredCertificate; short: StoredCertificate } {
  const store = server(d, 'fe01.contoso.com').certificates;
  const good = store.find((c) => /^CN=contoso\.com\b/.test(c.subject) && c.keySize >= 2048 && c.hasPrivateKey);
  const short = store.find((c) => c.keySize < 2048);
  assert.ok(good && short, 'the sample has an OAuth candidate and a 1024-bit certificate on fe01');
  return { good, short };
}

/** The wizard tabs, once the workbench has reported them (tab changes reach the extension host asynchronously). */
async function wizardTabs(expected: number): Promise<number> {
  const count = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(WIZARD_VIEW_TYPE)).length;
  // Up to 30 s: a busy machine delays the workbench's report well past a few seconds (it returns as soon as it matches).
  for (let waited = 0; count() !== expected && waited < 30000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  return count();
}

/** Collects what the panel refuses (LiveStore.logRejected is the panel's only channel for it). */
function recordRejections(a: SfbCertificatesApi): { reasons: string[]; restore(): void } {
  const reasons: string[] = [];
  const original = a.live.logRejected;
  a.live.logRejected = (reason: string) => { reasons.push(reason); original.call(a.live, reason); };
  return { reasons, restore: () => { a.live.logRejected = original; } };
}

async function send(panel: WizardPanel, ...messages: ToHost[]): Promise<void> {
  for (const m of messages) await panel.receive(m);
}

describe('wizard panel in the extension host', function () {
  this.timeout(120000);
  let a: SfbCertificatesApi;

  before(async () => {
    a = await api();
    await openSample(a);
  });

  afterEach(() => a.wizardPanel()?.dispose());

  it('opens one panel: opening twice reveals it, optionally on another server', async () => {
    const first = a.openWizard('fe01.contoso.com');
    assert.equal(a.wizardPanel(), first);
    assert.equal(first.lastRender?.page, 'home');
    assert.equal(first.lastRender?.serverFqdn, 'fe01.contoso.com');
    await send(first, { type: 'ready' }, { type: 'installOrUpdate' });
    assert.equal(a.openWizard(), first, 'the same panel');
    assert.equal(first.lastRender?.page, 'steps', 'opening again without a server keeps the page');
    assert.equal(a.openWizard('fe02.contoso.com'), first);
    assert.deepEqual([first.lastRender?.page, first.lastRender?.serverFqdn], ['home', 'fe02.contoso.com']);
    assert.equal(await wizardTabs(1), 1);
    await vscode.commands.executeCommand('sfbCertificates.openWizard', { kind: 'server', id: 'server/fe03.contoso.com', serverFqdn: 'fe03.contoso.com' });
    assert.equal(a.wizardPanel(), first);
    assert.equal(first.lastRender?.serverFqdn, 'fe03.contoso.com');
    assert.equal(await wizardTabs(1), 1);
    first.dispose();
    assert.equal(a.wizardPanel(), undefined);
    assert.equal(await wizardTabs(0), 0);
  });

  it('a new panel sends its first page with the HTML: the webview draws it, says ready, and is sent nothing more until something changes', async () => {
    await vscode.commands.executeCommand('sfbCertificates.openWizard', { kind: 'server', id: 'server/fe01.contoso.com', serverFqdn: 'fe01.contoso.com' });
    const panel = a.wizardPanel()!;
    assert.equal(panel.sentWithHtml?.page, 'home', 'the first page went with the HTML');
    assert.equal(panel.lastRender, panel.sentWithHtml);
    await waitFor('the webview to say ready', () => panel.readyAt !== undefined);
    assert.equal(panel.posted, 0, 'no render message: the webview drew the page from its HTML');
    await send(panel, { type: 'installOrUpdate' });
    assert.ok(panel.posted >= 1, 'the next page is sent');
  });

  it('assigns the OAuthTokenIssuer certificate through every page, and the store follows', async () => {
    const { good } = candidates(a.live.state!);
    const panel = a.openWizard('fe01.contoso.com');
    await send(panel, { type: 'ready' }, { type: 'installOrUpdate' });
    assert.equal(body(panel.lastRender, 'steps').steps[2].run.label, 'Run Again');
    await send(panel, { type: 'runStep3' });
    const oauthRow = () => body(panel.lastRender, 'certificates').rows.find((r) => r.id === 'OAuthTokenIssuer')!;
    assert.equal(oauthRow().status.text, 'Not assigned');
    await send(panel, { type: 'selectUse', use: 'OAuthTokenIssuer' }, { type: 'assign' });
    assert.equal(panel.lastRender?.title, 'Certificate Assignment');
    await send(panel, next, { type: 'selectCertificate', thumbprint: good.thumbprint }, next);
    assert.equal(panel.lastRender?.title, 'Certificate Assignment Summary');
    // Issue #14 point 4 (C3): the subject alternative names are on the summary, for the admin to check.
    const sans = body(panel.lastRender, 'summary').items.find((i) => i.label === 'Subject alternative names');
    assert.equal(sans?.value, good.subjectAlternativeNames.map((n) => `DNS Name=${n.value}`).join(', '));
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer, undefined, 'nothing changes before the summary\'s Next');
    await send(panel, next);

    assert.equal(panel.lastRender?.title, 'Executing Commands');
    const executing = body(panel.lastRender, 'executing');
    assert.match(executing.commands[0].powershell,
      new RegExp(`^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${good.thumbprint} -Confirm:\\$false -Report "\\$env:TEMP\\\\Set-CSCertificate-\\[\\d{4}_\\d\\d_\\d\\d\\]\\[\\d\\d_\\d\\d_\\d\\d\\]\\.html"$`));
    assert.equal(executing.status.text, 'Task status: Completed.');
    const d = a.live.state!;
    assert.equal(d.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, good.thumbprint);
    for (const fe of ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'se01.dublin.contoso.com']) {
      assert.equal(server(d, fe).assignments.OAuthTokenIssuer?.current?.thumbprint, good.thumbprint, `${fe} got the certificate by replication`);
    }
    assert.ok(executing.replication!.rows.filter((r) => /Front End|Standard Edition/.test(r.role)).every((r) => /deployed/.test(r.status.text)));
    const onDisk = JSON.parse(fs.readFileSync(storeFile(), 'utf8'));
    assert.equal(onDisk.cms.assignments.OAuthTokenIssuer.current.thumbprint, good.thumbprint, 'saved to the deployment file');

    await send(panel, { type: 'viewLog' }, finish);
    assert.equal(panel.lastRender?.title, 'Certificate Wizard');
    assert.deepEqual([oauthRow().thumbprint, oauthRow().location, oauthRow().status.text], [good.thumbprint, 'Global', 'Assigned']);
  });

  it('refuses invalid messages, unknown thumbprints and servers, and rule-blocked certificates: nothing changes', async () => {
    const { short } = candidates(a.live.state!);
    const panel = a.openWizard('fe01.contoso.com');
    await send(panel, { type: 'ready' }, { type: 'installOrUpdate' }, { type: 'runStep3' }, { type: 'selectUse', use: 'OAuthTokenIssuer' }, { type: 'assign' }, next);
    assert.equal(panel.lastRender?.title, 'Certificate Store');
    assert.equal(body(panel.lastRender, 'store').certificates.find((c) => c.thumbprint === short.thumbprint)?.selectable, false);
    const state = a.live.state;
    const page = JSON.stringify(panel.lastRender);
    const rejections = recordRejections(a);
    try {
      await panel.receive('next');
      await panel.receive({ type: 'navigate', action: 'next', force: true });
      await panel.receive({ type: 'selectCertificate', thumbprint: 'not-a-thumbprint' });
      await panel.receive({ type: 'selectCertificate', thumbprint: '0'.repeat(40) });
      await panel.receive({ type: 'selectCertificate', thumbprint: short.thumbprint });
      await panel.receive({ type: 'viewCertificateDetails', thumbprint: 'F'.repeat(40) });
      await panel.receive({ type: 'pickServer', serverFqdn: 'ghost.contoso.com' });
      await panel.receive({ type: 'setReplicate', checked: false });
      await panel.receive({ type: 'requestImport', path: 'x'.repeat(5000), hasPrivateKey: true, password: 'p' });
    } finally {
      rejections.restore();
    }
    assert.equal(rejections.reasons.length, 9, rejections.reasons.join('\n'));
    assert.match(rejections.reasons.join('\n'), /not a plain object[\s\S]*unexpected field "force"[\s\S]*40 uppercase[\s\S]*no certificate 0{40}[\s\S]*cannot be chosen/);
    assert.equal(a.live.state, state, 'the deployment is the same object: nothing ran');
    assert.equal(JSON.stringify(panel.lastRender), page, 'the page is unchanged');
  });

  it('follows changes made elsewhere while open', async () => {
    const panel = a.openWizard('fe01.contoso.com');
    await send(panel, { type: 'ready' }, { type: 'installOrUpdate' }, { type: 'runStep3' });
    const status = () => body(panel.lastRender, 'certificates').rows.find((r) => r.id === 'OAuthTokenIssuer')!.status.text;
    assert.equal(status(), 'Assigned');
    const outcome = await a.live.run({ cmdlet: 'Remove-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'] });
    assert.ok(outcome.ok);
    assert.equal(status(), 'Not assigned');
    await vscode.commands.executeCommand('sfbCertificates.undo');
    assert.equal(status(), 'Assigned');
  });

  it('imports a PFX into this server\'s store; a wrong password shows the reader\'s error and changes nothing; the password is never sent back', async () => {
    // fe01's Default certificate, as a PFX the sample wrote: fe02 does not hold it.
    const file = `${SAMPLE_FOLDER}/fe01-default.pfx`;
    assert.ok(fs.existsSync(path.join(path.dirname(storeFile()), file)), 'the sample wrote its PFX files');
    const panel = a.openWizard('fe02.contoso.com');
    await send(panel, { type: 'ready' }, { type: 'installOrUpdate' }, { type: 'runStep3' }, { type: 'openImport' });
    assert.equal(panel.lastRender?.title, 'Import Certificate');

    const before = a.live.state;
    await send(panel, { type: 'requestImport', path: file, hasPrivateKey: true, password: 'not the password' });
    assert.equal(panel.lastRender?.title, 'Import Certificate');
    assert.match(body(panel.lastRender, 'import-form').error ?? '', /fe01-default\.pfx/);
    assert.equal(a.live.state, before, 'nothing changed');

    await send(panel, { type: 'requestImport', path: file, hasPrivateKey: true, password: SAMPLE_PASSWORD });
    assert.equal(panel.lastRender?.title, 'Import Certificate Summary');
    const thumbprint = body(panel.lastRender, 'summary').items.find((i) => i.label === 'Thumbprint')!.value;
    assert.ok(!server(a.live.state!, 'fe02.contoso.com').certificates.some((c) => c.thumbprint === thumbprint));
    await send(panel, next);
    assert.equal(panel.lastRender?.title, 'Executing Commands');
    assert.match(body(panel.lastRender, 'executing').commands[0].powershell, /^Import-CsCertificate -Path "C:\\sample-certificates\\fe01-default\.pfx" -Password \$pfxPassword$/);
    assert.ok(server(a.live.state!, 'fe02.contoso.com').certificates.some((c) => c.thumbprint === thumbprint), 'imported into fe02\'s store');
    assert.ok(!JSON.stringify(panel.lastRender).includes(SAMPLE_PASSWORD), 'the password is not in the page');
    assert.ok(!fs.readFileSync(storeFile(), 'utf8').includes(SAMPLE_PASSWORD), 'nor in the deployment file');
    await send(panel, finish);
    assert.equal(panel.lastRender?.title, 'Certificate Wizard');
  });

  it('Request: an offline request writes the request and its key file under C:\\, then Process Pending Request imports the CA\'s answer with that key', async () => {
    const form = (values: Record<string, string | boolean | string[]>): ToHost => ({ type: 'form', values });
    const dir = path.dirname(storeFile());
    const panel = a.openWizard('fe03.contoso.com');
    await send(panel, { type: 'ready' }, { type: 'installOrUpdate' }, { type: 'runStep3' }, { type: 'selectUse', use: 'WebServicesInternal' }, { type: 'openRequest' }, next);
    assert.equal(panel.lastRender?.title, 'Delayed or Immediate Requests');
    await send(panel, form({ mode: 'offline' }), form({ requestFile: 'C:\\Requests\\fe03-web.req' }), form({ useTemplate: false, template: '' }),
      form({ friendlyName: 'fe03 web 2026', keySize: '2048', exportable: true }), form({ organization: 'Contoso', ou: '' }), form({ country: 'US', state: '', city: '' }), next,
      form({ sipDomains: ['contoso.com'] }), form({ extra: '' }));
    assert.equal(panel.lastRender?.title, 'Certificate Request Summary');
    await send(panel, next);
    assert.equal(panel.lastRender?.title, 'Executing Commands');
    const run = body(panel.lastRender, 'executing');
    assert.equal(run.status.text, 'Task status: Completed.', run.commands[0].output.join(' '));
    assert.ok(run.commands[0].output.some((l) => l.includes('C:\\Requests\\fe03-web.key.pem')));
    const csr = fs.readFileSync(path.join(dir, 'Requests', 'fe03-web.req'), 'utf8');
    assert.match(csr, /BEGIN CERTIFICATE REQUEST/);
    const keyPem = fs.readFileSync(path.join(dir, 'Requests', 'fe03-web.key.pem'), 'utf8');
    assert.ok(!fs.readFileSync(storeFile(), 'utf8').includes('PRIVATE KEY'), 'the key is not in the deployment file');
    assert.equal(server(a.live.state!, 'fe03.contoso.com').pendingRequests?.length, 1);

    // The CA answers (the test CA signs the request's key); Process Pending Request pairs it with the key file.
    const ca = readCertificateFile(fs.readFileSync(path.join(dir, SAMPLE_CA.path)), { password: SAMPLE_PASSWORD });
    assert.ok(ca.ok);
    const privateKey = createPrivateKey(keyPem);
    const answer = generateCertificate({ subject: { CN: 'pool01.contoso.com' }, keyPair: { privateKey, publicKey: createPublicKey(privateKey) } });
    fs.writeFileSync(path.join(dir, 'Requests', 'fe03-web-answer.cer'), answer.der);
    await send(panel, finish, { type: 'openPending' });
    assert.equal(panel.lastRender?.title, 'Process Pending Request');
    await send(panel, form({ request: 'Requests/fe03-web.req', answer: 'Requests/fe03-web-answer.cer' }));
    const pending = body(panel.lastRender, 'executing');
    assert.equal(pending.status.text, 'Task status: Completed.');
    assert.equal(pending.commands[0].powershell, 'Import-CsCertificate -Path "C:\\Requests\\fe03-web-answer.cer"', 'the line names the answer on the Front End');
    assert.equal(a.live.state!.history.at(-1)!.powershell, pending.commands[0].powershell, 'the history records the same line');
    const fe03 = server(a.live.state!, 'fe03.contoso.com');
    assert.equal(fe03.pendingRequests?.length, 0);
    assert.ok(fe03.certificates.some((c) => c.friendlyName === 'fe03 web 2026' && c.hasPrivateKey && c.exportable));
  });

  it('Request from the sample\'s test CA: issued into the store at once; Remove and View act on the selected use', async () => {
    const form = (values: Record<string, string | boolean | string[]>): ToHost => ({ type: 'form', values });
    const panel = a.openWizard('fe02.contoso.com');
    await send(panel, { type: 'ready' }, { type: 'installOrUpdate' }, { type: 'runStep3' }, { type: 'selectUse', use: 'Default' }, { type: 'openRequest' }, next, form({ mode: 'test-ca' }));
    assert.equal(panel.lastRender?.title, 'Choose a Certificate Authority (CA)');
    await send(panel, form({ ca: SAMPLE_CA.name }), form({ useTemplate: false, template: '' }), form({ friendlyName: 'fe02 lab default', keySize: '2048', exportable: false }),
      form({ organization: '', ou: '' }), form({ country: '', state: '', city: '' }), next, form({ sipDomains: [] }), form({ extra: '' }), next);
    assert.equal(body(panel.lastRender, 'executing').status.text, 'Task status: Completed.');
    assert.ok(server(a.live.state!, 'fe02.contoso.com').certificates.some((c) => c.friendlyName === 'fe02 lab default' && c.issuer === `CN=${SAMPLE_CA.name}`));
    await send(panel, finish, { type: 'openView' });
    assert.equal(panel.lastRender?.title, 'View Certificate');
    await send(panel, { type: 'navigate', action: 'close' }, { type: 'openRemove' }, next);
    assert.equal(body(panel.lastRender, 'executing').commands[0].powershell, 'Remove-CsCertificate -Type Default');
    assert.equal(server(a.live.state!, 'fe02.contoso.com').assignments.Default?.current, undefined);
    await vscode.commands.executeCommand('sfbCertificates.undo');
  });

  it('refuses a FIFO, a device, a folder and an oversized file on the Import page at once, with what to do; nothing changes', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = path.dirname(storeFile());
    const fifo = path.join(dir, 'waiting.pfx');
    fs.rmSync(fifo, { force: true });
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    fs.writeFileSync(path.join(dir, 'huge.pfx'), Buffer.alloc(2 * 1024 * 1024, 0x30));
    try {
      const panel = a.openWizard('fe02.contoso.com');
      await send(panel, { type: 'ready' }, { type: 'installOrUpdate' }, { type: 'runStep3' }, { type: 'openImport' });
      assert.equal(panel.lastRender?.title, 'Import Certificate');
      const before = a.live.state;
      const refused: [string, RegExp][] = [
        ['waiting.pfx', /^waiting\.pfx is a named pipe \(FIFO\), not a file: reading it could wait forever or never end\. Choose the certificate file itself/],
        ['/dev/zero', /^\/dev\/zero is a device, not a file/],
        [SAMPLE_FOLDER, /is a folder\. Name the certificate file itself\./],
        ['huge.pfx', /^huge\.pfx is larger than 1 MiB, far larger than any certificate file\./],
        ['missing.pfx', /^No such file: missing\.pfx\. Check the path\. Relative paths start at the workspace folder\./],
      ];
      for (const [file, message] of refused) {
        await send(panel, { type: 'requestImport', path: file, hasPrivateKey: true, password: SAMPLE_PASSWORD });
        assert.equal(panel.lastRender?.title, 'Import Certificate', file);
        assert.match(body(panel.lastRender, 'import-form').error ?? '', message);
      }
      assert.equal(a.live.state, before, 'nothing changed');
    } finally {
      fs.rmSync(fifo, { force: true });
      fs.rmSync(path.join(dir, 'huge.pfx'), { force: true });
    }
  });

  it('restores the page the webview saved when it says ready', async () => {
    const panel = a.openWizard('fe01.contoso.com');
    await panel.receive({ type: 'ready', state: { serverFqdn: 'fe02.contoso.com', page: 'certificates', selection: { use: 'Default' } } });
    assert.deepEqual([panel.lastRender?.page, panel.lastRender?.serverFqdn, body(panel.lastRender, 'certificates').selected], ['certificates', 'fe02.contoso.com', 'Default']);
    // Once the user has acted, a reloaded webview's saved state no longer overrides the host's.
    await send(panel, { type: 'navigate', action: 'close' });
    await panel.receive({ type: 'ready', state: { serverFqdn: 'fe01.contoso.com', page: 'certificates', selection: {} } });
    assert.deepEqual([panel.lastRender?.page, panel.lastRender?.serverFqdn], ['steps', 'fe02.contoso.com']);
  });

  it('on a large topology the home page sent with the HTML lists 200 computers, and the text typed narrows the list', async () => {
    fs.writeFileSync(storeFile(), serializeDeployment(largeDeployment(1260)));
    await a.live.load();
    try {
      await vscode.commands.executeCommand('sfbCertificates.openWizard', { kind: 'server', id: 'server/fe1250.contoso.com', serverFqdn: 'fe1250.contoso.com' });
      const panel = a.wizardPanel()!;
      const home = body(panel.sentWithHtml, 'home');
      assert.equal(home.servers.length, 201, 'the first 200 and the chosen one');
      assert.deepEqual(home.filter, { text: '', matching: 1260, total: 1260, limit: 200 });
      await waitFor('the webview to say ready', () => panel.readyAt !== undefined);
      assert.equal(panel.posted, 0, 'the webview drew the page from its HTML');
      await send(panel, { type: 'filterServers', text: 'pool104' });
      assert.deepEqual(body(panel.lastRender, 'home').servers.map((s) => s.fqdn), Array.from({ length: 12 }, (_, i) => `fe${1248 + i}.contoso.com`));
      await send(panel, { type: 'pickServer', serverFqdn: 'fe1249.contoso.com' }, { type: 'installOrUpdate' });
      assert.deepEqual([panel.lastRender?.page, panel.lastRender?.serverFqdn], ['steps', 'fe1249.contoso.com']);
    } finally {
      a.wizardPanel()?.dispose();
      await openSample(a);
    }
  });
});
