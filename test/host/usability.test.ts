// What a first-time admin meets walking the seed procedure (issue 15), inside the real extension host: the messages,
// confirmations, clipboard text and tooltips, as the commands show them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateCertificate, writePfx, readCertificateFile, SAMPLE_PASSWORD } from '../../src/core';
import type { SfbCertificatesApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeModel';
import { api, captureMessages, openSample, withAnswers, workspaceDir, waitFor } from './helpers';
import { TEST_CRL_DISTRIBUTION_POINTS } from '../fixtures/crl';

const run = (id: string, node?: TreeNode) => vscode.commands.executeCommand(`sfbCertificates.${id}`, node);
const GLOBAL_SLOT: TreeNode = { kind: 'slot', id: 'cms/OAuthTokenIssuer', use: 'OAuthTokenIssuer', path: 'cms.assignments.OAuthTokenIssuer' };
const certNode = (serverFqdn: string, thumbprint: string): TreeNode => ({ kind: 'certificate', id: `server/${serverFqdn}/store/${thumbprint}`, serverFqdn, thumbprint, path: '' });

function newOAuthPfx(name: string, password: string): { file: string; thumbprint: string } {
  const cert = generateCertificate({ subject: { CN: 'contoso.com' }, dnsNames: ['contoso.com'], keySize: 2048, crlDistributionPoints: TEST_CRL_DISTRIBUTION_POINTS, notAfter: new Date(Date.now() + 2 * 365 * 86400000) });
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, writePfx(cert, password, { friendlyName: name }));
  const read = readCertificateFile(fs.readFileSync(file), { password });
  if (!read.ok) throw new Error(read.error.message);
  return { file, thumbprint: read.record.thumbprint };
}

