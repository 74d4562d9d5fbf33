// The operations (one per cmdlet / MMC action), the cmdlet facts table and the PowerShell rendering.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCertificateFile } from '../../src/core';
import { fixedClock } from '../../src/core/clock';
import {
  CERT_USES, CMDLETS, PFX_PASSWORD_NOTE, certUseFacts, formatCertificateReferences, formatReplicationStatus, parseCertUse, psString, renderPowerShell,
  type CertificateReference,
} from '../../src/core/cmdlets';
import type { Deployment, StoredCertificate } from '../../src/core/model';
import {
  getCertificate, importCertificate, invokeReplication, mmcExport, mmcImport, removeCertificate, runOperation, setCertificate, setReplicaReachable, setSimulatedNow,
  type OperationRequest,
} from '../../src/core/operations';
import { generateCertificate } from '../../src/core/certgen';
import { pool as buildPool, server as buildServer } from '../fixtures/builders';
import { DIRECTOR_OAUTH_NOTE, SERVER_USES, defaultComputer, findServer, receivesGlobalCertificates } from '../../src/core/topology';
import { createSampleDeployment, SAMPLE_PASSWORD } from '../../src/core/sample';
import { FIXTURE_PASSWORD, openssl } from '../fixtures/makeFixtures';
import { failure, ok } from '../fixtures/outcomes';

