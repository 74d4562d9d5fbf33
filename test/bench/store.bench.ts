// Benchmark: the store file of a 12,000-server / 50,000-certificate deployment (about 100 MB of JSON).
// Target: load + validate takes at most 2.0 × a plain JSON.parse of the same text — measured from the text in
// memory, and from the file (where the reference reads the file too). Also reports serialize and save times (check
// the file on disk, write + fsync, .bak, rename). Medians of paired runs; prints PASS/MISS; asserts nothing.
//   npx tsc -p tsconfig.test.json && node --expose-gc out/test/bench/store.bench.js
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCHEMA_VERSION, type Deployment, type Pool, type Server, type Slot, type StoredCertificate } from '../../src/core/model';
import { loadDeployment, parseDeployment, saveDeployment, serializeDeployment } from '../../src/core/storeFile';
import { median, once } from './measure';

const SERVERS = 12_000;
const CERTIFICATES = 50_000;
const POOL_SIZE = 12;
const TARGET_RATIO = 2.0;
const AT = '2025-06-01T00:00:00.000Z';

function certificate(n: number, subject: string, names: string[]): StoredCertificate {
  return {
    thumbprint: n.toString(16).toUpperCase().padStart(40, '0'), serialNumber: (0x1000000 + n).toString(16).toUpperCase(),
    subject: `CN=${subject}, O=Contoso, L=Redmond, S=WA, C=US`, issuer: 'CN=Contoso Issuing CA, DC=contoso, DC=com',
    subjectAlternativeNames: names.map((value) => ({ type: 'dns' as const, value })),
    notBefore: AT, notAfter: '2027-06-01T00:00:00.000Z', keyAlgorithm: 'RSA', keySize: 2048, signatureAlgorithm: 'sha256RSA',
    enhancedKeyUsages: [{ oid: '1.3.6.1.5.5.7.3.1', name: 'Server Authentication' }, { oid: '1.3.6.1.5.5.7.3.2', name: 'Client Authentication' }],
    isCA: false, hasPrivateKey: true, friendlyName: `${subject} (${n})`,
    // A 2048-bit server certificate's DER is about 1,000–1,400 bytes: the bulk of a real store file.
    derBase64: `MII${randomBytes(1050).toString('base64').slice(3)}`,
    exportable: true, source: 'import', addedAt: AT, sourceFile: `certificates/${n}.pfx`,
  };
}

function generate(): Deployment {
  const oauth = certificate(1, 'contoso.com', ['contoso.com', 'fabrikam.com']);
  const current = (thumbprint: string): Slot => ({ current: { thumbprint, effectiveDate: AT, updateTime: AT } });
  const perServer = Math.floor((CERTIFICATES - 1) / SERVERS);
  let extra = CERTIFICATES - 1 - perServer * SERVERS;
  let serial = 100;
  const pools: Pool[] = [];
  for (let p = 0; p < SERVERS / POOL_SIZE; p++) {
    const poolFqdn = `pool${p}.contoso.com`;
    const servers: Server[] = [];
    for (let i = 0; i < POOL_SIZE; i++) {
      const fqdn = `fe${p * POOL_SIZE + i}.contoso.com`;
      const certs = [
        certificate(serial++, poolFqdn, [poolFqdn, fqdn, 'sip.contoso.com', 'lyncdiscoverinternal.contoso.com']),
        certificate(serial++, poolFqdn, [poolFqdn, fqdn, 'meet.contoso.com', 'dialin.contoso.com']),
        certificate(serial++, poolFqdn, [`webext${p}.contoso.com`, 'meet.contoso.com', 'lyncdiscover.contoso.com']),
        { ...oauth, source: 'replication' as const },
      ].slice(0, perServer);
      if (extra > 0) {
        certs.push(certificate(serial++, `spare.${fqdn}`, [`spare.${fqdn}`]));
        extra--;
      }
      servers.push({
        fqdn, roles: ['FrontEnd', 'Registrar', 'UserServices', 'WebServices'], certificates: certs,
        assignments: { Default: current(certs[0].thumbprint), WebServicesInternal: current(certs[1].thumbprint), WebServicesExternal: current(certs[2].thumbprint), OAuthTokenIssuer: current(oauth.thumbprint) },
        replica: { appliedVersion: 7, unreachable: false, lastStatusReport: AT, lastUpdateCreation: AT, productVersion: '7.0.2046.0' },
        setup: { localStoreInstalled: true, componentsInstalled: true, servicesStarted: true },
      });
    }
    pools.push({ fqdn: poolFqdn, siteId: `site${p % 10}`, kind: 'FrontEndEnterprise', hostsCms: p === 0, internalWebFqdn: poolFqdn, externalWebFqdn: `webext${p}.contoso.com`, servers });
  }
  return {
    schemaVersion: SCHEMA_VERSION, name: 'Store benchmark', sipDomains: [{ name: 'contoso.com', isDefault: true }, { name: 'fabrikam.com', isDefault: false }],
    sites: Array.from({ length: 10 }, (_, i) => ({ id: `site${i}`, name: `Site ${i}`, kind: 'central' as const })),
    pools, cms: { version: 7, versionCreated: AT, certificates: [oauth], assignments: { OAuthTokenIssuer: current(oauth.thumbprint) } }, history: [],
  };
}

