// Benchmark: a generated deployment of 12,000 servers holding 50,000 certificates.
// Measures one global Set-CsCertificate plus the replication bookkeeping over every Front End (target ≤ 50 ms),
// rule evaluation, and the other whole-deployment passes. Prints PASS/MISS against each target; asserts nothing.
//   npx tsc -p tsconfig.test.json && node out/test/bench/operations.bench.js
import { applyDueRolls, fixedClock } from '../../src/core/clock';
import type { Deployment, OperationOk, OperationOutcome, Pool, Server, StoredCertificate } from '../../src/core/model';
import { runOperation } from '../../src/core/operations';
import { evaluateRules } from '../../src/core/rules';
import { medianMs } from './measure';

const SERVERS = 12_000;
const CERTIFICATES = 50_000;
const POOL_SIZE = 12;
const NOW = new Date('2026-03-01T12:00:00Z');
const clock = fixedClock(NOW);

function thumbprint(n: number): string {
  return n.toString(16).toUpperCase().padStart(40, '0');
}

function certificate(n: number, subject: string, names: string[]): StoredCertificate {
  return {
    thumbprint: thumbprint(n), serialNumber: n.toString(16).toUpperCase(), subject: `CN=${subject}`, issuer: 'CN=Contoso Issuing CA',
    subjectAlternativeNames: names.map((value) => ({ type: 'dns' as const, value })),
    notBefore: '2025-06-01T00:00:00.000Z', notAfter: '2027-06-01T00:00:00.000Z', keyAlgorithm: 'RSA', keySize: 2048, signatureAlgorithm: 'sha256RSA',
    enhancedKeyUsages: [{ oid: '1.3.6.1.5.5.7.3.1', name: 'Server Authentication' }], isCA: false, hasPrivateKey: true, derBase64: '',
    exportable: true, source: 'sample', addedAt: '2025-06-01T00:00:00.000Z',
  };
}

function generate(): Deployment {
  const oauth = certificate(1, 'contoso.com', ['contoso.com']);
  const next = certificate(2, 'contoso.com', ['contoso.com']);
  const at = '2025-06-01T00:00:00.000Z';
  const globalSlot = { current: { thumbprint: oauth.thumbprint, effectiveDate: at, updateTime: at } };
  const perServer = Math.floor(CERTIFICATES / SERVERS); // 4: Default, WebServicesInternal, WebServicesExternal, the replicated OAuth cert
  const extra = CERTIFICATES - perServer * SERVERS - 1; // the rest: the OAuth successor on fe0, a spare on the first servers
  let serial = 100;
  const pools: Pool[] = [];
  for (let p = 0; p < SERVERS / POOL_SIZE; p++) {
    const poolFqdn = `pool${p}.contoso.com`;
    const servers: Server[] = [];
    for (let i = 0; i < POOL_SIZE; i++) {
      const index = p * POOL_SIZE + i;
      const fqdn = `fe${index}.contoso.com`;
      const certs = [
        certificate(serial++, poolFqdn, [poolFqdn, fqdn, 'sip.contoso.com']),
        certificate(serial++, poolFqdn, [poolFqdn, fqdn, 'meet.contoso.com']),
        certificate(serial++, poolFqdn, [`webext${p}.contoso.com`, 'meet.contoso.com']),
        { ...oauth, source: 'replication' as const },
      ];
      if (index < extra) certs.push(certificate(serial++, `spare${index}.contoso.com`, []));
      if (index === 0) certs.push(next);
      const entry = (n: number) => ({ current: { thumbprint: certs[n].thumbprint, effectiveDate: at, updateTime: at } });
      servers.push({
        fqdn, roles: ['FrontEnd', 'Registrar', 'UserServices', 'WebServices'], certificates: certs,
        assignments: { Default: entry(0), WebServicesInternal: entry(1), WebServicesExternal: entry(2), OAuthTokenIssuer: globalSlot },
        replica: { appliedVersion: 7, unreachable: index % 1000 === 999, productVersion: '7.0.2046.0', lastStatusReport: at, lastUpdateCreation: at },
        setup: { localStoreInstalled: true, componentsInstalled: true, servicesStarted: true },
      });
    }
    pools.push({ fqdn: poolFqdn, siteId: `site${p % 10}`, kind: 'FrontEndEnterprise', hostsCms: p === 0, servers });
  }
  return {
    schemaVersion: 1, name: 'bench', sipDomains: [{ name: 'contoso.com', isDefault: true }],
    sites: Array.from({ length: 10 }, (_, i) => ({ id: `site${i}`, name: `Site ${i}`, kind: 'central' as const })),
    pools, cms: { version: 7, versionCreated: at, certificates: [oauth], assignments: { OAuthTokenIssuer: globalSlot } }, history: [],
  };
}

