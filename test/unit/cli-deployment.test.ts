// `sfb-cert topology | check | check-oauth | sample`: most cases call the command objects directly; the last suite
// runs the bundled dist/cli.js for exit codes, stderr and stdin (building it first when it is missing or stale).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploymentCommands } from '../../src/cli/deploymentCommands';
import { UsageError } from '../../src/cli/io';
import { createTestCA, generateCertificate, testCaCrlUrl, writePfx } from '../../src/core/certgen';
import { buildPfxFromBags, type PfxBags } from '../../src/core/pfx/write';
import type { Deployment } from '../../src/core/model';
import { SAMPLE_PASSWORD } from '../../src/core/sample';
import { parseDeployment, serializeDeployment } from '../../src/core/deploymentFile';
import { importTopology } from '../../src/core/topologyImport';
import { CONTOSO, publishedTopology, tbxml } from '../fixtures/topologyXml';
import { ensureBuilt } from './cliBuild';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PASSWORD = 'Pfx-Test-2026!';
const DAY = 86_400_000;

type SyncCommand = Exclude<keyof typeof deploymentCommands, 'sample'>;
const run = (name: SyncCommand, ...argv: string[]): string => deploymentCommands[name].run(argv);

function usageError(name: SyncCommand, argv: string[], message: RegExp): void {
  assert.throws(() => deploymentCommands[name].run(argv), (e: unknown) => {
    assert.ok(e instanceof UsageError, `a UsageError, not ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

/** Runs `work` with process.stderr.write captured; returns what it wrote there. */
function capturingStderr(work: () => void): string {
  const original = process.stderr.write;
  let written = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    work();
  } finally {
    process.stderr.write = original;
  }
  return written;
}

function withPassword<T>(password: string | undefined, work: () => T): T {
  const before = process.env.SFB_CERT_PASSWORD;
  if (password === undefined) delete process.env.SFB_CERT_PASSWORD;
  else process.env.SFB_CERT_PASSWORD = password;
  try {
    return work();
  } finally {
    if (before === undefined) delete process.env.SFB_CERT_PASSWORD;
    else process.env.SFB_CERT_PASSWORD = before;
  }
}

describe('sfb-cert deployment commands', () => {
  let dir: string;
  let contoso: Deployment;
  const file = (name: string) => path.join(dir, name);
  const write = (name: string, content: string | Uint8Array) => {
    fs.writeFileSync(file(name), content);
    return file(name);
  };

  before(function () {
    this.timeout(60_000); // RSA key generation
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-cli-'));
    write('contoso.tbxml', tbxml(CONTOSO));
    write('topology.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(publishedTopology(CONTOSO), 'utf16le')]));
    const imported = importTopology(tbxml(CONTOSO), 'contoso.tbxml');
    assert.ok(imported.ok);
    contoso = imported.deployment;
    write('sfb-deployment.json', serializeDeployment(contoso));

    const ca = createTestCA('Contoso Test CA');
    const now = Date.now();
    const issue = (cn: string, keySize: number) => generateCertificate({
      subject: { CN: cn, O: 'Contoso' }, dnsNames: [cn, 'fabrikam.com'], keySize, issuer: ca, notBefore: new Date(now - DAY), notAfter: new Date(now + 400 * DAY),
      crlDistributionPoints: [testCaCrlUrl('Contoso Test CA')],
    });
    const good = issue('contoso.com', 2048);
    write('oauth.pfx', writePfx(good, PASSWORD, { chain: [ca] }));
    write('oauth.cer', good.der);
    write('short.pfx', writePfx(issue('legacy.contoso.com', 1024), PASSWORD));
    // PFX files whose key entries lie, each with a valid MAC.
    const stranger = issue('stranger.contoso.com', 2048);
    const pkcs8 = (c: typeof good) => createPrivateKey(c.keyPem).export({ type: 'pkcs8', format: 'der' });
    const id = createHash('sha1').update(good.der).digest();
    const lying = (name: string, keys: PfxBags['keys'], certificates: PfxBags['certificates'] = [{ der: good.der, localKeyId: id }, { der: ca.der }]) =>
      write(name, buildPfxFromBags({ certificates, keys, password: PASSWORD, encryption: 'aes256' }));
    lying('garbage-key.pfx', [{ pkcs8: Buffer.from('not a private key, but the MAC is right'), localKeyId: id }]);
    lying('cut-key.pfx', [{ pkcs8: pkcs8(good).subarray(0, 200), localKeyId: id }]);
    lying('stranger-key.pfx', [{ pkcs8: pkcs8(stranger), localKeyId: id }]);
    lying('key-on-ca.pfx', [{ pkcs8: pkcs8(good), localKeyId: id }], [{ der: good.der }, { der: ca.der, localKeyId: id }]);
    lying('unpaired-stranger-key.pfx', [{ pkcs8: pkcs8(stranger) }], [{ der: good.der }, { der: ca.der }]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('topology', () => {
    it('prints the sites, pools with their kind, servers, SIP domains and what it skipped', () => {
      const out = run('topology', file('contoso.tbxml'));
      assert.match(out, /^contoso\.com: 3 sites, 5 pools, 8 servers \(from .*contoso\.tbxml\)\nSIP domains: contoso\.com \(default\), fabrikam\.com\n/);
      assert.match(out, /\nRedmond \(central site, Redmond US\)\n {2}pool01\.contoso\.com {2}Enterprise Edition Front End pool · Central Management Server · 3 servers\n/);
      assert.match(out, /\n {4}fe02\.contoso\.com {2}FrontEnd, Registrar, UserServices, Mediation, WebServices, CentralManagement\n/);
      assert.match(out, /\n {2}dir01\.contoso\.com {2}Director pool · 1 server\n/);
      assert.match(out, /\n {2}se01\.dublin\.contoso\.com {2}Standard Edition server · 1 server\n/);
      assert.match(out, /\nParis \(branch site, Paris FR\)\n {2}no pools\n/);
      assert.match(out, /\nWarnings:\n {2}Skipped sql01\.contoso\.com: /);
    });

    it('--json prints a deployment file (warnings on stderr), from a UTF-16 published topology too', () => {
      let out = '';
      const stderr = capturingStderr(() => { out = run('topology', file('topology.xml'), '--json'); });
      const parsed = parseDeployment(out);
      assert.ok(parsed.ok);
      assert.equal(parsed.deployment.pools.length, 5);
      assert.match(stderr, /^sfb-cert topology: Skipped sql01\.contoso\.com/);
    });

    it('refuses what is not a topology, with what to do', () => {
      usageError('topology', [write('pom.xml', '<project><modelVersion>4.0.0</modelVersion></project>')], /pom\.xml is not a Skype for Business topology: its root element is <project>.* Export the topology again: in Topology Builder/);
      usageError('topology', [file('missing.tbxml')], /No such file: .*missing\.tbxml/);
      usageError('topology', [], /Name the topology file/);
      usageError('topology', [file('contoso.tbxml'), 'more.tbxml'], /Too many arguments: more\.tbxml\. Usage: sfb-cert topology/);
      usageError('topology', [file('contoso.tbxml'), '--yaml'], /Unknown option --yaml\. Usage: sfb-cert topology/);
      usageError('topology', [file('contoso.tbxml'), '--json=yes'], /--json takes no value/);
    });
  });

  describe('check', () => {
    it('prints the findings with their rule, path and fix', () => {
      const out = run('check', file('sfb-deployment.json'));
      assert.match(out, /sfb-deployment\.json: 1 error, 0 warnings, 0 info \(checked at \d{4}-\d\d-\d\dT[\d:.]+Z; expiry warnings 45 days ahead\)/);
      assert.match(out, /\n\nERROR {3}oauth\.missing {2}\(cms\.assignments\.OAuthTokenIssuer\)\n {2}"Unable to locate a OAuthTokenIssuer certificate".*\n {2}Fix: /);
    });

    it('--json gives the findings as data; the deployment\'s simulated date is the clock', () => {
      write('simulated.json', serializeDeployment({ ...contoso, simulatedNow: '2030-01-01T00:00:00.000Z' }));
      const out = JSON.parse(run('check', file('simulated.json'), '--json', '--expiry-days', '90'));
      assert.equal(out.checkedAt, '2030-01-01T00:00:00.000Z');
      assert.equal(out.simulated, true);
      assert.equal(out.expiryWarningDays, 90);
      assert.deepEqual(out.findings.map((f: { rule: string }) => f.rule), ['oauth.missing']);
      assert.match(run('check', file('simulated.json')), /checked at 2030-01-01T00:00:00\.000Z, the deployment's simulated date/);
    });

    it('says what it ignored while loading', () => {
      const doc = JSON.parse(serializeDeployment(contoso));
      doc.pools[0].notes = 'rack 4';
      write('notes.json', JSON.stringify(doc));
      assert.match(run('check', file('notes.json')), /\nWhile loading:\n {2}pools\[0\]\.notes: "notes" is not part of a pool/);
    });

    it('a corrupt or newer file is bad input, its problems located by path', () => {
      const doc = JSON.parse(serializeDeployment(contoso));
      doc.pools[1].servers[0].fqdn = 'dir 01';
      doc.pools[2].kind = 'EdgePool';
      write('corrupt.json', JSON.stringify(doc, null, 2));
      usageError('check', [file('corrupt.json')], /corrupt\.json cannot be loaded:\n {2}pools\[1\]\.servers\[0\]\.fqdn: expected a fully qualified domain name.*\n {2}pools\[2\]\.kind: expected one of .*\nSfB Certificates leaves the file exactly as it is/);
      write('newer.json', JSON.stringify({ ...doc, schemaVersion: 99 }));
      usageError('check', [file('newer.json')], /schemaVersion: schema version 99: the file was made by a newer version of SfB Certificates/);
    });

    it('refuses a bad --expiry-days', () => {
      for (const bad of ['0', 'soon', '1.5', '5000']) usageError('check', [file('sfb-deployment.json'), '--expiry-days', bad], /--expiry-days takes a whole number of days from 1 to 3650/);
      usageError('check', [file('sfb-deployment.json'), '--expiry-days'], /--expiry-days needs a value.*Usage: sfb-cert check/);
      usageError('check', [file('sfb-deployment.json'), '--expiry-days', '-5'], /--expiry-days needs a value \(write --expiry-days=VALUE/);
      usageError('check', [file('sfb-deployment.json'), '--expiry-days=-5'], /--expiry-days takes a whole number of days from 1 to 3650, not "-5"/);
      usageError('check', [file('sfb-deployment.json'), '-x'], /Unknown option -x\. Usage: sfb-cert check/);
    });
  });

  describe('check-oauth', () => {
    it('a 2048-bit web server certificate with the SIP domain in its Subject is suitable, with the line to assign it', () => {
      const out = withPassword(PASSWORD, () => run('check-oauth', file('oauth.pfx'), '--sip-domain', 'contoso.com,fabrikam.com'));
      assert.match(out, /oauth\.pfx: suitable as the OAuthTokenIssuer certificate\n {2}CN=contoso\.com, O=Contoso {2}[0-9A-F]{40} {2}RSA 2048 bits, valid .* private key: yes/);
      assert.match(out, /To assign it .*\n {2}Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path ".*oauth\.pfx" -Password \$pfxPassword/);
      assert.ok(!out.includes(PASSWORD), 'the password is never printed');
    });

    it('says why a certificate is not suitable (same rules as the store)', () => {
      const short = withPassword(PASSWORD, () => run('check-oauth', file('short.pfx'), '--sip-domain', 'contoso.com'));
      assert.match(short, /short\.pfx: NOT suitable as the OAuthTokenIssuer certificate/);
      assert.match(short, /\nERROR {3}oauth\.key\n {2}The OAuthTokenIssuer certificate must be at least 2048 bits; [0-9A-F]{40} has 1024\./);
      assert.ok(!short.includes('To assign it'));
      const cer = JSON.parse(run('check-oauth', file('oauth.cer'), '--sip-domain', 'contoso.com', '--json'));
      assert.equal(cer.suitable, false);
      assert.deepEqual(cer.findings.map((f: { rule: string }) => f.rule), ['oauth.no-private-key']);
      assert.equal(cer.certificate.hasPrivateKey, false);
    });

    it('never calls a certificate suitable on the word of a key entry that is not its key', () => {
      const refused: [string, RegExp][] = [
        ['garbage-key.pfx', /garbage-key\.pfx: The file's private key cannot be read: its entry does not hold a valid private key.* Export the certificate again with its private key/],
        ['cut-key.pfx', /cut-key\.pfx: The file's private key cannot be read/],
        ['stranger-key.pfx', /pairs its private key with CN=contoso\.com, O=Contoso .* but the key is not that certificate's: it is the key of none of the file's certificates/],
        ['key-on-ca.pfx', /pairs its private key with CN=Contoso Test CA .* it is the key of CN=contoso\.com, O=Contoso/],
      ];
      for (const [name, message] of refused) {
        for (const json of [[], ['--json']]) withPassword(PASSWORD, () => usageError('check-oauth', [file(name), '--sip-domain', 'contoso.com', ...json], message));
      }
      // A key that belongs to no certificate of the file: the certificate alone, which is not suitable.
      const unpaired = JSON.parse(withPassword(PASSWORD, () => run('check-oauth', file('unpaired-stranger-key.pfx'), '--sip-domain', 'contoso.com', '--json')));
      assert.deepEqual([unpaired.suitable, unpaired.certificate.hasPrivateKey], [false, false]);
      assert.ok(unpaired.findings.some((f: { rule: string }) => f.rule === 'oauth.no-private-key'));
    });

    it('needs the SIP domain and the PFX password', () => {
      usageError('check-oauth', [file('oauth.cer')], /Name the default SIP domain: --sip-domain contoso\.com/);
      withPassword(undefined, () => usageError('check-oauth', [file('oauth.pfx'), '--sip-domain', 'contoso.com'], /protected with a password.*Set SFB_CERT_PASSWORD, or pipe the password in with --password-stdin/));
      withPassword('wrong', () => usageError('check-oauth', [file('oauth.pfx'), '--sip-domain', 'contoso.com'], /password is wrong/));
      usageError('check-oauth', [file('oauth.cer'), '--sip-domain', 'contoso.com', '--password', 'x'], /Passwords are never taken on the command line/);
    });
  });

  describe('sample', () => {
    it('writes the deployment file and its PFX files next to it, prints them and the password, and never replaces files', async function () {
      this.timeout(60_000);
      const out = path.join(dir, 'sample', 'sfb-deployment.json');
      const printed = await deploymentCommands.sample.run(['--out', out]);
      const loaded = parseDeployment(fs.readFileSync(out, 'utf8'));
      assert.ok(loaded.ok);
      const pfx = [...new Set(loaded.deployment.pools.flatMap((p) => p.servers.flatMap((s) => s.certificates.map((c) => c.sourceFile!))))];
      assert.ok(pfx.length > 10);
      for (const f of pfx) {
        assert.ok(fs.existsSync(path.join(dir, 'sample', f)), `${f} written next to the deployment file`);
        assert.ok(printed.includes(path.join('sample', f)), `${f} listed`);
      }
      assert.match(printed, new RegExp(`The sample PFX files' password is: ${SAMPLE_PASSWORD.replace(/[$!]/g, '\\$&')}`));
      assert.ok(!fs.readFileSync(out, 'utf8').includes(SAMPLE_PASSWORD), 'the password is not in the deployment file');
      const refused = (argv: string[], message: RegExp) => assert.rejects(deploymentCommands.sample.run(argv), (e: unknown) => e instanceof UsageError && message.test(e.message));
      await refused(['--out', out], /Nothing was written: .*sfb-deployment\.json already exists/);
      await refused([], /Name the file to write with --out/);
    });
  });

  describe('the bundled command line (dist/cli.js)', () => {
    before(function () {
      this.timeout(120_000);
      ensureBuilt();
    });

    const cli = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) => {
      const env = { ...process.env };
      delete env.SFB_CERT_PASSWORD;
      Object.assign(env, options.env);
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input: options.input ?? '', env, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };

    it('exit 0 for findings; the JSON output of topology is a loadable deployment file', () => {
      const topology = cli(['topology', 'topology.xml', '--json']);
      assert.equal(topology.status, 0, topology.stderr);
      fs.writeFileSync(file('from-cli.json'), topology.stdout);
      const check = cli(['check', 'from-cli.json']);
      assert.equal(check.status, 0, check.stderr);
      assert.match(check.stdout, /1 error, 0 warnings/);
    });

    it('exit 2 for a corrupt file, with the located problems on stderr and no stack trace', () => {
      fs.writeFileSync(file('broken.json'), '{\n  "schemaVersion": 1,\n  "pools": [\n    { "fqdn": "pool01.contoso.com", }\n  ]\n}\n');
      const r = cli(['check', 'broken.json']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^sfb-cert check: broken\.json cannot be loaded:\n {2}pools\[0\]: not valid JSON at line 4, column 37: expected a property name/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });

    it('exit 2 for bad input of every kind', () => {
      for (const args of [['check', 'nothing.json'], ['topology', 'broken.json'], ['check', 'from-cli.json', '--expiry-days', 'x'], ['check-oauth', 'oauth.pfx'], ['sample']]) {
        const r = cli(args);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^sfb-cert ${args[0]}: `));
      }
    });

    it('reads the PFX password from stdin with --password-stdin, or from SFB_CERT_PASSWORD', () => {
      const fromStdin = cli(['check-oauth', 'oauth.pfx', '--sip-domain', 'contoso.com', '--password-stdin', '--json'], { input: `${PASSWORD}\n` });
      assert.equal(fromStdin.status, 0, fromStdin.stderr);
      assert.equal(JSON.parse(fromStdin.stdout).suitable, true);
      const fromEnv = cli(['check-oauth', 'oauth.pfx', '--sip-domain', 'contoso.com'], { env: { SFB_CERT_PASSWORD: PASSWORD } });
      assert.equal(fromEnv.status, 0, fromEnv.stderr);
      const wrong = cli(['check-oauth', 'oauth.pfx', '--sip-domain', 'contoso.com', '--password-stdin'], { input: 'nope\n' });
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /password is wrong/);
    });
  });
});
