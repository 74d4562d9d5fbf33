// Issue #14 (fidelity to Microsoft's documentation), where the user meets it inside the real extension host: the
// Problems panel, the tree and the operation's messages.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DIRECTOR_OAUTH_NOTE, findServer, type Deployment, type StoredCertificate } from '../../src/core';
import type { SfbCertificatesApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeModel';
import { api, openSample, storeFile, waitFor, withAnswers, workspaceDir } from './helpers';

const run = (id: string, node?: TreeNode) => vscode.commands.executeCommand(`sfbCertificates.${id}`, node);

/** The Problems panel's entries for the deployment file. */
const problems = () => vscode.languages.getDiagnostics(vscode.Uri.file(storeFile()));

function oauthCandidate(d: Deployment): { cert: StoredCertificate; serverFqdn: string } {
  for (const s of d.pools.flatMap((p) => p.servers)) {
    const cert = s.certificates.find((c) => /CN=contoso\.com\b/.test(c.subject) && c.keySize >= 2048 && c.hasPrivateKey);
    if (cert) return { cert, serverFqdn: s.fqdn };
  }
  throw new Error('the sample has no OAuth candidate');
}

describe('fidelity (issue #14) in the extension host', () => {
  let a: SfbCertificatesApi;
  before(async () => {
    a = await api();
    await openSample(a);
  });

  // Saves are asynchronous: let the last one land before the next suite resets the workspace.
  afterEach(async () => {
    const saved = () => {
      try {
        return JSON.parse(fs.readFileSync(storeFile(), 'utf8')).history.length === a.live.state?.history.length;
      } catch {
        return false;
      }
    };
    await waitFor('the last change to be saved', saved);
  });

  it('point 1: a Director receives the global OAuthTokenIssuer certificate; the Problems panel and the tree say so, with the source', async () => {
    // Add a Director pool to the sample, as an outside edit of the deployment file.
    const file = JSON.parse(fs.readFileSync(storeFile(), 'utf8'));
    const fe = file.pools[0].servers[0];
    file.pools.push({
      fqdn: 'dir01.contoso.com', siteId: file.pools[0].siteId, kind: 'Director', hostsCms: false,
      servers: [{ fqdn: 'dir01.contoso.com', roles: ['Registrar', 'Director', 'WebServices'], certificates: [], assignments: {}, replica: { ...fe.replica }, setup: { ...fe.setup } }],
    });
    fs.writeFileSync(storeFile(), JSON.stringify(file, null, 2));
    await waitFor('the Director to be loaded', () => Boolean(a.live.state?.pools.some((p) => p.kind === 'Director')));

    const { cert, serverFqdn } = oauthCandidate(a.live.state!);
    await withAnswers(a, [], () => run('assignOAuth', { kind: 'certificate', id: `server/${serverFqdn}/store/${cert.thumbprint}`, serverFqdn, thumbprint: cert.thumbprint, path: '' }));
    await waitFor('a problem naming the Director', () => problems().some((p) => /dir01\.contoso\.com/.test(p.message)));
    const pending = problems().find((p) => /dir01\.contoso\.com/.test(p.message))!;
    assert.match(pending.message, /replication has not deployed it yet/);

    await run('replicateNow');
    assert.equal(a.live.state!.pools.find((p) => p.kind === 'Director')!.servers[0].assignments.OAuthTokenIssuer?.current?.thumbprint, cert.thumbprint);
    await waitFor('the Director problem to clear', () => !problems().some((p) => /dir01\.contoso\.com/.test(p.message)));

    const server: TreeNode = { kind: 'server', id: 'server/dir01.contoso.com', serverFqdn: 'dir01.contoso.com' } as TreeNode;
    const slot = a.provider.getChildren(server).find((n) => n.kind === 'slot' && n.use === 'OAuthTokenIssuer');
    assert.ok(slot, 'the Director lists an OAuthTokenIssuer slot');
    assert.match(String(a.provider.getTreeItem(slot).description), /^replicated$/);
    const tip = a.provider.resolveTreeItem(a.provider.getTreeItem(slot), slot).tooltip as vscode.MarkdownString;
    assert.ok(tip.value.includes(DIRECTOR_OAUTH_NOTE), tip.value);
  });
  it('point 12: -Type XmppServer follows the product version: the .ps1 checker and the Management Shell refuse it on Skype for Business Server 2019 and accept it on 2015', async function () {
    this.timeout(180000);
    await openSample(a);
    const edge = a.live.state!.pools.find((p) => p.kind === 'Edge')!.servers[0];
    const cert = edge.certificates.find((c) => c.hasPrivateKey)!;
    const script = path.join(workspaceDir(), 'xmpp.ps1');
    fs.writeFileSync(script, `Set-CsCertificate -Type XmppServer -Thumbprint ${cert.thumbprint}\n`);
    const doc = await vscode.workspace.openTextDocument(script);
    await vscode.window.showTextDocument(doc);
    const flagged = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'type-not-in-version');
    const xmpp = () => findServer(a.live.state!, edge.fqdn)!.server.assignments.XMPPServer?.current?.thumbprint;
    const shellRuns = async (versionLabel: string) => {
      const terminal = await vscode.commands.executeCommand<vscode.Terminal>('sfbCertificates.openManagementShellHere', { kind: 'server', id: `server/${edge.fqdn}`, serverFqdn: edge.fqdn } satisfies TreeNode);
      try {
        const before = a.live.state!.history.length;
        terminal.sendText(`Set-CsCertificate -Type XmppServer -Thumbprint ${cert.thumbprint}`);
        // The shell runs its input in order: once the next line ran, the Set line was taken.
        terminal.sendText('$null = Invoke-CsManagementStoreReplication');
        await waitFor(`the lines in the ${versionLabel} shell`, () => a.live.state!.history.slice(before).some((h) => h.cmdlet === 'Invoke-CsManagementStoreReplication'));
      } finally {
        terminal.dispose();
      }
    };
    try {
      // The sample's replicas report 7.0.2046.0: Skype for Business Server 2019, where XMPP is gone.
      await waitFor('the checker to flag XmppServer on 2019', () => flagged().length === 1);
      assert.match(flagged()[0].message, /-Type XMPPServer does not exist in Skype for Business Server 2019/);
      await shellRuns('2019');
      assert.equal(xmpp(), undefined, 'the 2019 shell refused the line');
      // The same deployment at 2015 builds, as an outside edit of the deployment file (once the shell's changes are saved).
      await waitFor('the shell\'s changes to be saved', () => {
        try {
          return JSON.parse(fs.readFileSync(storeFile(), 'utf8')).history.length === a.live.state!.history.length;
        } catch {
          return false;
        }
      });
      const file = JSON.parse(fs.readFileSync(storeFile(), 'utf8'));
      for (const p of file.pools) for (const sv of p.servers) sv.replica.productVersion = '6.0.9319.0';
      fs.writeFileSync(storeFile(), JSON.stringify(file, null, 2));
      await waitFor('the 2015 deployment to load', () => a.live.state!.pools[0].servers[0].replica.productVersion === '6.0.9319.0');
      await waitFor('the checker to accept XmppServer on 2015', () => flagged().length === 0);
      await shellRuns('2015');
      assert.equal(xmpp(), cert.thumbprint, 'the 2015 shell assigned it');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(script, { force: true });
    }
  });

  it('#12 leftover (a): Remove-CsCertificate in the Management Shell terminal asks; N keeps the assignment, Y removes it', async function () {
    this.timeout(180000);
    await openSample(a);
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('sfbCertificates.openManagementShell');
    try {
      const oauth = () => a.live.state!.cms.assignments.OAuthTokenIssuer;
      terminal.sendText('Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx  -Password "P@ssw0rd"');
      await waitFor('the import', () => Boolean(oauth()?.current));
      const imported = oauth()!.current!.thumbprint;
      terminal.sendText('Remove-CsCertificate -Identity global -Type OAuthTokenIssuer');
      terminal.sendText('n');
      terminal.sendText('Write-Output marker-after-no');
      // The shell runs its input in order: once the next line ran, the answer N was taken.
      terminal.sendText('$null = Invoke-CsManagementStoreReplication');
      await waitFor('the line after the prompt', () => a.live.state!.history.at(-1)?.cmdlet === 'Invoke-CsManagementStoreReplication');
      assert.equal(oauth()?.current?.thumbprint, imported, 'N kept the assignment');
      terminal.sendText('Remove-CsCertificate -Identity global -Type OAuthTokenIssuer');
      terminal.sendText('y');
      await waitFor('Y to remove the assignment', () => oauth()?.current === undefined);
    } finally {
      terminal.dispose();
    }
  });
});