function time(work: () => unknown, runs = 9): number {
  return medianMs(work, runs);
}

/** Machine speed in this run: serializing the whole deployment, as saving the store file does. */
let referenceMs = 1;

function report(name: string, ms: number, targetMs: number): boolean {
  const pass = ms <= targetMs;
  console.log(`${pass ? 'PASS' : 'MISS'}  ${name.padEnd(58)} ${ms.toFixed(1).padStart(7)} ms  ≤ ${String(targetMs).padStart(3)} ms: ${(ms / targetMs).toFixed(2)} of target  (${(ms / referenceMs).toFixed(3)} × reference)`);
  return pass;
}

function must<R>(outcome: OperationOutcome<R>): OperationOk<R> {
  if (!outcome.ok) throw new Error(`operation failed: ${outcome.error.message}`);
  return outcome;
}

function main(): void {
  const built = process.hrtime.bigint();
  const state = generate();
  const servers = state.pools.reduce((n, p) => n + p.servers.length, 0);
  const certificates = state.pools.reduce((n, p) => n + p.servers.reduce((m, s) => m + s.certificates.length, 0), 0);
  console.log(`Deployment: ${state.pools.length} pools, ${servers} servers, ${certificates} certificates (generated in ${(Number(process.hrtime.bigint() - built) / 1e6).toFixed(0)} ms)`);
  referenceMs = time(() => JSON.stringify(state), 5);
  console.log(`Node ${process.version}; reference (JSON.stringify of the deployment, as a save does): ${referenceMs.toFixed(1)} ms\n`);

  const set = { cmdlet: 'Set-CsCertificate' as const, identity: 'global' as const, type: ['OAuthTokenIssuer' as const], thumbprint: thumbprint(2), computer: 'fe0.contoso.com' };
  const afterSet = must(runOperation(state, set, clock)).state;
  const results: boolean[] = [];
  results.push(report('Set-CsCertificate -Identity global (CMS copy, slot, version)', time(() => runOperation(state, set, clock)), 5));
  results.push(report('Invoke-CsManagementStoreReplication over 12,000 replicas', time(() => runOperation(afterSet, { cmdlet: 'Invoke-CsManagementStoreReplication' }, clock)), 45));
  results.push(report('one global Set + replication bookkeeping (together)', time(() => {
    const s = must(runOperation(state, set, clock)).state;
    return runOperation(s, { cmdlet: 'Invoke-CsManagementStoreReplication' }, clock);
  }), 50));
  results.push(report('evaluateRules (every Front End in step)', time(() => evaluateRules(state, NOW)), 150));
  results.push(report('evaluateRules while replication is pending (12,000 findings)', time(() => evaluateRules(afterSet, NOW)), 150));
  results.push(report('applyDueRolls scan (nothing due)', time(() => applyDueRolls(state, NOW)), 10));
  results.push(report('Get-CsManagementStoreReplicationStatus (all replicas)', time(() => runOperation(afterSet, { cmdlet: 'Get-CsManagementStoreReplicationStatus' }, clock)), 30));
  results.push(report('Get-CsCertificate -Type OAuthTokenIssuer (one computer)', time(() => runOperation(state, { cmdlet: 'Get-CsCertificate', computer: 'fe11999.contoso.com', type: ['OAuthTokenIssuer'] }, clock)), 5));

  const findings = evaluateRules(afterSet, NOW);
  console.log(`\nFindings after the Set, before replication: ${findings.length} (${[...new Set(findings.map((f) => f.rule))].join(', ')})`);
  console.log(`${results.filter(Boolean).length} of ${results.length} targets met.`);
}

main();
