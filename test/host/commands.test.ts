// Inside the real VS Code extension host: every command against a temp workspace, checking the store, the tree
// and the file on disk. Prompts are answered by a scripted prompter (the UI tier clicks the real ones).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateCertificate, writePfx, readCertificateFile, importTopology, type Deployment, type StoredCertificate } from '../../src/core';
import type { SfbCertificatesApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeModel';
import { CONTOSO, publishedTopology } from '../fixtures/topologyXml';
import { api, openSample, resetWorkspace, storeFile, withAnswers, workspaceDir, waitFor } from './helpers';
import { TEST_CRL_DISTRIBUTION_POINTS } from '../fixtures/crl';

const run = (id: string, node?: TreeNode) => vscode.commands.executeCommand(`sfbCertificates.${id}`, node);

function frontEnds(d: Deployment) {
  return d.pools.filter((p) => p.kind === 'FrontEndEnterprise' || p.kind === 'StandardEdition').flatMap((p) => p.servers);
}

/** The store file as written (plain JSON, read loosely: the test checks what is there). */
function onDisk(): any {
  return JSON.parse(fs.readFileSync(storeFile(), 'utf8'));
}

const previousOAuth = (a: SfbCertificatesApi) => a.live.state!.cms.assignments.OAuthTokenIssuer?.previous?.thumbprint;

/** The sample's good OAuth candidate: RSA ≥ 2048 with a private key and the SIP domain in its Subject. */
function oauthCandidate(d: Deployment): { cert: StoredCertificate; serverFqdn: string } {
  for (const s of d.pools.flatMap((p) => p.servers)) {
    const cert = s.certificates.find((c) => /CN=contoso\.com\b/.test(c.subject) && c.keySize >= 2048 && c.hasPrivateKey);
    if (cert) return { cert, serverFqdn: s.fqdn };
  }
  throw new Error('the sample has no OAuth candidate');
}

function certNode(serverFqdn: string, thumbprint: string): TreeNode {
  return { kind: 'certificate', id: `server/${serverFqdn}/store/${thumbprint}`, serverFqdn, thumbprint, path: '' };
}

const GLOBAL_SLOT: TreeNode = { kind: 'slot', id: 'cms/OAuthTokenIssuer', use: 'OAuthTokenIssuer', path: 'cms.assignments.OAuthTokenIssuer' };

describe('commands in the extension host', function () {
  this.timeout(120000);
  let a: SfbCertificatesApi;

  before(async () => { a = await api(); });

  describe('without a deployment', () => {
    before(async () => { await resetWorkspace(a); });

    it('reports no deployment (welcome view state) and registers every command', async () => {
      assert.equal(a.live.state, undefined);
      const all = await vscode.commands.getCommands(true);
      const pkg = JSON.parse(fs.readFileSync(path.join(vscode.extensions.getExtension('sfb-certificates.sfb-certificates')!.extensionPath, 'package.json'), 'utf8'));
      for (const c of pkg.contributes.commands) assert.ok(all.includes(c.command), c.command);
    });

    it('creates an empty deployment file for a SIP domain', async () => {
      await withAnswers(a, ['fabrikam.com'], () => run('createDeploymentFile'));
      assert.equal(onDisk().sipDomains[0].name, 'fabrikam.com');
      assert.equal(a.live.state?.sipDomains[0].isDefault, true);
    });
  });

  describe('on the sample deployment', () => {
    before(async () => { await openSample(a); });

    it('writes the sample file and shows the CMS, the sites, the pools and the Front Ends in the tree', () => {
      assert.ok(fs.existsSync(storeFile()));
      const roots = a.provider.getChildren();
      assert.equal(roots[0].id, 'cms');
      assert.ok(roots.length >= 3, 'CMS + two sites');
      const slot = a.provider.getChildren(roots[0])[0];
      assert.equal(slot.id, 'cms/OAuthTokenIssuer');
      assert.match(String(a.provider.getTreeItem(slot).description), /^none$/);
      const pools = roots.slice(1).flatMap((s) => a.provider.getChildren(s));
      const servers = pools.flatMap((p) => a.provider.getChildren(p));
      assert.ok(servers.length >= 6, `servers: ${servers.map((s) => s.id).join(', ')}`);
      const fe = servers.find((s) => s.kind === 'server' && s.serverFqdn.startsWith('fe01'))!;
      const feChildren = a.provider.getChildren(fe).map((n) => n.id);
      assert.ok(feChildren.some((id) => id.endsWith('/Default')));
      assert.ok(feChildren.some((id) => id.endsWith('/store')));
      assert.equal(a.provider.getParent(fe)?.kind, 'pool');
    });

    it('Get Certificate returns nothing for OAuthTokenIssuer (the seed\'s first step)', async () => {
      await run('getCertificate');
      assert.match(a.documents.text('Get-CsCertificate') ?? '', /PS> Get-CsCertificate -Type OAuthTokenIssuer[\s\S]*Nothing was returned/);
    });

    it('Assign as OAuthTokenIssuer from a certificate node sets the global slot and saves the file', async () => {
      const { cert, serverFqdn } = oauthCandidate(a.live.state!);
      await withAnswers(a, [], () => run('assignOAuth', certNode(serverFqdn, cert.thumbprint)));
      assert.equal(a.live.state?.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, cert.thumbprint);
      assert.equal(onDisk().cms.assignments.OAuthTokenIssuer.current.thumbprint, cert.thumbprint);
      assert.doesNotMatch(String(a.provider.getTreeItem(GLOBAL_SLOT).description), /^none$/);
    });

    it('Replicate Now deploys it to every Front End', async () => {
      const thumb = a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint;
      assert.ok(frontEnds(a.live.state!).some((s) => s.assignments.OAuthTokenIssuer?.current?.thumbprint !== thumb), 'not deployed before replication');
      await run('replicateNow');
      for (const s of frontEnds(a.live.state!)) assert.equal(s.assignments.OAuthTokenIssuer?.current?.thumbprint, thumb, s.fqdn);
    });

    it('Get Certificate now shows the certificate the way the cmdlet prints it', async () => {
      await run('getCertificate');
      const text = a.documents.text('Get-CsCertificate') ?? '';
      assert.match(text, /Thumbprint\s+: [0-9A-F]{40}/);
      assert.match(text, /Use\s+: OAuthTokenIssuer/);
    });

    it('Roll Certificate… stages a pending roll; the simulated date applies it (current → previous)', async () => {
      const before = a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint;
      const next = generateCertificate({ subject: { CN: 'contoso.com' }, dnsNames: ['contoso.com'], keySize: 2048, crlDistributionPoints: TEST_CRL_DISTRIBUTION_POINTS, notAfter: new Date(Date.now() + 3 * 365 * 86400000) });
      const pfx = path.join(workspaceDir(), 'next-oauth.pfx');
      fs.writeFileSync(pfx, writePfx(next, 'N3xt!'));
      const fe = frontEnds(a.live.state!)[0].fqdn;
      await withAnswers(a, ['Import-CsCertificate -Path', pfx, 'N3xt!'], () => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe }));
      const thumb = readRecord(pfx, 'N3xt!').thumbprint;
      const oldExpiry = a.live.state!.cms.certificates.find((c) => c.thumbprint === before)!.notAfter;
      const effective = new Date(Date.parse(oldExpiry) - 10 * 86400000);
      const us = `${effective.getUTCMonth() + 1}/${effective.getUTCDate()}/${effective.getUTCFullYear()}`;
      await withAnswers(a, [us], () => run('rollCertificate', certNode(fe, thumb)));
      const slot = a.live.state!.cms.assignments.OAuthTokenIssuer!;
      assert.equal(slot.current?.thumbprint, before);
      assert.equal(slot.pending?.thumbprint, thumb);
      assert.match(a.live.state!.history.at(-1)!.powershell, new RegExp(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${thumb} -EffectiveDate "${us.replace(/\//g, '\\/')}" -Roll`));
      const after = new Date(effective.getTime() + 3600000).toISOString();
      await withAnswers(a, [after], () => run('setSimulatedDate'));
      const rolled = a.live.state!.cms.assignments.OAuthTokenIssuer!;
      assert.equal(rolled.current?.thumbprint, thumb);
      assert.equal(rolled.previous?.thumbprint, before);
      assert.equal(rolled.pending, undefined);
      await run('useRealTime');
      assert.equal(a.live.state!.simulatedNow, undefined);
    });

    it('Roll Certificate… accepts a certificate not valid yet when its validity starts by the effective date', async () => {
      const day = 86400000;
      const later = generateCertificate({ subject: { CN: 'contoso.com' }, dnsNames: ['contoso.com'], keySize: 2048, crlDistributionPoints: TEST_CRL_DISTRIBUTION_POINTS, notBefore: new Date(Date.now() + 5 * day), notAfter: new Date(Date.now() + 3 * 365 * day) });
      const pfx = path.join(workspaceDir(), 'later-oauth.pfx');
      fs.writeFileSync(pfx, writePfx(later, 'L4ter!'));
      const fe = frontEnds(a.live.state!)[0].fqdn;
      await withAnswers(a, ['Import-CsCertificate -Path', pfx, 'L4ter!'], () => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe }));
      const thumb = readRecord(pfx, 'L4ter!').thumbprint;
      const effective = new Date(Date.now() + 10 * day);
      const us = `${effective.getUTCMonth() + 1}/${effective.getUTCDate()}/${effective.getUTCFullYear()}`;
      const { prompter } = await withAnswers(a, [us], () => run('rollCertificate', certNode(fe, thumb)));
      assert.deepEqual(prompter.validations, [], 'no objection at the effective date');
      assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.pending?.thumbprint, thumb);
      // A date before its validity starts is refused in the input box, and nothing changes.
      const early = new Date(Date.now() + 2 * day);
      const before = JSON.stringify(a.live.state!.cms);
      const refused = await withAnswers(a, [`${early.getUTCMonth() + 1}/${early.getUTCDate()}/${early.getUTCFullYear()}`], () => run('rollCertificate', certNode(fe, thumb)));
      assert.match(refused.prompter.validations.join(' '), /not valid before/);
      assert.equal(JSON.stringify(a.live.state!.cms), before, 'nothing changed');
      await run('undo');
      assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.pending, undefined, 'undone: the later tests start without a staged roll');
    });

    it('Roll Certificate… refuses a date it cannot read, with what to type', async () => {
      const { cert, serverFqdn } = oauthCandidate(a.live.state!);
      const before = JSON.stringify(a.live.state!.cms);
      const { prompter } = await withAnswers(a, ['next tuesday'], () => run('rollCertificate', certNode(serverFqdn, cert.thumbprint)));
      assert.match(prompter.validations.join(' '), /next tuesday|date/i);
      assert.equal(JSON.stringify(a.live.state!.cms), before, 'nothing changed');
    });

    it('Remove Previous Certificate asks first, then removes it; Undo brings it back', async () => {
      const prev = a.live.state!.cms.assignments.OAuthTokenIssuer!.previous!.thumbprint;
      await withAnswers(a, ['Cancel'], () => run('removePrevious'));
      assert.equal(previousOAuth(a), prev, 'cancel keeps it');
      await withAnswers(a, ['Remove'], () => run('removePrevious'));
      assert.equal(previousOAuth(a), undefined);
      assert.match(a.live.state!.history.at(-1)!.powershell, /^Remove-CsCertificate -Identity global -Type OAuthTokenIssuer -Previous$/);
      await run('undo');
      assert.equal(previousOAuth(a), prev);
      assert.equal(onDisk().cms.assignments.OAuthTokenIssuer.previous.thumbprint, prev);
    });

    it('Import Certificate… (global) reads a real PFX, retries a wrong password, and assigns it', async () => {
      const cert = generateCertificate({ subject: { CN: 'contoso.com', O: 'Contoso' }, dnsNames: ['contoso.com'], keySize: 2048, crlDistributionPoints: TEST_CRL_DISTRIBUTION_POINTS });
      const pfx = path.join(workspaceDir(), 'imported.pfx');
      fs.writeFileSync(pfx, writePfx(cert, 'Right!1', { friendlyName: 'Imported OAuth' }));
      const { prompter } = await withAnswers(a, [pfx, 'wrong', 'Right!1', 'Replace'], () => run('importCertificate', GLOBAL_SLOT));
      assert.ok(prompter.asked.some((q) => /input/.test(q)));
      const thumb = readRecord(pfx, 'Right!1').thumbprint;
      assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer!.current!.thumbprint, thumb);
      const text = fs.readFileSync(storeFile(), 'utf8');
      assert.doesNotMatch(text, /Right!1|PRIVATE KEY/, 'no password or key in the store file');
      assert.match(a.live.state!.history.at(-1)!.powershell, /Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path "C:\\imported\.pfx" -Password \$pfxPassword/);
    });

    it('Import Certificate… refuses a 1024-bit certificate before changing anything', async () => {
      const weak = generateCertificate({ subject: { CN: 'contoso.com' }, keySize: 1024 });
      const pfx = path.join(workspaceDir(), 'weak.pfx');
      fs.writeFileSync(pfx, writePfx(weak, 'w'));
      const before = fs.readFileSync(storeFile(), 'utf8');
      await withAnswers(a, [pfx, 'w'], () => run('importCertificate', GLOBAL_SLOT));
      assert.equal(fs.readFileSync(storeFile(), 'utf8'), before, 'nothing written');
    });

    it('Copy Thumbprint and Copy as PowerShell put the right text on the clipboard', async () => {
      const { cert, serverFqdn } = oauthCandidate(a.live.state!);
      await run('copyThumbprint', certNode(serverFqdn, cert.thumbprint));
      assert.equal(await vscode.env.clipboard.readText(), cert.thumbprint);
      await run('copyAsPowerShell', certNode(serverFqdn, cert.thumbprint));
      assert.equal(await vscode.env.clipboard.readText(), `# Run in the Skype for Business Server Management Shell on ${serverFqdn}.\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${cert.thumbprint}`);
    });

    it('Export with Private Key… writes a PFX that reads back with the new password (MMC path)', async () => {
      const { cert, serverFqdn } = oauthCandidate(a.live.state!);
      assert.ok(cert.sourceFile, 'sample certificates name their PFX');
      const out = path.join(workspaceDir(), 'exported.pfx');
      const source = await import('../../src/core');
      await withAnswers(a, [source.SAMPLE_PASSWORD, 'Exp0rt!', 'Exp0rt!', out], () => run('exportWithPrivateKey', certNode(serverFqdn, cert.thumbprint)));
      const read = readCertificateFile(fs.readFileSync(out), { password: 'Exp0rt!' });
      assert.ok(read.ok);
      assert.equal(read.ok && read.record.thumbprint, cert.thumbprint);
      assert.equal(read.ok && read.record.hasPrivateKey, true);
    });

    it('an outside edit reloads the tree; a broken edit keeps the last good state and never overwrites the file', async () => {
      const d = onDisk();
      d.name = 'Edited outside';
      fs.writeFileSync(storeFile(), JSON.stringify(d, null, 2));
      await waitFor('the outside edit to be loaded', () => a.live.state?.name === 'Edited outside');
      fs.writeFileSync(storeFile(), '{ "schemaVersion": 1, "pools": [ }');
      await waitFor('the broken file to be reported', () => a.live.problem !== undefined);
      assert.equal(a.live.state?.name, 'Edited outside', 'last good state kept');
      assert.match(a.tree.message ?? '', /cannot be loaded/);
      await run('replicateNow');
      assert.equal(fs.readFileSync(storeFile(), 'utf8'), '{ "schemaVersion": 1, "pools": [ }', 'not overwritten');
      fs.writeFileSync(storeFile(), JSON.stringify(d, null, 2));
      await waitFor('the repaired file to be loaded', () => a.live.problem === undefined);
    });
  });

  describe('the other commands, on a fresh sample deployment', () => {
    before(async () => { await openSample(a); });

    const server = (fqdn: string) => a.live.state!.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn)!;
    const serverNode = (fqdn: string): TreeNode => ({ kind: 'server', id: `server/${fqdn}`, serverFqdn: fqdn });

    it('Assign Default Certificate as OAuthTokenIssuer takes the chosen Front End\'s Default certificate', async () => {
      const { prompter } = await withAnswers(a, ['fe02.contoso.com'], () => run('assignOAuthFromDefault'));
      assert.match(prompter.asked[0], /Default certificate of which Front End/);
      const fe02Default = server('fe02.contoso.com').assignments.Default!.current!.thumbprint;
      assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, fe02Default);
      assert.equal(onDisk().cms.assignments.OAuthTokenIssuer.current.thumbprint, fe02Default);
    });

    it('Assign to Uses on This Server… sets the chosen uses on that computer only', async () => {
      const fe01 = server('fe01.contoso.com');
      const cert = fe01.certificates.find((c) => c.thumbprint === fe01.assignments.WebServicesInternal!.current!.thumbprint)!;
      const fe02Before = server('fe02.contoso.com').assignments;
      // The internal web certificate lacks the external web services FQDN: the role's naming check asks first.
      const { prompter } = await withAnswers(a, [['WebServicesInternal', 'WebServicesExternal'], 'Use It Anyway'], () => run('assignToServer', certNode('fe01.contoso.com', cert.thumbprint)));
      assert.match(prompter.details[0], /WebServicesExternal certificate .* alternative names lack webext\.contoso\.com/);
      assert.equal(server('fe01.contoso.com').assignments.WebServicesExternal?.current?.thumbprint, cert.thumbprint);
      assert.equal(server('fe01.contoso.com').assignments.WebServicesInternal?.current?.thumbprint, cert.thumbprint);
      assert.deepEqual(server('fe02.contoso.com').assignments, fe02Before, 'another server is not touched');
      const fe01OnDisk = onDisk().pools.flatMap((p: { servers: { fqdn: string }[] }) => p.servers).find((s: { fqdn: string }) => s.fqdn === 'fe01.contoso.com');
      assert.equal(fe01OnDisk.assignments.WebServicesExternal.current.thumbprint, cert.thumbprint);
    });

    it('Simulate Replica Outage leaves that replica behind; Replicate to This Server brings it up to date once it is back', async () => {
      await run('toggleReplicaReachable', serverNode('fe03.contoso.com'));
      assert.equal(server('fe03.contoso.com').replica.unreachable, true);
      await run('replicateNow');
      const cms = a.live.state!.cms;
      assert.equal(server('fe02.contoso.com').replica.appliedVersion, cms.version);
      assert.notEqual(server('fe03.contoso.com').replica.appliedVersion, cms.version, 'an unreachable replica does not replicate');
      assert.notEqual(server('fe03.contoso.com').assignments.OAuthTokenIssuer?.current?.thumbprint, cms.assignments.OAuthTokenIssuer?.current?.thumbprint);
      await run('toggleReplicaReachable', serverNode('fe03.contoso.com'));
      assert.equal(server('fe03.contoso.com').replica.unreachable, false);
      await run('replicateToServer', serverNode('fe03.contoso.com'));
      assert.equal(server('fe03.contoso.com').replica.appliedVersion, cms.version);
      assert.equal(server('fe03.contoso.com').assignments.OAuthTokenIssuer?.current?.thumbprint, cms.assignments.OAuthTokenIssuer?.current?.thumbprint);
    });

    it('Replication Status shows Get-CsManagementStoreReplicationStatus for every replica', async () => {
      await run('replicationStatus');
      const text = a.documents.text('Get-CsManagementStoreReplicationStatus') ?? '';
      assert.match(text, /^PS> Get-CsManagementStoreReplicationStatus/);
      for (const s of a.live.state!.pools.flatMap((p) => p.servers)) assert.match(text, new RegExp(`ReplicaFqdn\\s+: ${s.fqdn.replace(/\./g, '\\.')}`), s.fqdn);
      assert.match(text, /UpToDate\s+: True/);
    });

    it('Show Certificate Details lists the certificate\'s fields in a read-only document', async () => {
      const { cert, serverFqdn } = oauthCandidate(a.live.state!);
      await run('showCertificateDetails', certNode(serverFqdn, cert.thumbprint));
      const text = a.documents.text(`Certificate ${cert.thumbprint}`) ?? '';
      assert.match(text, new RegExp(`Thumbprint\\s+: ${cert.thumbprint}`));
      assert.match(text, /Subject\s+: CN=contoso\.com/);
      assert.match(text, /Key\s+: RSA 2048 bits/);
      assert.match(text, new RegExp(`Store\\s+: ${serverFqdn.replace(/\./g, '\\.')}`));
    });

    it('Remove Certificate Assignment… asks first; Remove clears the global OAuthTokenIssuer assignment', async () => {
      const before = a.live.state!.cms.assignments.OAuthTokenIssuer?.current?.thumbprint;
      assert.ok(before);
      await withAnswers(a, ['Cancel'], () => run('removeCertificate', GLOBAL_SLOT));
      assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, before, 'Cancel changes nothing');
      const { prompter } = await withAnswers(a, ['Remove'], () => run('removeCertificate', GLOBAL_SLOT));
      assert.match(prompter.asked[0], /Remove the OAuthTokenIssuer certificate assignment/);
      assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer?.current, undefined);
      assert.equal(onDisk().cms.assignments.OAuthTokenIssuer?.current, undefined);
      assert.match(String(a.provider.getTreeItem(GLOBAL_SLOT).description), /^none$/);
    });

    it('Open Deployment File opens sfb-deployment.json in an editor', async () => {
      await run('openDeploymentFile');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, storeFile());
    });

    it('Import Topology… reads Get-CsTopology -AsXml output, asks before replacing the file and keeps a .bak; never replaces a file that does not load', async () => {
      const xmlFile = path.join(workspaceDir(), 'topology.xml');
      fs.writeFileSync(xmlFile, publishedTopology(CONTOSO));
      const old = fs.readFileSync(storeFile(), 'utf8');
      const bak = fs.readFileSync(`${storeFile()}.bak`, 'utf8');
      // A file that does not load is never replaced: its .bak may be the last good version.
      const broken = '{ "schemaVersion": 1, "pools": [ }';
      fs.writeFileSync(storeFile(), broken);
      await waitFor('the broken file to be reported', () => a.live.problem !== undefined);
      const refused = await withAnswers(a, [xmlFile], () => run('importTopology'));
      assert.deepEqual(refused.prompter.asked.map((p) => p.split(':')[0]), ['openFile'], 'refused before asking "Replace?"');
      assert.equal(fs.readFileSync(storeFile(), 'utf8'), broken, 'the broken file is left as it is');
      assert.equal(fs.readFileSync(`${storeFile()}.bak`, 'utf8'), bak, 'and so is its .bak');
      fs.writeFileSync(storeFile(), old);
      await waitFor('the repaired file to be loaded', () => a.live.problem === undefined);
      await withAnswers(a, [xmlFile, 'Cancel'], () => run('importTopology'));
      assert.equal(fs.readFileSync(storeFile(), 'utf8'), old, 'Cancel leaves the file as it was');
      await withAnswers(a, [xmlFile, 'Replace'], () => run('importTopology'));
      const expected = importTopology(fs.readFileSync(xmlFile), 'topology.xml');
      assert.ok(expected.ok);
      assert.deepEqual(a.live.state!.pools.map((p) => [p.fqdn, p.kind, p.servers.map((s) => s.fqdn)]), expected.deployment.pools.map((p) => [p.fqdn, p.kind, p.servers.map((s) => s.fqdn)]));
      assert.deepEqual(onDisk().pools.map((p: { fqdn: string }) => p.fqdn), expected.deployment.pools.map((p) => p.fqdn));
      assert.equal(fs.readFileSync(`${storeFile()}.bak`, 'utf8'), old, 'the replaced deployment is kept as .bak');
      fs.rmSync(xmlFile);
    });
  });
});

function readRecord(file: string, password: string) {
  const r = readCertificateFile(fs.readFileSync(file), { password });
  if (!r.ok) throw new Error(r.error.message);
  return r.record;
}

