// The subject's common names read without node-forge (what the rules use on every load) give the same names as
// forge's reading: on certificates openssl and certgen make (multi-valued RDNs, UTF-8, BMPString, a quoted value that
// looks like a CN, no CN) and on thousands of mutations of them. And evaluating the rules over a deployment with real
// certificates does not load node-forge (a fresh Node process, so the other tests' loads do not count).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commonNamesOfDer, commonNamesOfPlainDer } from '../../src/core/certificates/subjectNames';
import { generateCertificate } from '../../src/core/certgen';
import { serializeDeployment } from '../../src/core';
import { openssl, requireOpenssl } from '../fixtures/makeFixtures';
import { random } from '../fixtures/fuzz';
import { fullDeployment } from '../fixtures/deployment';
import type { Deployment } from '../../src/core/model';

/** The names as before this reader: forge's, [] for DER that does not parse. */
function forgeNames(der: Buffer): string[] {
  try {
    return commonNamesOfDer(der);
  } catch {
    return [];
  }
}

describe('subject common names without node-forge', function () {
  this.timeout(60000);
  const certificates: { what: string; der: Buffer }[] = [];

  before(() => {
    requireOpenssl();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-cn-'));
    try {
      const subjects: [string, string[]][] = [
        ['/CN=contoso.com/O=Contoso/C=US', []],
        ['/O=x, CN=fabrikam.com/CN=contoso.com', []],
        ['/CN=a.contoso.com+CN=b.contoso.com/O=Contoso', ['-multivalue-rdn']],
        ['/CN=Zürich Ünïcode/O=Ärger', ['-utf8']],
        ['/O=No common name/C=US', []],
        ['/CN=bmp.contoso.com', ['-utf8']],
      ];
      subjects.forEach(([subject, extra], i) => {
        const key = path.join(dir, `k${i}.pem`);
        const args = ['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', key, '-subj', subject, '-days', '30', '-outform', 'DER', ...extra];
        if (i === 5) args.push('-config', bmpConfig(dir));
        certificates.push({ what: subject, der: openssl(args) });
      });
      certificates.push({ what: 'certgen', der: generateCertificate({ subject: { CN: 'sip.contoso.com', O: 'Contoso', C: 'US' }, keySize: 1024 }).der });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the same names as forge on real certificates (and leaves BMPString to forge)', () => {
    for (const { what, der } of certificates) {
      const plain = commonNamesOfPlainDer(der);
      if (plain !== undefined) assert.deepEqual(plain, forgeNames(der), what);
    }
    const read = certificates.filter((c) => commonNamesOfPlainDer(c.der) !== undefined).map((c) => c.what);
    assert.ok(read.length >= 6, `read without forge: ${read.join(' | ')}`);
    assert.deepEqual(commonNamesOfPlainDer(certificates[1].der), ['contoso.com']);
    assert.deepEqual(commonNamesOfPlainDer(certificates[2].der), ['a.contoso.com', 'b.contoso.com']);
    assert.deepEqual(commonNamesOfPlainDer(certificates[3].der), ['Zürich Ünïcode']);
    assert.deepEqual(commonNamesOfPlainDer(certificates[4].der), []);
    assert.equal(commonNamesOfPlainDer(certificates[5].der), undefined, 'a BMPString CN is read by forge');
    assert.deepEqual(forgeNames(certificates[5].der), ['bmp.contoso.com']);
  });

  it('never disagrees with forge on mutated certificates', () => {
    const rnd = random(0x5fb18);
    let compared = 0;
    for (let i = 0; i < 4000; i++) {
      const der = Buffer.from(certificates[Math.floor(rnd() * certificates.length)].der);
      const kind = Math.floor(rnd() * 3);
      const at = Math.floor(rnd() * Math.min(der.length, 400)); // the subject is in the first few hundred bytes
      let mutated = der;
      if (kind === 0) mutated[at] ^= 1 << Math.floor(rnd() * 8);
      else if (kind === 1) mutated[at] = Math.floor(rnd() * 256);
      else mutated = der.subarray(0, at);
      const plain = commonNamesOfPlainDer(mutated);
      if (plain === undefined) continue;
      assert.deepEqual(plain, forgeNames(mutated), `mutation ${i} (kind ${kind} at ${at})`);
      compared++;
    }
    assert.ok(compared > 2000, `${compared} compared`);
  });

  it('evaluating the rules over a deployment of real certificates does not load node-forge', () => {
    const d = deploymentWith(certificates.filter((c) => commonNamesOfPlainDer(c.der) !== undefined).map((c) => c.der.toString('base64')));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-cn-')), 'sfb-deployment.json');
    try {
      fs.writeFileSync(file, serializeDeployment(d));
      const core = path.resolve(__dirname, '..', '..', 'src', 'core', 'index.js');
      const out = execFileSync(process.execPath, ['-e', `
        const core = require(${JSON.stringify(core)});
        const parsed = core.parseDeployment(require('node:fs').readFileSync(${JSON.stringify(file)}));
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        const findings = core.evaluateRules(parsed.deployment, new Date());
        process.stdout.write(JSON.stringify({ findings: findings.length, forge: Object.keys(require.cache).filter((k) => /node-forge|forgeParts/.test(k)) }));
      `], { encoding: 'utf8' });
      const result = JSON.parse(out) as { findings: number; forge: string[] };
      assert.ok(result.findings > 0, 'the rules ran over the certificates');
      assert.deepEqual(result.forge, []);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

/** The store file fixture's deployment with one Front End per certificate, that certificate its Default and OAuth one. */
function deploymentWith(ders: string[]): Deployment {
  const d = fullDeployment();
  const template = d.pools[0].servers[0];
  d.pools[0].servers = ders.map((derBase64, i) => ({
    ...template, fqdn: `fe${i + 1}.contoso.com`, pendingRequests: [],
    certificates: template.certificates.map((c, j) => (j === 0 ? { ...c, derBase64 } : c)),
  }));
  return d;
}

/** An openssl config whose string mask makes every name value a BMPString. */
function bmpConfig(dir: string): string {
  const file = path.join(dir, 'bmp.cnf');
  fs.writeFileSync(file, '[req]\nstring_mask = MASK:0x800\ndistinguished_name = dn\n[dn]\n');
  return file;
}