/**
 * Runs the reference and each measured task back to back, `runs` times after a warm-up, and returns median times
 * and median ratios to the reference: pairing each run with its own reference keeps the ratios steady on a busy machine.
 */
function measure(reference: () => unknown, tasks: Record<string, () => unknown>, runs: number): { reference: number; times: Record<string, number>; ratios: Record<string, number> } {
  reference();
  for (const task of Object.values(tasks)) task();
  const refs: number[] = [];
  const samples: Record<string, { time: number[]; ratio: number[] }> = {};
  for (let i = 0; i < runs; i++) {
    const ref = once(reference);
    refs.push(ref);
    for (const [name, task] of Object.entries(tasks)) {
      const t = once(task);
      samples[name] ??= { time: [], ratio: [] };
      samples[name].time.push(t);
      samples[name].ratio.push(t / ref);
    }
  }
  const times: Record<string, number> = {};
  const ratios: Record<string, number> = {};
  for (const [name, s] of Object.entries(samples)) {
    times[name] = median(s.time);
    ratios[name] = median(s.ratio);
  }
  return { reference: median(refs), times, ratios };
}

function ms(value: number): string {
  return `${value.toFixed(0).padStart(6)} ms`;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-store-bench-'));
  try {
    const deployment = generate();
    const file = path.join(dir, 'sfb-deployment.json');
    const text = serializeDeployment(deployment);
    fs.writeFileSync(file, text);
    const servers = deployment.pools.reduce((n, p) => n + p.servers.length, 0);
    const certificates = deployment.pools.reduce((n, p) => n + p.servers.reduce((m, s) => m + s.certificates.length, 0), 0) + deployment.cms.certificates.length;
    console.log(`Store file: ${servers} servers, ${certificates} certificates, ${(text.length / 1e6).toFixed(1)} MB · Node ${process.version}\n`);

    const check = loadDeployment(fs, file);
    if (!check.ok) throw new Error(`the generated file does not load: ${check.errors[0].path}: ${check.errors[0].message}`);

    const fromText = measure(() => JSON.parse(text), { parse: () => parseDeployment(text) }, 9);
    const fromFile = measure(() => JSON.parse(fs.readFileSync(file, 'utf8')), { load: () => loadDeployment(fs, file) }, 9);
    const uneven = measure(() => JSON.parse(text), { load: () => loadDeployment(fs, file) }, 5);
    const write = measure(() => JSON.parse(text), { serialize: () => serializeDeployment(deployment), save: () => saveDeployment(fs, file, deployment) }, 5);

    const verdict = (ratio: number): string => (ratio <= TARGET_RATIO ? 'PASS' : 'MISS');
    console.log(`JSON.parse(text) (reference)                        ${ms(fromText.reference)}`);
    console.log(`parseDeployment(text): parse + validate             ${ms(fromText.times.parse)}   ${fromText.ratios.parse.toFixed(2)} × reference`);
    console.log(`JSON.parse(readFileSync(file)) (reference)          ${ms(fromFile.reference)}`);
    console.log(`loadDeployment(file): read + parse + validate       ${ms(fromFile.times.load)}   ${fromFile.ratios.load.toFixed(2)} × reference`);
    console.log(`serializeDeployment                                 ${ms(write.times.serialize)}   ${write.ratios.serialize.toFixed(2)} × JSON.parse(text)`);
    console.log(`saveDeployment: check old file, write + fsync, .bak ${ms(write.times.save)}   ${write.ratios.save.toFixed(2)} × JSON.parse(text)`);
    console.log(`\nTarget: load + validate ≤ ${TARGET_RATIO.toFixed(1)} × plain JSON.parse of the same text (medians of paired runs)`);
    console.log(`${verdict(fromText.ratios.parse)}  from the text: ${fromText.ratios.parse.toFixed(2)} ×`);
    console.log(`${verdict(fromFile.ratios.load)}  from the file (both sides read it): ${fromFile.ratios.load.toFixed(2)} ×`);
    console.log(`      (loadDeployment(file) ÷ JSON.parse(text), reading the ${(text.length / 1e6).toFixed(0)} MB file on one side only: ${uneven.ratios.load.toFixed(2)} ×)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
