// Benchmark: Import Inventory of 1,000 servers / 5,000 certificates (one collector file, real certificates made with
// certgen), against loading the deployment file the import makes (the same deployment). The import reads every
// certificate's DER with the certificate reader, so it costs a multiple of the load; target ≤ 25 × the load.
// Medians of paired runs; prints PASS/MISS; asserts nothing.
//   npx tsc -p tsconfig.test.json && node --expose-gc out/test/bench/inventory.bench.js
import { createTestCA, generateCertificate, generateRsaKeyPair, importInventories, importInventoriesSteps, parseDeployment, serializeDeployment, type Inventory } from '../../src/core';
import { csEntry, storeEntry } from '../fixtures/inventory';
import { publishedTopology, type ClusterSpec } from '../fixtures/topologyXml';
import { median, once } from './measure';

const TARGET_RATIO = 25;
const STEP_TARGET_MS = 100;
const POOLS = 200;
const PER_POOL = 5;
const DAY = 86_400_000;

async function inventory(now: Date): Promise<Inventory> {
  const keyPair = await generateRsaKeyPair(2048);
  const ca = createTestCA('Bench CA', { keyPair, notBefore: new Date(now.getTime() - 800 * DAY), notAfter: new Date(now.getTime() + 3000 * DAY) });
  const cert = (cn: string) => generateCertificate({ subject: { CN: cn, O: 'Contoso' }, dnsNames: [cn, 'sip.contoso.com'], keyPair, issuer: ca, notBefore: new Date(now.getTime() - 50 * DAY), notAfter: new Date(now.getTime() + 400 * DAY) });
  const oauth = cert('contoso.com');
  const next = cert('contoso.com');
  const clusters: ClusterSpec[] = [];
  for (let p = 0; p < POOLS; p++) {
    clusters.push({ fqdn: `pool${p}.contoso.com`, machines: Array.from({ length: PER_POOL }, (_, m) => `fe${p}-${m}.contoso.com`), singleMachine: false, services: [{ role: 'UserServices' }, { role: 'Registrar' }, { role: 'WebServices' }, ...(p === 0 ? [{ role: 'CentralMgmt' as const }] : [])] });
  }
  const xml = publishedTopology({ sipDomains: ['contoso.com'], sites: [{ id: 1, name: 'Redmond', clusters }] });
  const since = new Date(now.getTime() - 30 * DAY).toISOString();
  const rollAt = new Date(now.getTime() + 30 * DAY).toISOString();
  const computers: Inventory['computers'] = [];
  for (const c of clusters) {
    for (const fqdn of c.machines as string[]) {
      const def = cert(fqdn);
      const web = cert(`web-${fqdn}`);
      const old = cert(`old-${fqdn}`);
      computers.push({
        fqdn,
        csCertificates: [csEntry(def, 'Default', { EffectiveDate: since }), csEntry(web, 'WebServicesInternal', { EffectiveDate: since }), csEntry(oauth, 'OAuthTokenIssuer', { EffectiveDate: since }), csEntry(next, 'OAuthTokenIssuer', { EffectiveDate: rollAt })],
        store: [storeEntry(def), storeEntry(web), storeEntry(old), storeEntry(oauth), storeEntry(next)],
      });
    }
  }
  return {
    schema: 'sfb-inventory/1', collectedAt: now.toISOString(), collectedOn: 'fe0-0.contoso.com', topologyXml: xml,
    replication: computers.map((c) => ({ ReplicaFqdn: c.fqdn, UpToDate: true, LastStatusReport: now.toISOString(), LastUpdateCreation: since, ProductVersion: '7.0.2046.0' })),
    computers,
  };
}

async function main(): Promise<void> {
  const now = new Date();
  const made = Date.now();
  const inv = await inventory(now);
  const bytes = Buffer.from(JSON.stringify(inv), 'utf8');
  const first = importInventories([{ name: 'bench.json', bytes }], { now });
  if (!first.ok) throw new Error(first.error.message);
  const store = serializeDeployment(first.deployment);
  const certificates = inv.computers.reduce((n, c) => n + c.store.length, 0);
  console.log(`Inventory: ${inv.computers.length} servers, ${certificates} certificates, ${(bytes.length / 1e6).toFixed(1)} MB (made in ${((Date.now() - made) / 1000).toFixed(0)} s); its deployment file ${(store.length / 1e6).toFixed(1)} MB · Node ${process.version}\n`);
  const refs: number[] = [];
  const times: number[] = [];
  const ratios: number[] = [];
  parseDeployment(store);
  for (let i = 0; i < 5; i++) {
    const ref = once(() => parseDeployment(store));
    const t = once(() => importInventories([{ name: 'bench.json', bytes }], { now }));
    refs.push(ref);
    times.push(t);
    ratios.push(t / ref);
  }
  const ratio = median(ratios);
  console.log(`parseDeployment(the same deployment's file) (reference)  ${median(refs).toFixed(0).padStart(6)} ms`);
  console.log(`importInventories(1 file)                                 ${median(times).toFixed(0).padStart(6)} ms   ${ratio.toFixed(1)} × reference`);
  console.log(`\nTarget: import ≤ ${TARGET_RATIO} × loading the deployment file it makes (medians of paired runs)`);
  console.log(`${ratio <= TARGET_RATIO ? 'PASS' : 'MISS'}  ${ratio.toFixed(1)} ×`);

  // As VS Code runs it (Import Inventory…, src/ui/inventoryCommands.ts): in steps, the extension host free between two.
  // The longest step is the longest the import can stall the extension host.
  const longest: number[] = [];
  let count = 0;
  for (let i = 0; i < 3; i++) {
    const steps = importInventoriesSteps([{ name: 'bench.json', bytes }], { now });
    let max = 0;
    count = 0;
    for (;;) {
      const t = performance.now();
      const step = steps.next();
      max = Math.max(max, performance.now() - t);
      count++;
      if (step.done) break;
    }
    longest.push(max);
  }
  const stall = median(longest);
  console.log(`\nIn steps (Import Inventory… in VS Code): ${count} steps, the longest ${stall.toFixed(0)} ms (median of 3)`);
  console.log(`Target: no step longer than ${STEP_TARGET_MS} ms (issue #18's bound for a host stall during a change)`);
  console.log(`${stall <= STEP_TARGET_MS ? 'PASS' : 'MISS'}  ${stall.toFixed(0)} ms`);
}

void main();