describe('usability: what the user meets (issue 15)', function () {
  this.timeout(120000);
  let a: SfbCertificatesApi;

  before(async () => {
    a = await api();
    await openSample(a);
  });

  it('Get Certificate after a global import, before replication: names the computer, says the replica has not applied it, offers Replicate Now (not Import)', async () => {
    const { file } = newOAuthPfx('first-oauth.pfx', 'F1rst!');
    await withAnswers(a, [file, 'F1rst!'], () => run('importCertificate', GLOBAL_SLOT));
    const { shown } = await captureMessages(() => run('getCertificate'));
    const warning = shown.find((m) => m.severity === 'warning');
    assert.ok(warning, `a warning: ${JSON.stringify(shown)}`);
    assert.match(warning.message, /ran on fe01\.contoso\.com/);
    assert.match(warning.message, /global OAuthTokenIssuer assignment exists/);
    assert.match(warning.message, /version \d+ of \d+ and has not applied it yet/);
    assert.deepEqual(warning.buttons, ['Replicate Now', 'Show Global']);
    assert.match(a.documents.text('Get-CsCertificate') ?? '', /# Ran on fe01\.contoso\.com[\s\S]*has not applied it yet/);
    // The offered button replicates; afterwards the same command returns the certificate.
    await captureMessages(() => run('getCertificate'), (m) => (m.buttons.includes('Replicate Now') ? 'Replicate Now' : undefined));
    await waitFor('replication', () => a.live.state!.pools.flatMap((p) => p.servers).every((s) => s.replica.unreachable || s.replica.appliedVersion === a.live.state!.cms.version));
    const after = await captureMessages(() => run('getCertificate'));
    assert.equal(after.shown.filter((m) => m.severity === 'warning').length, 0);
    assert.match(a.documents.text('Get-CsCertificate') ?? '', /Use\s+: OAuthTokenIssuer/);
  });

  it('the global slot\'s tooltip gives the current / pending / previous certificates, the CMS version and how many replicas applied it', async () => {
    const item = a.provider.resolveTreeItem(new vscode.TreeItem('x'), GLOBAL_SLOT);
    const tip = (item.tooltip as vscode.MarkdownString).value;
    const d = a.live.state!;
    assert.match(tip, new RegExp(`Current: .*${d.cms.assignments.OAuthTokenIssuer!.current!.thumbprint}`));
    assert.match(tip, /Pending roll: none/);
    assert.match(tip, /Previous: /);
    const fes = d.pools.filter((p) => p.kind === 'FrontEndEnterprise' || p.kind === 'StandardEdition').flatMap((p) => p.servers).length;
    assert.match(tip, new RegExp(`Central Management store version ${d.cms.version} · applied by ${fes} of ${fes} Front End replicas`));
  });

  it('replacing the current OAuth certificate asks first, saying what happens and the cmdlet; Cancel changes nothing', async () => {
    const { file, thumbprint } = newOAuthPfx('second-oauth.pfx', 'S3cond!');
    const fe = 'fe02.contoso.com';
    await withAnswers(a, ['Import-CsCertificate -Path', file, 'S3cond!'], () => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe }));
    const before = a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint;
    const cancelled = await withAnswers(a, ['Cancel'], () => run('assignOAuth', certNode(fe, thumbprint)));
    assert.match(cancelled.prompter.asked[0], /Replace the current OAuthTokenIssuer certificate/);
    const detail = cancelled.prompter.details[0];
    assert.match(detail, new RegExp(`^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${thumbprint}`));
    assert.match(detail, new RegExp(`${before}\\) stops signing tokens at once and becomes the previous`));
    assert.match(detail, /Every Front End \(\d+\) gets the new certificate when the Central Management store replicates/);
    assert.match(detail, /Partner applications such as Exchange/);
    assert.match(detail, /SfB Certificates' rule/, 'the unconfirmed part is labelled');
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint, before, 'Cancel changes nothing');
    await withAnswers(a, ['Replace'], () => run('assignOAuth', certNode(fe, thumbprint)));
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint, thumbprint);
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.previous!.thumbprint, before);
  });

  it('Copy as PowerShell: paste-ready (password read first, a path on the server, $x for the Default certificate) and says "Copied"', async () => {
    const { file } = newOAuthPfx('third-oauth.pfx', 'Th1rd!');
    await withAnswers(a, [file, 'Th1rd!', 'Replace'], () => run('importCertificate', GLOBAL_SLOT));
    const { shown } = await captureMessages(() => run('copyAsPowerShell'));
    const text = await vscode.env.clipboard.readText();
    const lines = text.split('\n');
    assert.match(lines[0], /^# Run in the Skype for Business Server Management Shell on /);
    assert.equal(lines[1], '$pfxPassword = Read-Host -AsSecureString "PFX password"');
    assert.equal(lines[2], 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path "C:\\third-oauth.pfx" -Password $pfxPassword');
    assert.doesNotMatch(text, new RegExp(workspaceDir().replace(/[\\/.]/g, '.')), 'no path of this machine');
    assert.ok(shown.some((m) => m.severity === 'info' && /^Copied PowerShell to the clipboard/.test(m.message)), JSON.stringify(shown));

    const fe01 = a.live.state!.pools.flatMap((p) => p.servers).find((s) => s.fqdn === 'fe01.contoso.com')!;
    await captureMessages(() => run('copyAsPowerShell', certNode(fe01.fqdn, fe01.assignments.Default!.current!.thumbprint)));
    assert.deepEqual((await vscode.env.clipboard.readText()).split('\n').slice(1), ['$x = (Get-CsCertificate -Type Default).Thumbprint', 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x']);
  });

  it('Copy as PowerShell never copies a "not a cmdlet" comment: after the model\'s own actions it copies the last cmdlet', async () => {
    const fe03: TreeNode = { kind: 'server', id: 'server/fe03.contoso.com', serverFqdn: 'fe03.contoso.com' };
    await captureMessages(() => run('toggleReplicaReachable', fe03));
    await captureMessages(() => run('toggleReplicaReachable', fe03));
    assert.match(a.live.state!.history.at(-1)!.powershell, /^#/, 'the simulated outage is recorded as a comment');
    await captureMessages(() => run('copyAsPowerShell'));
    const text = await vscode.env.clipboard.readText();
    assert.ok(text.split('\n').every((l) => !/not a cmdlet/.test(l)), text);
    assert.match(text, /^Import-CsCertificate /m);
  });

  it('Export with Private Key explains why it asks for the original PFX\'s password, and offers the file when it moved', async () => {
    const fe01 = a.live.state!.pools.flatMap((p) => p.servers).find((s) => s.fqdn === 'fe01.contoso.com')!;
    const cert = fe01.certificates.find((c) => c.sourceFile && c.exportable && c.hasPrivateKey)!;
    const source = path.join(workspaceDir(), cert.sourceFile!);
    const moved = path.join(workspaceDir(), 'moved-source.pfx');
    fs.renameSync(source, moved);
    try {
      const out = path.join(workspaceDir(), 'exported-moved.pfx');
      const inputs: string[] = [];
      const { prompter } = await withAnswers(a, ['Choose File…', moved, SAMPLE_PASSWORD, 'Exp0rt!', 'Exp0rt!', out], () => captureMessages(() => run('exportWithPrivateKey', certNode(fe01.fqdn, cert.thumbprint))));
      inputs.push(...prompter.asked);
      assert.match(prompter.asked[0], /^confirm: The PFX file .* was imported from cannot be read/);
      assert.match(prompter.details[0], /never keeps private keys/);
      assert.match(prompter.asked[1], /^openFile: Where is the PFX file/);
      const read = readCertificateFile(fs.readFileSync(out), { password: 'Exp0rt!' });
      assert.ok(read.ok && read.record.thumbprint === cert.thumbprint && read.record.hasPrivateKey);
      fs.rmSync(out, { force: true });
    } finally {
      fs.renameSync(moved, source);
    }
    // The password prompt itself says why the MMC's export does not ask it.
    let prompt = '';
    const previous = a.setPrompter({
      pick: () => Promise.resolve(undefined), pickMany: () => Promise.resolve(undefined), openFile: () => Promise.resolve(undefined), openFiles: () => Promise.resolve(undefined), saveFile: () => Promise.resolve(undefined), confirm: () => Promise.resolve(undefined),
      input: (o) => { prompt = o.prompt ?? ''; return Promise.resolve(undefined); },
    });
    try {
      await run('exportWithPrivateKey', certNode(fe01.fqdn, cert.thumbprint));
    } finally {
      a.setPrompter(previous);
    }
    assert.match(prompt, /the PFX file .* was imported from\. The Certificates MMC does not ask this: SfB Certificates never keeps private keys/);
  });

  it('Back to Real Time says what stays applied from the simulated date', async () => {
    const { file, thumbprint } = newOAuthPfx('roll-oauth.pfx', 'R0ll!');
    const fe = 'fe01.contoso.com';
    await withAnswers(a, ['Import-CsCertificate -Path', file, 'R0ll!'], () => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe }));
    const at = new Date(Date.now() + 5 * 86400000);
    await withAnswers(a, [`${at.getUTCMonth() + 1}/${at.getUTCDate()}/${at.getUTCFullYear()}`], () => captureMessages(() => run('rollCertificate', certNode(fe, thumbprint))));
    await withAnswers(a, [new Date(at.getTime() + 86400000).toISOString()], () => captureMessages(() => run('setSimulatedDate')));
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint, thumbprint);
    const { shown } = await captureMessages(() => run('useRealTime'));
    const info = shown.find((m) => m.severity === 'info');
    assert.ok(info);
    assert.match(info.message, /^Back to real time: \d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M \(UTC\)\. What took effect under the simulated date stays applied: OAuthTokenIssuer roll took effect/);
    assert.match(info.message, /Undo Last Operation/);
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint, thumbprint, 'still applied');
  });
  it('every certificate picker shows fitness for the use where it is chosen: the 1024-bit certificate is marked, with the reason, and sorted last', async () => {
    const weak = generateCertificate({ subject: { CN: 'contoso.com' }, dnsNames: ['contoso.com'], keySize: 1024 });
    const file = path.join(workspaceDir(), 'weak-usability.pfx');
    fs.writeFileSync(file, writePfx(weak, 'w'));
    const fe = 'fe03.contoso.com';
    await withAnswers(a, ['Import-CsCertificate -Path', file, 'w'], () => captureMessages(() => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe })));
    let items: readonly vscode.QuickPickItem[] = [];
    await withAnswers(a, [(shown) => { items = shown; return undefined; }], () => run('rollCertificate', GLOBAL_SLOT));
    const weakItem = items.find((i) => /1024/.test(i.detail ?? '') || /1024/.test(i.description ?? ''));
    assert.ok(weakItem, items.map((i) => `${i.label} | ${i.description}`).join('\n'));
    assert.match(weakItem.label, /^\$\(error\) /);
    assert.match(weakItem.description ?? '', /^cannot be used: .*at least 2048 bits/);
    // Unfit certificates come last (the weak one among them, after every fit one).
    assert.ok(items.slice(items.indexOf(weakItem)).every((i) => /^\$\(error\) /.test(i.label)), 'sorted last, with the other unfit ones');
    assert.match(items[0].label, /^\$\(pass\) /, 'a fit certificate first');
    assert.match(items[0].description ?? '', /fit for OAuthTokenIssuer/);
    await withAnswers(a, [(shown) => { items = shown; return undefined; }], () => run('assignOAuth'));
    assert.match(items.at(-1)!.label, /^\$\(error\) /, 'the Assign picker too');
  });

  it('the uses picker counts each kind of problem its description does not show: an expired certificate without its key says "and 1 more error", not "warnings"', async () => {
    const day = 86400000;
    const old = generateCertificate({ subject: { CN: 'old.contoso.com' }, dnsNames: ['old.contoso.com'], keySize: 2048, notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - 30 * day) });
    const file = path.join(workspaceDir(), 'expired-no-key.cer');
    fs.writeFileSync(file, old.der);
    const read = readCertificateFile(old.der);
    assert.ok(read.ok);
    const fe = 'fe03.contoso.com';
    await withAnswers(a, ['Import-CsCertificate -Path', file], () => captureMessages(() => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe }), () => 'Import Anyway'));
    assert.ok(a.live.state!.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fe)!.certificates.some((c) => c.thumbprint === read.record.thumbprint), 'imported');
    let uses: readonly vscode.QuickPickItem[] = [];
    const previous = a.setPrompter({
      pick: () => Promise.resolve(undefined),
      pickMany: (items) => { uses = items; return Promise.resolve(undefined); },
      input: () => Promise.resolve(undefined), openFile: () => Promise.resolve(undefined), openFiles: () => Promise.resolve(undefined), saveFile: () => Promise.resolve(undefined),
      confirm: () => Promise.resolve(undefined),
    });
    try {
      await captureMessages(() => run('assignToServer', certNode(fe, read.record.thumbprint)));
    } finally {
      a.setPrompter(previous);
    }
    const def = uses.find((u) => u.label === 'Default')!;
    // Two errors (expired, no private key): the worst shows, the other is counted as an error, the warnings as warnings.
    assert.match(def.description ?? '', /^\$\(error\) /);
    assert.match(def.description ?? '', /\(and 1 more error( and \d+ more warnings?)?\)$/, def.description);
  });

  it('Show Certificate Details wraps its long lines (uses, enhanced key usages) in a narrow editor: its own language, word wrap on', async () => {
    const fe = a.live.state!.pools.flatMap((p) => p.servers).find((s) => s.fqdn === 'fe01.contoso.com')!;
    await run('showCertificateDetails', certNode(fe.fqdn, fe.assignments.Default!.current!.thumbprint));
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc && /^Certificate [0-9A-F]{40}/.test(path.basename(doc.uri.path)), doc?.uri.toString());
    assert.equal(doc.languageId, 'sfb-certificates-output');
    assert.equal(vscode.workspace.getConfiguration('editor', doc).get('wordWrap'), 'on');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a contoso.com-only certificate for WebServicesInternal: the uses picker shows the role\'s names before, the confirmation asks, the Problems finding after', async () => {
    const self = generateCertificate({ subject: { CN: 'contoso.com' }, dnsNames: ['contoso.com'], keySize: 2048 });
    const file = path.join(workspaceDir(), 'self-usability.pfx');
    fs.writeFileSync(file, writePfx(self, 's'));
    const fe = 'fe02.contoso.com';
    await withAnswers(a, ['Import-CsCertificate -Path', file, 's'], () => captureMessages(() => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe })));
    const thumb = readCertificateFile(fs.readFileSync(file), { password: 's' });
    assert.ok(thumb.ok);
    let uses: readonly vscode.QuickPickItem[] = [];
    let confirmText = '';
    const previous = a.setPrompter({
      pick: () => Promise.resolve(undefined),
      pickMany: (items) => { uses = items; return Promise.resolve(items.filter((i) => i.label === 'WebServicesInternal')); },
      input: () => Promise.resolve(undefined), openFile: () => Promise.resolve(undefined), openFiles: () => Promise.resolve(undefined), saveFile: () => Promise.resolve(undefined),
      confirm: (message, detail) => { confirmText = `${message}\n${detail}`; return Promise.resolve('Use It Anyway'); },
    });
    try {
      await captureMessages(() => run('assignToServer', certNode(fe, thumb.record.thumbprint)));
    } finally {
      a.setPrompter(previous);
    }
    const wsi = uses.find((u) => u.label === 'WebServicesInternal')!;
    assert.match(wsi.description ?? '', /^\$\(warning\) .*alternative names lack /);
    for (const name of ['webint.contoso.com', 'pool01.contoso.com', 'fe02.contoso.com']) assert.ok(wsi.description!.includes(name), `names ${name}: ${wsi.description}`);
    assert.match(confirmText, /Required for WebServicesInternal here/);
    const server = a.live.state!.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fe)!;
    assert.equal(server.assignments.WebServicesInternal?.current?.thumbprint, thumb.record.thumbprint);
    assert.ok(a.live.findings().some((f) => f.rule === 'cert.role-names' && f.where.serverFqdn === fe && f.where.use === 'WebServicesInternal'));
    await waitFor('the finding in the Problems panel', () => vscode.languages.getDiagnostics().flatMap(([, list]) => list).some((x) => /does not carry the names this role needs/.test(x.message)));
  });
});

