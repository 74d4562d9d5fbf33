// Issue #14's leftovers where the user meets them in the real extension host: Set Product Version… after a topology
// import (palette / the Central Management Store row), an XMPPServer assignment on Skype for Business Server 2019 in
// the Problems panel and the tree, and a certificate without a CRL distribution point assigned on a server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateCertificate, readCertificateFile, writePfx } from '../../src/core';
import type { SfbCertificatesApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeModel';
import { api, captureMessages, openSample, storeFile, waitFor, withAnswers, workspaceDir } from './helpers';

const run = (id: string, node?: TreeNode) => vscode.commands.executeCommand(`sfbCertificates.${id}`, node);
const problems = () => vscode.languages.getDiagnostics(vscode.Uri.file(storeFile()));
const onDisk = () => JSON.parse(fs.readFileSync(storeFile(), 'utf8'));

describe('product version and CRL distribution points (issue #14 leftovers) in the extension host', () => {
  let a: SfbCertificatesApi;
  before(async () => {
    a = await api();
  });

  // Saves are asynchronous: let the last one land before the next test resets the workspace.
  afterEach(async () => {
    await waitFor('the last change to be saved', () => {
      try {
        return onDisk().history.length === a.live.state?.history.length;
      } catch {
        return false;
      }
    });
  });

  const cmsRow = () => a.provider.getChildren(undefined).find((n) => n.kind === 'cms')!;
  const cmsDescription = () => String(a.provider.getTreeItem(cmsRow()).description);
  const cmsTooltip = () => (a.provider.resolveTreeItem(a.provider.getTreeItem(cmsRow()), cmsRow()).tooltip as vscode.MarkdownString).value;
  const xmppProblem = () => problems().find((p) => /assigned to XMPPServer/.test(p.message));

  it('Set Product Version… on the Central Management Store row after a topology import: 2019 assumed → 2015; the XMPPServer finding goes, Undo brings it back; refused where the replicas report a version', async function () {
    this.timeout(180000);
    await openSample(a);
    // As after a topology import: no replica reports a ProductVersion. The Edge still has an XMPPServer assignment.
    const file = onDisk();
    for (const p of file.pools) for (const s of p.servers) s.replica.productVersion = '';
    const edge = file.pools.find((p: { kind: string }) => p.kind === 'Edge').servers[0];
    edge.assignments.XMPPServer = { ...edge.assignments.AccessEdgeExternal };
    fs.writeFileSync(storeFile(), JSON.stringify(file, null, 2));
    await waitFor('the edited deployment to load', () => Boolean(a.live.state?.pools.some((p) => p.servers.some((s) => s.assignments.XMPPServer))));

    assert.equal(cmsDescription(), '2019?');
    assert.match(cmsTooltip(), /Product version unknown: .*SfB Certificates' rule; set it with Set Product Version/);
    await waitFor('the XMPPServer problem on 2019 (assumed)', () => Boolean(xmppProblem()));
    assert.match(xmppProblem()!.message, new RegExp(`${edge.fqdn.replace(/\./g, '\\.')} has a certificate assigned to XMPPServer, but it runs Skype for Business Server 2019 .*no longer available.*SfB Certificates' rule`));
    assert.match(xmppProblem()!.message, /Fix: Remove the assignment: on .*, Remove-CsCertificate -Type XMPPServer/);
    const edgeNode: TreeNode = { kind: 'server', id: `server/${edge.fqdn}`, serverFqdn: edge.fqdn } as TreeNode;
    const edgeSlots = () => a.provider.getChildren(edgeNode).filter((n) => n.kind === 'slot').map((n) => (n as { use: string }).use);
    assert.ok(!edgeSlots().includes('XMPPServer'), edgeSlots().join(', '));

    const { prompter, result } = await withAnswers(a, ['Skype for Business Server 2015'], () => captureMessages(() => run('setProductVersion', cmsRow())));
    assert.match(prompter.asked.join(' / '), /Set Product Version/);
    assert.match(result.shown.map((m) => m.message).join('\n'), /runs Skype for Business Server 2015: the Edge external interface also carries XMPPServer/);
    assert.equal(a.live.state!.productVersion, '2015');
    assert.equal(cmsDescription(), '2015');
    assert.match(cmsTooltip(), /Skype for Business Server 2015, set by hand with Set Product Version/);
    assert.ok(edgeSlots().includes('XMPPServer'), edgeSlots().join(', '));
    await waitFor('the XMPPServer problem to clear on 2015', () => !xmppProblem());
    await waitFor('the version to be saved', () => onDisk().productVersion === '2015');
    assert.equal(a.live.state!.history.at(-1)!.cmdlet, 'Set-ProductVersion');

    await run('undo');
    assert.equal(a.live.state!.productVersion, undefined);
    assert.equal(cmsDescription(), '2019?');
    await waitFor('the XMPPServer problem to come back', () => Boolean(xmppProblem()));

    // The sample's own replicas report 7.0.2046.0: the version is theirs, and the command says so without asking.
    await openSample(a);
    const refused = await withAnswers(a, [], () => captureMessages(() => Promise.resolve(run('setProductVersion')).catch((e: Error) => e)));
    const said = [...refused.result.shown.map((m) => m.message), String((refused.result.result as Error | undefined)?.message ?? '')].join('\n');
    assert.match(said, /The version is read from the replicas: Skype for Business Server 2019/);
    assert.equal(a.live.state!.productVersion, undefined);
  });

  it('a certificate without a CRL distribution point: the assignment asks first (Use It Anyway), then the Problems panel names it', async function () {
    this.timeout(180000);
    await openSample(a);
    const fe = 'fe01.contoso.com';
    const cert = generateCertificate({ subject: { CN: 'pool01.contoso.com' }, dnsNames: ['pool01.contoso.com', fe, 'sip.contoso.com', 'sip.fabrikam.com'], keySize: 2048, notAfter: new Date(Date.now() + 365 * 86400000) });
    const pfx = path.join(workspaceDir(), 'no-cdp.pfx');
    fs.writeFileSync(pfx, writePfx(cert, 'N0Cdp!'));
    const read = readCertificateFile(fs.readFileSync(pfx), { password: 'N0Cdp!' });
    if (!read.ok) throw new Error(read.error.message);
    const thumbprint = read.record.thumbprint;
    await withAnswers(a, ['Import-CsCertificate -Path', pfx, 'N0Cdp!'], () => run('importOnServer', { kind: 'server', id: `server/${fe}`, serverFqdn: fe } as TreeNode));
    const node = { kind: 'certificate', id: `server/${fe}/store/${thumbprint}`, serverFqdn: fe, thumbprint, path: '' } as TreeNode;
    let picked: readonly vscode.QuickPickItem[] = [];
    const { prompter } = await withAnswers(a, [(items) => { picked = items; return items.filter((i) => i.label === 'Default'); }, 'Use It Anyway'], () => run('assignToServer', node));
    assert.match(String(picked.find((i) => i.label === 'Default')?.description), /no CRL distribution point/, 'the use picker shows the warning');
    assert.match(prompter.details.join('\n'), /has no CRL distribution point, which the Skype for Business Server 2015 and 2019 certificate requirements ask of every server certificate/);
    await waitFor('the CRL problem', () => problems().some((p) => p.message.includes(thumbprint) && /no CRL distribution point/.test(p.message)));
    const problem = problems().find((p) => p.message.includes(thumbprint) && /no CRL distribution point/.test(p.message))!;
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(problem.message, new RegExp(`^The Default certificate ${thumbprint} on fe01\\.contoso\\.com has no CRL distribution point`));
    fs.rmSync(pfx, { force: true });
  });
});
