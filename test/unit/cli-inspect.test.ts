// `sfb-cert inspect`: Windows-style text, JSON with exactly the CertificateRecord fields, passwords from the
// environment or stdin (never argv), and read errors as usage errors that say what to do.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { certificateCommands } from '../../src/cli/certificateCommands';
import { UsageError } from '../../src/cli/io';
import { readCertificateFile } from '../../src/core';
import { FIXTURE_PASSWORD, makeFixtures, type Fixtures } from '../fixtures/makeFixtures';

const { inspect } = certificateCommands;

describe('sfb-cert inspect', () => {
  let fixtures: Fixtures;
  let savedPassword: string | undefined;
  const file = (name: string) => fixtures.get(name).file;
  const usageError = (argv: string[], message: RegExp) => assert.throws(() => inspect.run(argv), (e: unknown) => e instanceof UsageError && message.test(e.message));

  before(function () {
    this.timeout(60_000);
    fixtures = makeFixtures();
    savedPassword = process.env.SFB_CERT_PASSWORD;
  });
  beforeEach(() => {
    process.env.SFB_CERT_PASSWORD = FIXTURE_PASSWORD;
  });
  after(() => {
    if (savedPassword === undefined) delete process.env.SFB_CERT_PASSWORD;
    else process.env.SFB_CERT_PASSWORD = savedPassword;
    fixtures?.dispose();
  });

  it('prints the certificate with Windows\' labels (the presenter\'s fields), then the notes', () => {
    const lines = inspect.run([file('openssl3-default.pfx')]).split('\n');
    const labels = lines.map((l) => l.split(' : ')[0].trim());
    assert.deepEqual(labels.slice(0, 14), ['Subject', 'Issuer', 'FriendlyName', 'Thumbprint', 'SerialNumber', 'NotBefore', 'NotAfter', 'AlternativeNames', 'Key', 'SignatureAlgorithm', 'EnhancedKeyUsage', 'CRLDistPoints', 'HasPrivateKey', 'IsCA']);
    const value = (label: string) => lines.find((l) => l.startsWith(`${label} `))!.split(' : ')[1];
    assert.equal(value('Subject'), 'CN=sfb.fabrikam.com, OU=IT, O="Fabrikam, Inc.", L=Redmond, S=Washington, C=US');
    assert.equal(value('SerialNumber'), '008F00112233');
    assert.equal(value('AlternativeNames'), 'DNS Name=sfb.fabrikam.com, DNS Name=pool.fabrikam.com, IP Address=10.0.0.10, IP Address=2001:db8::10, RFC822 Name=admin@fabrikam.com, URL=https://sfb.fabrikam.com/, Principal Name=admin@fabrikam.com');
    assert.equal(value('Key'), 'RSA 2048 bits');
    assert.equal(value('EnhancedKeyUsage'), 'Server Authentication (1.3.6.1.5.5.7.3.1), Client Authentication (1.3.6.1.5.5.7.3.2)');
    assert.equal(value('HasPrivateKey'), 'Yes');
    assert.equal(value('FriendlyName'), 'Fabrikam SfB 2025');
    assert.equal(value('CRLDistPoints'), 'none', 'the fixture has no CRL Distribution Points extension');
    assert.match(lines[14], /^Note: The file also holds the certification path: CN=Fabrikam Issuing CA, O=Fabrikam, C=US \(thumbprint [0-9A-F]{40}\) and CN=Fabrikam Root CA/);
    assert.equal(lines.length, 15);
  });

  it('prints an EC certificate file, which needs no password', () => {
    delete process.env.SFB_CERT_PASSWORD;
    const text = inspect.run([file('ec.cer')]);
    assert.match(text, /^Key {16}: EC 256 bits \(prime256v1\)$/m);
    assert.match(text, /^HasPrivateKey {6}: No$/m);
  });

  it('prints --json with exactly the CertificateRecord field names', () => {
    const json = JSON.parse(inspect.run([file('windows-3des.pfx'), '--json']));
    const read = readCertificateFile(fixtures.get('windows-3des.pfx').bytes, { password: FIXTURE_PASSWORD });
    assert.ok(read.ok);
    assert.deepEqual(json, read.record);
    assert.deepEqual(Object.keys(json), Object.keys(read.record));
  });

  it('turns a read error into a usage error with what happened and what to do', () => {
    delete process.env.SFB_CERT_PASSWORD;
    usageError([file('windows-3des.pfx')], /windows-3des\.pfx: The file is protected with a password\. Give the password .* Set SFB_CERT_PASSWORD, or pipe the password in with --password-stdin\.$/);
    process.env.SFB_CERT_PASSWORD = 'wrong';
    usageError([file('windows-3des.pfx')], /The password is wrong/);
    usageError([file('leaf.csr')], /certificate request \(CSR\).*Submit the request/);
  });

  it('refuses passwords on the command line, unknown options and extra files', () => {
    usageError([file('leaf.cer'), `--password=${FIXTURE_PASSWORD}`], /never taken on the command line/);
    usageError([file('leaf.cer'), '--format', 'text'], /Unknown option --format/);
    usageError([file('leaf.cer'), '--json=yes'], /--json takes no value/);
    usageError([file('leaf.cer'), file('ec.cer')], /one file at a time/);
    usageError([], /Name the certificate file/);
    usageError([path.join(fixtures.dir, 'missing.pfx')], /No such file/);
  });

  it('reads the password from the first line of stdin with --password-stdin', function () {
    this.timeout(20_000);
    const command = path.resolve(__dirname, '../../src/cli/certificateCommands.js');
    const script = `process.stdout.write(require(${JSON.stringify(command)}).certificateCommands.inspect.run(process.argv.slice(1)))`;
    const env = { ...process.env };
    delete env.SFB_CERT_PASSWORD;
    const run = spawnSync(process.execPath, ['-e', script, file('openssl3-default.pfx'), '--password-stdin', '--json'], { input: `${FIXTURE_PASSWORD}\nignored\n`, env });
    assert.equal(run.status, 0, run.stderr.toString());
    assert.equal(JSON.parse(run.stdout.toString()).hasPrivateKey, true);
  });
});
