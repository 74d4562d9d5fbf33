// The SfB Management Shell inside the real extension host: it opens from its contributed terminal profile and from
// the commands, and the seed's lines sent with terminal.sendText change the deployment: the tree shows it, the
// file on disk holds it, and Undo Last Operation takes a shell change back.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { TERMINAL_PROFILE_ID } from '../../src/shared/commands';
import type { SfbCertificatesApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeModel';
import { api, openSample, storeFile, waitFor } from './helpers';

const SHELL = 'SfB Management Shell';

const onDisk = (): any => JSON.parse(fs.readFileSync(storeFile(), 'utf8'));
const oauthOnDisk = () => onDisk().cms.assignments.OAuthTokenIssuer;

function globalSlotDescription(a: SfbCertificatesApi): string {
  const cms = a.provider.getChildren()[0];
  const slot = a.provider.getChildren(cms)[0];
  return String(a.provider.getTreeItem(slot).description ?? '');
}

/** The Default certificate of the Front End the shell starts on (a Front End of the CMS pool). */
function defaultThumbprint(a: SfbCertificatesApi): string {
  const d = a.live.state!;
  const pool = d.pools.find((p) => p.hostsCms && p.servers.length)!;
  return pool.servers[0].assignments.Default!.current!.thumbprint;
}

describe('SfB Management Shell terminal in the extension host', function () {
  this.timeout(180000);
  let a: SfbCertificatesApi;

  before(async () => {
    a = await api();
    await openSample(a);
  });

  afterEach(() => {
    for (const t of vscode.window.terminals) if (t.name.startsWith(SHELL)) t.dispose();
  });

  it('opens from its terminal profile and runs the seed\'s lines: tree and file follow, Undo takes a change back', async () => {
    assert.match(globalSlotDescription(a), /^none$/);
    await vscode.commands.executeCommand('workbench.action.terminal.newWithProfile', {
      config: { extensionIdentifier: 'sfb-certificates.sfb-certificates', id: TERMINAL_PROFILE_ID, title: SHELL },
    });
    const terminal = await waitFor('the profile\'s terminal', () => vscode.window.terminals.find((t) => t.name === SHELL));

    terminal.sendText('Get-CsCertificate -Type OAuthTokenIssuer');
    terminal.sendText('Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx  -Password "P@ssw0rd"');
    const imported = await waitFor('the import in the file', () => oauthOnDisk()?.current?.thumbprint);
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, imported);
    assert.doesNotMatch(globalSlotDescription(a), /^none$/);

    const defaultCert = defaultThumbprint(a);
    assert.notEqual(defaultCert, imported);
    terminal.sendText('$x = (Get-CsCertificate -Type Default).Thumbprint');
    terminal.sendText('Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x');
    await waitFor('the Default certificate as current in the file', () => oauthOnDisk()?.current?.thumbprint === defaultCert);
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, defaultCert);

    await vscode.commands.executeCommand('sfbCertificates.undo');
    await waitFor('Undo to bring the imported certificate back in the file', () => oauthOnDisk()?.current?.thumbprint === imported);

    // The seed's roll, with an effective date the sample's certificates are valid on (they were made today, so the
    // seed's 7/1/2015 is refused as before their validity).
    const soon = new Date(Date.now() + 3 * 86400000);
    const date = `${soon.getUTCMonth() + 1}/${soon.getUTCDate()}/${soon.getUTCFullYear()}`;
    terminal.sendText('$x = (Get-CsCertificate -Type Default).Thumbprint');
    terminal.sendText(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -EffectiveDate "${date}" -Roll`);
    const rolled = await waitFor('the staged roll in the file', () => {
      const o = oauthOnDisk();
      return o?.current?.thumbprint === imported && o?.pending?.thumbprint === defaultCert ? o : undefined;
    });
    assert.ok(rolled);
  });

  it('opens from the palette command and from a server ("Open Management Shell Here"), and exit closes it', async () => {
    const fromPalette = await vscode.commands.executeCommand<vscode.Terminal>('sfbCertificates.openManagementShell');
    assert.equal(fromPalette?.name, SHELL);
    const server: TreeNode = { kind: 'server', id: 'server/fe02.contoso.com', serverFqdn: 'fe02.contoso.com' };
    const here = await vscode.commands.executeCommand<vscode.Terminal>('sfbCertificates.openManagementShellHere', server);
    assert.equal(here?.name, `${SHELL} (fe02.contoso.com)`);
    const closed = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidCloseTerminal((t) => { if (t === here) { sub.dispose(); resolve(t); } });
    });
    here!.sendText('exit');
    await closed;
    assert.ok(!vscode.window.terminals.includes(here!));
  });
});