const NOW = new Date('2026-03-01T12:00:00Z');
const clock = fixedClock(NOW);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('operations', () => {
  let sample: Deployment;
  let files: Map<string, Uint8Array>;
  let candidate: StoredCertificate;
  let legacy: StoredCertificate;

  const fe = (d: Deployment, host: string) => findServer(d, `${host}.contoso.com`)!.server;
  const defaultOf = (d: Deployment, host: string) => fe(d, host).certificates.find((c) => c.thumbprint === fe(d, host).assignments.Default!.current!.thumbprint)!;
  const importGlobal = (d: Deployment, path: string, extra: Partial<OperationRequest> = {}) =>
    importCertificate(d, { identity: 'global', type: ['OAuthTokenIssuer'], path: `C:\\Certificates\\${path.split('/').pop()}`, sourceFile: path, bytes: files.get(path)!, password: SAMPLE_PASSWORD, ...extra } as never, clock);

  before(async function () {
    this.timeout(60_000); // real certificates: RSA key generation
    const created = await createSampleDeployment(new Date('2026-02-01T00:00:00Z'));
    sample = deepFreeze(created.deployment);
    files = new Map(created.files.map((f) => [f.path, f.bytes]));
    candidate = fe(sample, 'fe01').certificates.find((c) => c.sourceFile === 'sample-certificates/contoso-oauth.pfx')!;
    legacy = fe(sample, 'fe01').certificates.find((c) => c.keySize === 1024)!;
  });

  describe('cmdlet facts', () => {
    it('lists every -Type value once, with scope, roll coexistence and lead time', () => {
      assert.equal(CERT_USES.length, 20);
      assert.equal(new Set(CERT_USES.map((f) => f.use)).size, 20);
      assert.deepEqual(CERT_USES.filter((f) => f.scope === 'global').map((f) => f.use), ['OAuthTokenIssuer']);
      assert.deepEqual(CERT_USES.filter((f) => f.rollCoexistence).map((f) => [f.use, f.leadTimeHours]), [['OAuthTokenIssuer', 24], ['AudioVideoAuthentication', 8]]);
      assert.ok(!certUseFacts('OAuthTokenIssuer').listedIn.includes('Set-CsCertificate'), 'Set-CsCertificate\'s own list omits it');
      assert.equal(CERT_USES.filter((f) => f.listedIn.includes('Import-CsCertificate')).length, 20);
      assert.equal(CERT_USES.filter((f) => f.listedIn.includes('Remove-CsCertificate')).length, 11);
      assert.equal(parseCertUse('xmppserver'), 'XMPPServer');
      assert.equal(parseCertUse(' oauthtokenissuer '), 'OAuthTokenIssuer');
      assert.equal(parseCertUse('Export'), undefined);
      assert.ok(!('Export-CsCertificate' in CMDLETS), 'there is no Export-CsCertificate');
    });

    it('renders the docs\' lines, quoting values with double quotes and never a password', () => {
      assert.equal(renderPowerShell({ cmdlet: 'Get-CsCertificate', type: ['OAuthTokenIssuer'] }), 'Get-CsCertificate -Type OAuthTokenIssuer');
      assert.equal(renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: 'A9D51A2911C74FABFF7F2A8A994B20857D399107', effectiveDate: new Date('2015-07-01T00:00:00Z'), roll: true }),
        'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint A9D51A2911C74FABFF7F2A8A994B20857D399107 -EffectiveDate "7/1/2015" -Roll');
      assert.equal(renderPowerShell({ cmdlet: 'Set-CsCertificate', type: ['AudioVideoAuthentication'], thumbprint: 'AB', effectiveDate: new Date('2015-07-22T06:00:00Z'), roll: true }),
        'Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint AB -EffectiveDate "7/22/2015 6:00:00 AM" -Roll');
      assert.equal(renderPowerShell({ cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\ServerToServerAuth.pfx', password: 'P@ssw0rd' }),
        'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path "C:\\Certificates\\ServerToServerAuth.pfx" -Password $pfxPassword');
      assert.equal(renderPowerShell({ cmdlet: 'Import-CsCertificate', path: 'C:\\Certificates\\WebServer.pfx', privateKeyExportable: true }), 'Import-CsCertificate -Path "C:\\Certificates\\WebServer.pfx" -PrivateKeyExportable $True');
      assert.equal(renderPowerShell({ cmdlet: 'Set-CsCertificate', type: ['Default', 'WebServicesInternal', 'WebServicesExternal'], thumbprint: 'AB' }), 'Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint AB');
      assert.equal(renderPowerShell({ cmdlet: 'Remove-CsCertificate', type: ['OAuthTokenIssuer'], previous: true }), 'Remove-CsCertificate -Type OAuthTokenIssuer -Previous');
      assert.equal(renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: 'fe01.contoso.com' }), 'Invoke-CsManagementStoreReplication -ReplicaFqdn "fe01.contoso.com"');
      assert.equal(psString('C:\\My "certs"\\$x`.pfx'), '"C:\\My `"certs`"\\`$x``.pfx"');
      assert.equal(psString('\u201Csmart\u201D'), '"`\u201Csmart`\u201D"');
      assert.match(PFX_PASSWORD_NOTE, /\$pfxPassword/);
    });

    it('formats Get-CsCertificate output like the reference\'s Format-List sample', () => {
      const ref: CertificateReference = {
        Issuer: 'CN=FabrikamCA', NotAfter: '2015-12-28T15:35:41.000Z', NotBefore: '2014-01-02T12:49:37.000Z', SerialNumber: '611BB01200000000000C',
        Subject: 'CN=LYNC-SE.fabrikam.com', AlternativeNames: ['sip.fabrikam.com', 'LYNC-SE.fabrikam.com', 'meet.fabrikam.com', 'admin.fabrikam.com', 'dialin.fabrikam.com'],
        Thumbprint: 'A9D51A2911C74FABFF7F2A8A994B20857D399107', Use: 'Default', EffectiveDate: '2014-01-02T13:00:00.000Z', PreviousThumbprint: '', UpdateTime: '', SourceScope: 'Local', slot: 'current',
      };
      assert.equal(formatCertificateReferences([ref]), [
        'Issuer           : CN=FabrikamCA',
        'NotAfter         : 12/28/2015 3:35:41 PM',
        'NotBefore        : 1/2/2014 12:49:37 PM',
        'SerialNumber     : 611BB01200000000000C',
        'Subject          : CN=LYNC-SE.fabrikam.com',
        'AlternativeNames : {sip.fabrikam.com, LYNC-SE.fabrikam.com, meet.fabrikam.com, admin.fabrikam.com...}',
        'Thumbprint       : A9D51A2911C74FABFF7F2A8A994B20857D399107',
        'Use              : Default',
      ].join('\n'));
      const all = formatCertificateReferences([{ ...ref, slot: 'previous' }], { all: true }).split('\n');
      assert.match(all[0], /^# Previous \(SfB Certificates' view/);
      assert.deepEqual(all.slice(-4), ['EffectiveDate      : 1/2/2014 1:00:00 PM', 'PreviousThumbprint : ', 'UpdateTime         : ', 'SourceScope        : Local']);
      assert.equal(formatReplicationStatus([{ UpToDate: false, ReplicaFqdn: 'edge01.contoso.com', LastStatusReport: '', LastUpdateCreation: '2012-07-30T11:36:36.000Z', ProductVersion: '' }]), [
        'UpToDate           : False', 'ReplicaFqdn        : edge01.contoso.com', 'LastStatusReport   : ', 'LastUpdateCreation : 7/30/2012 11:36:36 AM', 'ProductVersion     : ',
      ].join('\n'));
    });
  });

  describe('Get-CsCertificate', () => {
    it('returns nothing for OAuthTokenIssuer in the sample (the procedure\'s first step)', () => {
      const out = ok(getCertificate(sample, { type: ['OAuthTokenIssuer'] }, clock));
      assert.deepEqual(out.result, []);
      assert.equal(out.powershell, 'Get-CsCertificate -Type OAuthTokenIssuer');
      assert.equal(out.state, sample, 'a read changes nothing');
      assert.ok(out.notes.some((n) => /Run on fe01\.contoso\.com/.test(n)));
    });

    it('returns one object per use, with the cmdlet\'s property names', () => {
      const out = ok(getCertificate(sample, { computer: 'se01.dublin.contoso.com' }, clock));
      assert.deepEqual(out.result.map((r) => r.Use), ['Default', 'WebServicesInternal', 'WebServicesExternal']);
      assert.equal(new Set(out.result.map((r) => r.Thumbprint)).size, 1);
      assert.deepEqual(Object.keys(out.result[0]), ['Issuer', 'NotAfter', 'NotBefore', 'SerialNumber', 'Subject', 'AlternativeNames', 'Thumbprint', 'Use', 'EffectiveDate', 'PreviousThumbprint', 'UpdateTime', 'SourceScope', 'slot']);
      assert.match(out.result[0].Subject, /(^|, )CN=se01\.dublin\.contoso\.com(,|$)/);
      assert.equal(out.result[0].SourceScope, 'Local');
      assert.match(out.result[0].Issuer, /Contoso Issuing CA/);
    });

    it('filters by -Type and names an unknown computer', () => {
      const out = ok(getCertificate(sample, { computer: 'fe02.contoso.com', type: ['WebServicesExternal'] }, clock));
      assert.deepEqual(out.result.map((r) => r.Use), ['WebServicesExternal']);
      failure(getCertificate(sample, { computer: 'fe09.contoso.com' }, clock), 'computer-not-found');
    });
  });

  describe('Import-CsCertificate', () => {
    it('CMS set: imports and assigns the global OAuthTokenIssuer, bumps the CMS version; the password is used, never kept', () => {
      const out = ok(importGlobal(sample, 'sample-certificates/contoso-oauth.pfx'));
      assert.equal(out.powershell, 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path "C:\\Certificates\\contoso-oauth.pfx" -Password $pfxPassword');
      assert.equal(out.state.cms.version, sample.cms.version + 1);
      assert.equal(out.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, candidate.thumbprint);
      const held = out.state.cms.certificates[0];
      assert.deepEqual([held.thumbprint, held.hasPrivateKey, held.source, held.sourceFile], [candidate.thumbprint, true, 'import', 'sample-certificates/contoso-oauth.pfx']);
      assert.ok(out.notes.includes(PFX_PASSWORD_NOTE));
      assert.ok(!JSON.stringify(out).includes(SAMPLE_PASSWORD), 'the password appears nowhere in the outcome or the state');
      assert.equal(out.state.history.length, 1);
      assert.equal(out.state.history[0].powershell, out.powershell);
      assert.equal(out.state.history[0].at, NOW.toISOString());
    });

    it('refuses a key under 2048 bits with the reason, and leaves the state untouched', () => {
      const error = failure(importGlobal(sample, 'sample-certificates/legacy-1024.pfx'), 'oauth-candidate-refused');
      assert.match(error.message, /at least 2048 bits/);
      assert.match(error.message, new RegExp(legacy.thumbprint));
    });

    it('a wrong password, a -Type that is not global, -Roll without -EffectiveDate: clear errors', () => {
      const wrong = importGlobal(sample, 'sample-certificates/contoso-oauth.pfx', { password: 'not it' });
      assert.ok(!wrong.ok);
      assert.match(wrong.error.message, /contoso-oauth\.pfx/);
      assert.ok(!JSON.stringify(wrong).includes('not it'));
      failure(importGlobal(sample, 'sample-certificates/contoso-oauth.pfx', { type: ['Default'] }), 'type-not-global');
      const roll = failure(importGlobal(sample, 'sample-certificates/contoso-oauth.pfx', { roll: true }), 'roll-needs-effective-date');
      assert.match(roll.fix!, /-EffectiveDate/);
    });

    it('local set: into one computer\'s store with -PrivateKeyExportable, nothing assigned, no CMS change', () => {
      const out = ok(importCertificate(sample, { computer: 'fe02.contoso.com', path: 'C:\\Certificates\\contoso-oauth.pfx', bytes: files.get('sample-certificates/contoso-oauth.pfx')!, password: SAMPLE_PASSWORD, privateKeyExportable: true }, clock));
      assert.equal(out.powershell, 'Import-CsCertificate -Path "C:\\Certificates\\contoso-oauth.pfx" -Password $pfxPassword -PrivateKeyExportable $True');
      const stored = fe(out.state, 'fe02').certificates.find((c) => c.thumbprint === candidate.thumbprint)!;
      assert.deepEqual([stored.exportable, stored.hasPrivateKey, stored.source], [true, true, 'import']);
      assert.equal(out.state.cms, sample.cms);
      assert.equal(fe(out.state, 'fe02').assignments, fe(sample, 'fe02').assignments);
    });
  });

  describe('Set-CsCertificate', () => {
    it('global from a thumbprint typed with spaces, lowercase and U+200E: the CMS takes a copy with the key from the computer\'s store', () => {
      const typed = `\u200E${candidate.thumbprint.toLowerCase().replace(/(..)/g, '$1 ')}`;
      const out = ok(setCertificate(sample, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: typed, computer: 'fe01.contoso.com' }, clock));
      assert.equal(out.powershell, `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${candidate.thumbprint}`);
      assert.ok(out.notes.length >= 2);
      assert.ok(out.notes.some((n) => /takes a copy .* with its private key/.test(n)));
      assert.equal(out.state.cms.certificates[0].thumbprint, candidate.thumbprint);
      assert.equal(out.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, candidate.thumbprint);
      assert.equal(out.state.cms.version, 2);
    });

    it('warns when a certificate whose private key is not exportable becomes the OAuthTokenIssuer certificate (issue #14 point 8, C8)', () => {
      assert.deepEqual(ok(setCertificate(sample, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com' }, clock)).findings.filter((f) => f.rule === 'oauth.key-not-exportable'), []);
      const at = findServer(sample, 'fe01.contoso.com')!;
      const locked: Deployment = {
        ...sample,
        pools: sample.pools.map((p, i) => (i !== at.poolIndex ? p : { ...p, servers: p.servers.map((s, j) => (j !== at.serverIndex ? s : { ...s, certificates: s.certificates.map((c) => (c.thumbprint === candidate.thumbprint ? { ...c, exportable: false } : c)) })) })),
      };
      const out = ok(setCertificate(locked, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com' }, clock));
      const f = out.findings.find((x) => x.rule === 'oauth.key-not-exportable');
      assert.equal(f?.severity, 'warning');
      assert.match(f!.message, /not exportable.*Stage AV and OAuth certificates.*exportable private key/);
      assert.equal(out.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, candidate.thumbprint, 'a warning, not a refusal');
    });

    it('fails for a thumbprint in no relevant store, and for a certificate without its private key', () => {
      failure(setCertificate(sample, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: 'AB'.repeat(20), computer: 'fe01.contoso.com' }, clock), 'thumbprint-not-found');
      failure(setCertificate(sample, { type: ['Default'], thumbprint: candidate.thumbprint, computer: 'fe02.contoso.com' }, clock), 'thumbprint-not-found');
      const fe02 = findServer(sample, 'fe02.contoso.com')!;
      const keyless: Deployment = { ...sample, pools: [{ ...sample.pools[0], servers: sample.pools[0].servers.map((s) => (s === fe02.server ? { ...s, certificates: s.certificates.map((c) => ({ ...c, hasPrivateKey: false })) } : s)) }, ...sample.pools.slice(1)] };
      const error = failure(setCertificate(keyless, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: defaultOf(sample, 'fe02').thumbprint, computer: 'fe02.contoso.com' }, clock), 'no-private-key');
      assert.match(error.message, /private key/);
      assert.equal(error.source, 'extension-rule');
    });

    it('per computer, several uses at once (Default,WebServicesInternal,WebServicesExternal); the replaced certificates are kept as previous', () => {
      const thumbprint = defaultOf(sample, 'fe02').thumbprint;
      const out = ok(setCertificate(sample, { type: ['Default', 'WebServicesInternal', 'WebServicesExternal'], thumbprint, computer: 'fe02.contoso.com' }, clock));
      assert.equal(out.powershell, `Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint ${thumbprint}`);
      const slots = fe(out.state, 'fe02').assignments;
      assert.equal(slots.WebServicesInternal?.current?.thumbprint, thumbprint);
      assert.equal(slots.WebServicesInternal?.previous?.thumbprint, fe(sample, 'fe02').assignments.WebServicesInternal?.current?.thumbprint);
      assert.equal(slots.Default?.previous, undefined, 'Default was already this certificate');
      assert.ok(out.notes.some((n) => /kept as the previous WebServicesInternal certificate .*unconfirmed/.test(n)));
      assert.equal(out.state.cms, sample.cms, 'a per-computer change does not touch the CMS');
      assert.equal(ok(getCertificate(out.state, { computer: 'fe02.contoso.com' }, clock)).result.filter((r) => r.Thumbprint === thumbprint).length, 3);
    });

    it('-Roll needs -EffectiveDate; the date must be readable; -EffectiveDate alone is the model\'s refusal', () => {
      const base = { identity: 'global' as const, type: ['OAuthTokenIssuer' as const], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com' };
      failure(setCertificate(sample, { ...base, roll: true }, clock), 'roll-needs-effective-date');
      const bad = failure(setCertificate(sample, { ...base, roll: true, effectiveDate: '31/7/2026' }, clock), 'invalid-date');
      assert.match(bad.message, /month first/);
      assert.equal(failure(setCertificate(sample, { ...base, effectiveDate: '7/1/2026' }, clock), 'effective-date-needs-roll').source, 'extension-rule');
    });

    it('refuses -Identity global for a per-computer use and mixed scopes', () => {
      failure(setCertificate(sample, { identity: 'global', type: ['Default'], thumbprint: candidate.thumbprint }, clock), 'type-not-global');
      failure(setCertificate(sample, { type: ['Default', 'OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com' }, clock), 'mixed-scopes');
    });
  });

  describe('roll and Remove-CsCertificate', () => {
    it('stages a roll, applies it when the clock reaches the date, then removes the previous certificate', () => {
      const first = ok(setCertificate(sample, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: defaultOf(sample, 'fe01').thumbprint, computer: 'fe01.contoso.com' }, clock)).state;
      const staged = ok(setCertificate(first, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com', effectiveDate: '3/10/2026 6:00:00 AM', roll: true }, clock));
      assert.equal(staged.powershell, `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${candidate.thumbprint} -EffectiveDate "3/10/2026 6:00:00 AM" -Roll`);
      assert.equal(staged.state.cms.assignments.OAuthTokenIssuer?.pending?.effectiveDate, '2026-03-10T06:00:00.000Z');
      assert.equal(staged.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, defaultOf(sample, 'fe01').thumbprint);
      const later = ok(getCertificate(staged.state, { identity: 'global', type: ['OAuthTokenIssuer'], includePreviousAndPending: true }, fixedClock('2026-03-10T06:00:00Z')));
      assert.deepEqual(later.result.map((r) => [r.slot, r.Thumbprint]), [['current', candidate.thumbprint], ['previous', defaultOf(sample, 'fe01').thumbprint]]);
      assert.equal(later.result[0].PreviousThumbprint, defaultOf(sample, 'fe01').thumbprint);
      assert.equal(later.state.history.at(-1)?.cmdlet, 'Roll');
      assert.ok(later.notes.some((n) => /roll took effect \(global\)/.test(n)));
      const removed = ok(removeCertificate(later.state, { type: ['OAuthTokenIssuer'], previous: true, computer: 'fe02.contoso.com' }, clock));
      assert.equal(removed.powershell, 'Remove-CsCertificate -Type OAuthTokenIssuer -Previous');
      assert.equal(removed.state.cms.assignments.OAuthTokenIssuer?.previous, undefined);
      assert.equal(removed.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, candidate.thumbprint);
      assert.ok(removed.notes.some((n) => /Without -Identity the cmdlet acts on this computer.*applies the command to that global assignment.*\(SfB Certificates' rule; the product's exact behaviour is unconfirmed\)/.test(n)), removed.notes.join('\n'));
      failure(removeCertificate(removed.state, { identity: 'global', type: ['OAuthTokenIssuer'], previous: true }, clock), 'nothing-to-remove');
    });

    it('a roll to a certificate not valid at the effective date is refused; one dated in the past takes effect at once', () => {
      const refused = failure(setCertificate(sample, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com', effectiveDate: '1/1/2030', roll: true }, clock), 'oauth-candidate-refused');
      assert.match(refused.message, /would become the current OAuthTokenIssuer certificate on 1\/1\/2030/);
      const past = ok(setCertificate(sample, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com', effectiveDate: '2/20/2026', roll: true }, clock));
      assert.equal(past.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, candidate.thumbprint);
      assert.ok(past.notes.some((n) => /already come, so OAuthTokenIssuer rolls at once \(SfB Certificates' rule/.test(n)));
      assert.deepEqual(past.state.history.map((h) => h.cmdlet), ['Set-CsCertificate', 'Roll']);
    });

    it('a roll accepts a certificate not valid yet whose validity starts by the effective date (judged then, not now)', () => {
      // The candidate as a renewal issued for later: valid from March 5, 2026 (now is March 1).
      const renewal = { ...candidate, notBefore: '2026-03-05T00:00:00.000Z' };
      const at = findServer(sample, 'fe01.contoso.com')!;
      const withRenewal: Deployment = { ...sample, pools: sample.pools.map((p, i) => (i !== at.poolIndex ? p : { ...p, servers: p.servers.map((s) => (s !== at.server ? s : { ...s, certificates: s.certificates.map((c) => (c.thumbprint === candidate.thumbprint ? renewal : c)) })) })) };
      const request = { identity: 'global' as const, type: ['OAuthTokenIssuer' as const], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com' };
      const now = failure(setCertificate(withRenewal, request, clock), 'oauth-candidate-refused');
      assert.match(now.message, /not valid before/);
      const staged = ok(setCertificate(withRenewal, { ...request, effectiveDate: '3/10/2026', roll: true }, clock));
      assert.equal(staged.state.cms.assignments.OAuthTokenIssuer?.pending?.thumbprint, candidate.thumbprint);
      assert.equal(staged.findings.filter((f) => f.severity === 'error').length, 0);
      const tooEarly = failure(setCertificate(withRenewal, { ...request, effectiveDate: '3/4/2026', roll: true }, clock), 'oauth-candidate-refused');
      assert.match(tooEarly.message, /would become the current OAuthTokenIssuer certificate on 3\/4\/2026.*not valid before/);
    });

    it('Remove-CsCertificate -Identity global stops using the current certificate and bumps the CMS version', () => {
      const assigned = ok(importGlobal(sample, 'sample-certificates/contoso-oauth.pfx')).state;
      const out = ok(removeCertificate(assigned, { identity: 'global', type: ['OAuthTokenIssuer'] }, clock));
      assert.deepEqual(out.state.cms.assignments.OAuthTokenIssuer, {});
      assert.equal(out.state.cms.version, assigned.cms.version + 1);
      assert.ok(out.notes.some((n) => /stays in the certificate store/.test(n)));
    });
  });

  describe('replication', () => {
    it('Invoke deploys the global certificate to the Front Ends; an unreachable one fails and stays UpToDate False', () => {
      const assigned = ok(importGlobal(sample, 'sample-certificates/contoso-oauth.pfx')).state;
      const cut = ok(setReplicaReachable(assigned, 'fe03.contoso.com', false, clock)).state;
      const out = ok(invokeReplication(cut, {}, clock));
      assert.equal(out.powershell, 'Invoke-CsManagementStoreReplication');
      assert.deepEqual(out.result.filter((r) => !r.upToDate).map((r) => r.replicaFqdn), ['fe03.contoso.com']);
      assert.deepEqual(out.findings.map((f) => [f.rule, f.where.path]), [['replication.failed', 'pools[0].servers[2].replica']]);
      for (const host of ['fe01', 'fe02']) assert.equal(fe(out.state, host).assignments.OAuthTokenIssuer?.current?.thumbprint, candidate.thumbprint);
      assert.equal(fe(out.state, 'fe03').assignments.OAuthTokenIssuer, undefined);
      assert.equal(fe(out.state, 'edge01').assignments.OAuthTokenIssuer, undefined);
      const status = ok(runOperation(out.state, { cmdlet: 'Get-CsManagementStoreReplicationStatus', replicaFqdn: 'fe03.contoso.com' }, clock));
      assert.deepEqual(status.result.map((r) => r.UpToDate), [false]);
      assert.equal(status.powershell, 'Get-CsManagementStoreReplicationStatus -ReplicaFqdn "fe03.contoso.com"');
    });

    it('deploys the global certificate to the Director too, and says where that fact comes from (issue #14 point 1, C5)', () => {
      const director = buildPool('dir01.contoso.com', 'Director', [buildServer('dir01.contoso.com', { roles: ['Registrar', 'Director', 'WebServices'] })], { siteId: sample.sites[0].id });
      const withDirector: Deployment = { ...sample, pools: [...sample.pools, director] };
      const imported = ok(importGlobal(withDirector, 'sample-certificates/contoso-oauth.pfx'));
      const receivers = withDirector.pools.filter((p) => p.kind !== 'Edge').reduce((n, p) => n + p.servers.length, 0);
      assert.match(imported.notes.join(' '), new RegExp(`to the ${receivers} Front End, Standard Edition and Director servers`));
      const assigned = imported.state;
      const out = ok(invokeReplication(assigned, {}, clock));
      assert.equal(fe(out.state, 'dir01').assignments.OAuthTokenIssuer?.current?.thumbprint, candidate.thumbprint);
      assert.ok(fe(out.state, 'dir01').certificates.some((c) => c.thumbprint === candidate.thumbprint && c.hasPrivateKey && c.source === 'replication'));
      assert.ok(out.notes.includes(DIRECTOR_OAUTH_NOTE), out.notes.join('\n'));
      assert.match(DIRECTOR_OAUTH_NOTE, /Lync Server 2013 Director certificate summaries.*SfB Certificates' reading/);
      assert.deepEqual(SERVER_USES.Director, ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer']);
      assert.equal(receivesGlobalCertificates({ kind: 'Director' }), true);
      assert.equal(receivesGlobalCertificates({ kind: 'Edge' }), false);
      // The shell's default computer stays a Front End.
      assert.equal(defaultComputer(out.state)?.pool.kind, 'FrontEndEnterprise');
    });
  });

  describe('Certificates MMC (not cmdlets)', () => {
    const exportArgs = () => ({ computer: 'fe01.contoso.com', thumbprint: candidate.thumbprint, sourceBytes: files.get(candidate.sourceFile!)!, sourcePassword: SAMPLE_PASSWORD, password: 'New-Pfx-Pass1', path: 'C:\\Export\\oauth.pfx' });

    it('exports a certificate with its private key to a new PFX under a new password', () => {
      const out = ok(mmcExport(sample, exportArgs(), clock));
      assert.match(out.powershell, /^# Certificates MMC \(not a cmdlet\): on fe01\.contoso\.com: .*Export.*"C:\\Export\\oauth\.pfx"$/);
      assert.equal(out.state, sample);
      const read = readCertificateFile(out.result.pfx, { password: 'New-Pfx-Pass1', fileName: 'oauth.pfx' });
      assert.ok(read.ok, read.ok ? '' : read.error.message);
      assert.equal(read.record.thumbprint, candidate.thumbprint);
      assert.equal(read.record.hasPrivateKey, true);
      assert.ok(!out.powershell.includes('New-Pfx-Pass1') && !out.notes.join(' ').includes('New-Pfx-Pass1'));
    });

    it('exports the end-entity certificate, its key and only its certification path, as the reader selects them', function () {
      this.timeout(60_000);
      // The source PFX, rebuilt by openssl with an unrelated certificate beside the certificate, its key and its CA.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-export-'));
      try {
        fs.writeFileSync(path.join(dir, 'source.pfx'), files.get(candidate.sourceFile!)!);
        const pem = openssl(['pkcs12', '-in', 'source.pfx', '-nodes', '-passin', 'stdin'], { cwd: dir, input: `${SAMPLE_PASSWORD}\n` }).toString();
        const unrelated = generateCertificate({ subject: { CN: 'unrelated.fabrikam.com', O: 'Fabrikam' }, dnsNames: ['unrelated.fabrikam.com'] });
        fs.writeFileSync(path.join(dir, 'all.pem'), pem + unrelated.certPem);
        openssl(['pkcs12', '-export', '-in', 'all.pem', '-out', 'extra.pfx', '-passout', 'env:SFB_FIXTURE_PASSWORD'], { cwd: dir });
        const source = fs.readFileSync(path.join(dir, 'extra.pfx'));
        const sourceRead = readCertificateFile(source, { password: FIXTURE_PASSWORD });
        assert.ok(sourceRead.ok && sourceRead.record.thumbprint === candidate.thumbprint);
        assert.match(sourceRead.notes.join('\n'), /outside the certification path: CN=unrelated\.fabrikam\.com/);
        const path_ = sourceRead.chain.filter((c) => c.subject !== 'CN=unrelated.fabrikam.com, O=Fabrikam');
        assert.ok(path_.length >= 1, 'the sample certificate comes with its issuing CA');

        const exported = ok(mmcExport(sample, { ...exportArgs(), sourceBytes: source, sourcePassword: FIXTURE_PASSWORD }, clock)).result.pfx;
        const read = readCertificateFile(exported, { password: 'New-Pfx-Pass1' });
        assert.ok(read.ok, read.ok ? '' : read.error.message);
        assert.deepEqual([read.record.thumbprint, read.record.hasPrivateKey], [candidate.thumbprint, true]);
        assert.deepEqual(read.chain.map((c) => c.thumbprint), path_.map((c) => c.thumbprint));
        // openssl's own count of what the file holds: the end entity and its path, nothing else.
        fs.writeFileSync(path.join(dir, 'exported.pfx'), exported);
        const certificates = openssl(['pkcs12', '-in', 'exported.pfx', '-nokeys', '-passin', 'stdin'], { cwd: dir, input: 'New-Pfx-Pass1\n' }).toString();
        assert.equal(certificates.match(/-----BEGIN CERTIFICATE-----/g)?.length, 1 + path_.length);
        assert.ok(!certificates.includes('unrelated.fabrikam.com'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a source file whose end entity is another certificate, or that is not a PFX', () => {
      const other = failure(mmcExport(sample, { ...exportArgs(), sourceBytes: files.get('sample-certificates/legacy-1024.pfx')! }, clock), 'pfx-mismatch');
      assert.match(other.message, /holds the certificate [0-9A-F]{40} \(.*\), not [0-9A-F]{40}\./);
      const certificateOnly = failure(mmcExport(sample, { ...exportArgs(), sourceBytes: Buffer.from(candidate.derBase64, 'base64') }, clock), 'pfx-mismatch');
      assert.match(certificateOnly.message, /is not a PKCS #12 \(\.pfx\) file/);
    });

    it('refuses without an exportable key, without a source file, or with the wrong source password', () => {
      const fe01 = findServer(sample, 'fe01.contoso.com')!;
      const edit = (change: Partial<StoredCertificate>): Deployment => ({
        ...sample,
        pools: [{ ...sample.pools[0], servers: sample.pools[0].servers.map((s) => (s === fe01.server ? { ...s, certificates: s.certificates.map((c) => (c.thumbprint === candidate.thumbprint ? { ...c, ...change } : c)) } : s)) }, ...sample.pools.slice(1)],
      });
      failure(mmcExport(edit({ exportable: false }), exportArgs(), clock), 'key-not-exportable');
      failure(mmcExport(edit({ hasPrivateKey: false }), exportArgs(), clock), 'no-private-key');
      failure(mmcExport(edit({ sourceFile: undefined }), exportArgs(), clock), 'no-source-file');
      failure(mmcExport(sample, { ...exportArgs(), sourcePassword: 'wrong' }, clock), 'wrong-password');
      failure(mmcExport(sample, { ...exportArgs(), password: '' }, clock), 'password-required');
    });

    it('imports into one computer\'s store only (not replicated; key not exportable unless asked)', () => {
      const exported = ok(mmcExport(sample, exportArgs(), clock)).result.pfx;
      const out = ok(mmcImport(sample, { computer: 'fe02.contoso.com', path: 'C:\\Export\\oauth.pfx', bytes: exported, password: 'New-Pfx-Pass1' }, clock));
      const stored = fe(out.state, 'fe02').certificates.find((c) => c.thumbprint === candidate.thumbprint)!;
      assert.deepEqual([stored.source, stored.hasPrivateKey, stored.exportable], ['mmc-import', true, false]);
      assert.equal(out.state.cms, sample.cms);
      assert.equal(fe(out.state, 'fe03'), fe(sample, 'fe03'));
      assert.ok(out.notes.some((n) => /does not replicate/.test(n)));
      assert.equal(out.state.history[0].cmdlet, 'MMC-Import');
      assert.ok(!JSON.stringify(out.state).includes('New-Pfx-Pass1'));
    });
  });

  describe('the model\'s own actions and the dispatcher', () => {
    it('setSimulatedNow moves the clock (recorded in history); undefined goes back to real time', () => {
      const out = ok(setSimulatedNow(sample, '7/1/2026'));
      assert.equal(out.state.simulatedNow, '2026-07-01T00:00:00.000Z');
      assert.match(out.powershell, /^# SfB Certificates \(not a cmdlet\): simulated clock set to 7\/1\/2026 12:00:00 AM \(UTC\)$/);
      const staged = ok(setCertificate(out.state, { identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com', effectiveDate: '7/10/2026', roll: true }, fixedClock(out.state.simulatedNow!))).state;
      const rolled = ok(setSimulatedNow(staged, '2026-07-10T00:00:00Z'));
      assert.deepEqual(rolled.result.rollsApplied.map((r) => [r.use, r.serverFqdn, r.thumbprint]), [['OAuthTokenIssuer', undefined, candidate.thumbprint]]);
      assert.deepEqual(rolled.state.history.slice(-2).map((h) => [h.cmdlet, h.at]), [['Set-SimulatedDate', '2026-07-10T00:00:00.000Z'], ['Roll', '2026-07-10T00:00:00.000Z']]);
      const back = ok(setSimulatedNow(out.state, undefined));
      assert.equal('simulatedNow' in back.state, false);
      failure(setSimulatedNow(sample, 'someday'), 'invalid-date');
    });

    it('runOperation dispatches every request; errors never change the state', () => {
      const requests: OperationRequest[] = [
        { cmdlet: 'Get-CsCertificate', type: ['Default'] },
        { cmdlet: 'Get-CsManagementStoreReplicationStatus' },
        { cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: 'edge01.contoso.com' },
        { cmdlet: 'Simulate-ReplicaReachability', replicaFqdn: 'edge02.contoso.com', reachable: false },
        { cmdlet: 'Set-SimulatedDate', date: '2026-03-05T00:00:00Z' },
        { cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com' },
        { cmdlet: 'Remove-CsCertificate', computer: 'edge01.contoso.com', type: ['Internal'] },
      ];
      for (const request of requests) ok(runOperation(sample, request, clock));
      const failing: OperationRequest[] = [
        { cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: 'nowhere.contoso.com' },
        { cmdlet: 'Remove-CsCertificate', computer: 'edge01.contoso.com', type: ['Internal'], previous: true },
        { cmdlet: 'MMC-Import', computer: 'fe02.contoso.com', path: 'x.pfx', bytes: new Uint8Array([1, 2, 3]), password: 'x' },
      ];
      for (const request of failing) assert.equal(runOperation(sample, request, clock).ok, false, request.cmdlet);
    });

    it('turns malformed requests from untyped callers (the webview) into errors, not crashes', () => {
      const untyped = (request: object) => runOperation(sample, request as OperationRequest, clock);
      failure(untyped({ cmdlet: 'Set-CsCertificate', computer: 'fe01.contoso.com', type: ['Bogus'], thumbprint: candidate.thumbprint }), 'unknown-type');
      failure(untyped({ cmdlet: 'Get-CsCertificate', type: ['oauth'] }), 'unknown-type');
      const typeRequired = failure(untyped({ cmdlet: 'Set-CsCertificate', computer: 'fe01.contoso.com', thumbprint: candidate.thumbprint }), 'type-required');
      // Issue #14 point 7 (C7): the reference lists -Type as optional, so requiring it is labelled as the extension's rule.
      assert.equal(typeRequired.source, 'extension-rule');
      assert.match(typeRequired.message, /lists -Type as optional.*\(SfB Certificates' rule/);
      failure(untyped({ cmdlet: 'Set-CsCertificate', computer: 'fe01.contoso.com', type: ['Default'] }), 'invalid-thumbprint');
      failure(untyped({ cmdlet: 'MMC-Export', computer: '', thumbprint: candidate.thumbprint, sourceBytes: new Uint8Array(), password: 'x', path: 'x.pfx' }), 'computer-required');
      failure(untyped({ cmdlet: 'Simulate-ReplicaReachability', reachable: false }), 'computer-required');
    });
  });
});
