// Paste-ready PowerShell (issue 15 point 2) and the servers' C:\ paths it names.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { PFX_PASSWORD_PROMPT, pasteReady, renderPowerShell } from '../../src/core';
import { serverPathOf } from '../../src/ui/terminal/drive';

describe('paste-ready PowerShell', () => {
  it('reads the PFX password with Read-Host -AsSecureString on the line before the line that uses it, once', () => {
    const line = renderPowerShell({ cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\ServerToServerAuth.pfx', password: 'never shown' });
    const text = pasteReady([line], 'Run on fe01.contoso.com.');
    assert.deepEqual(text.split('\n'), ['# Run on fe01.contoso.com.', '$pfxPassword = Read-Host -AsSecureString "PFX password"', line]);
    assert.equal(PFX_PASSWORD_PROMPT, '$pfxPassword = Read-Host -AsSecureString "PFX password"');
    assert.doesNotMatch(text, /never shown/);
    assert.equal(pasteReady([PFX_PASSWORD_PROMPT, line]).split('\n').filter((l) => l === PFX_PASSWORD_PROMPT).length, 1);
  });

  it('adds nothing to a line without a password, and a comment cannot span lines', () => {
    assert.equal(pasteReady(['Get-CsCertificate -Type OAuthTokenIssuer']), 'Get-CsCertificate -Type OAuthTokenIssuer');
    assert.equal(pasteReady(['Get-CsCertificate'], 'a\nRemove-CsCertificate'), '# a Remove-CsCertificate\nGet-CsCertificate');
  });

  it('names files by their place on the servers\' C:\\ drive (the Management Shell\'s mapping), never by this machine\'s path', () => {
    const ws = path.resolve('/tmp/ws-example');
    assert.equal(serverPathOf(ws, undefined, path.join(ws, 'Certificates', 'ServerToServerAuth.pfx')), 'C:\\Certificates\\ServerToServerAuth.pfx');
    assert.equal(serverPathOf(ws, 'drive', path.join(ws, 'drive', 'a.pfx')), 'C:\\a.pfx');
    assert.equal(serverPathOf(ws, 'drive', path.join(ws, 'elsewhere', 'b.pfx')), 'C:\\Certificates\\b.pfx', 'outside the drive: where the procedure keeps certificates');
    assert.equal(serverPathOf(ws, undefined, '/somewhere/else/c.pfx'), 'C:\\Certificates\\c.pfx');
  });
});
