// Making certificates, PFX files and requests: checked by openssl (which none of this code is) and read back.
import * as assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCsr, createTestCA, generateCertificate, generateRsaKeyPair, writePfx, type GeneratedCertificate } from '../../src/core/certgen';
import { readCertificateFile, recordFromDer } from '../../src/core';
import { openssl, requireOpenssl } from '../fixtures/makeFixtures';

const PASSWORD = 'Certgen-Test-1!';
const DAY_MS = 86_400_000;

describe('certgen', () => {
  let dir: string;
  let ca: GeneratedCertificate;
  let server: GeneratedCertificate;
  const file = (name: string, content: string | Buffer) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, content);
    return at;
  };
  /** openssl pkcs12 with the test password in its environment, as `-passin env:SFB_CERTGEN_PASSWORD`; stdout and stderr. */
  const pkcs12 = (args: string[]) => {
    process.env.SFB_CERTGEN_PASSWORD = PASSWORD;
    try {
      return openssl(['pkcs12', ...args, '-passin', 'env:SFB_CERTGEN_PASSWORD'], { includeStderr: true }).toString();
    } finally {
      delete process.env.SFB_CERTGEN_PASSWORD;
    }
  };

  before(function () {
    this.timeout(30_000);
    requireOpenssl();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-certgen-'));
    ca = createTestCA('Contoso Issuing CA', { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') });
    server = generateCertificate({
      subject: { CN: 'sfb.contoso.com', OU: 'Unified Communications', O: 'Contoso', L: 'Redmond', ST: 'WA', C: 'US' },
      dnsNames: ['sfb.contoso.com', 'pool01.contoso.com'],
      clientAuth: true,
      issuer: ca,
      notBefore: new Date('2025-06-01T00:00:00Z'),
      notAfter: new Date('2027-06-01T00:00:00Z'),
    });
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('generateCertificate', () => {
    it('issues a server certificate that openssl verifies against its CA', () => {
      const caFile = file('ca.pem', ca.certPem);
      assert.match(openssl(['verify', '-CAfile', caFile, '-purpose', 'sslserver', '-attime', `${Date.parse('2026-01-01T00:00:00Z') / 1000}`, file('server.pem', server.certPem)]).toString(), /: OK/);
    });

    it('writes the fields as asked, in the order Windows prints them', () => {
      const r = recordFromDer(server.der);
      assert.equal(r.subject, 'CN=sfb.contoso.com, OU=Unified Communications, O=Contoso, L=Redmond, S=WA, C=US');
      assert.equal(r.issuer, 'CN=Contoso Issuing CA');
      assert.deepEqual(r.subjectAlternativeNames, [{ type: 'dns', value: 'sfb.contoso.com' }, { type: 'dns', value: 'pool01.contoso.com' }]);
      assert.deepEqual(r.enhancedKeyUsages.map((u) => u.name), ['Server Authentication', 'Client Authentication']);
      assert.deepEqual([r.notBefore, r.notAfter], ['2025-06-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z']);
      assert.deepEqual([r.keyAlgorithm, r.keySize, r.signatureAlgorithm, r.isCA], ['RSA', 2048, 'sha256RSA', false]);
      assert.match(r.serialNumber, /^[4-7][0-9A-F]{31}$/); // random, 16 bytes, positive without a leading 00
    });

    it('gives a PEM, DER and PKCS #8 key that belong together', () => {
      const x509 = new X509Certificate(server.certPem);
      assert.deepEqual(x509.raw, server.der);
      assert.ok(x509.checkPrivateKey(createPrivateKey(server.keyPem)));
      assert.match(server.keyPem, /^-----BEGIN PRIVATE KEY-----/);
      assert.ok(x509.verify(createPublicKey(ca.keyPem)));
      assert.ok(x509.checkIssued(new X509Certificate(ca.der)));
    });

    it('self-signs by default, for a year from now, for server authentication', () => {
      const before = Date.now();
      const r = recordFromDer(generateCertificate({ subject: { CN: 'self.contoso.com' } }).der);
      assert.equal(r.issuer, r.subject);
      assert.ok(Math.abs(Date.parse(r.notBefore) - before) < 60_000);
      assert.equal(Date.parse(r.notAfter) - Date.parse(r.notBefore), 365 * DAY_MS);
      assert.deepEqual(r.enhancedKeyUsages.map((u) => u.name), ['Server Authentication']);
      assert.deepEqual(r.subjectAlternativeNames, []);
    });

    it('keeps the serial number asked for, adding the 00 a high first bit needs', () => {
      assert.equal(recordFromDer(generateCertificate({ subject: { CN: 'a' }, serialNumber: '0001aB', keySize: 1024 }).der).serialNumber, '01AB');
      const high = generateCertificate({ subject: { CN: 'b' }, serialNumber: '8f01', keySize: 1024 });
      assert.equal(recordFromDer(high.der).serialNumber, '008F01');
      assert.equal(openssl(['x509', '-noout', '-serial'], { input: high.certPem }).toString().trim(), 'serial=8F01');
    });

    it('makes 1024- and 4096-bit keys', function () {
      this.timeout(30_000); // a 4096-bit key takes a second or more
      assert.equal(recordFromDer(generateCertificate({ subject: { CN: 'small' }, keySize: 1024 }).der).keySize, 1024);
      assert.equal(recordFromDer(generateCertificate({ subject: { CN: 'large' }, keySize: 4096 }).der).keySize, 4096);
    });

    it('writes non-ASCII names as UTF-8, byte for byte the same in the issuer', () => {
      const zurichCa = createTestCA('Zürich Ünïcødé CA', { keySize: 1024 });
      const issued = generateCertificate({ subject: { CN: 'Zürich Server', O: 'Contoso AG' }, issuer: zurichCa, keySize: 1024 });
      assert.equal(recordFromDer(issued.der).issuer, 'CN=Zürich Ünïcødé CA');
      assert.ok(new X509Certificate(issued.der).checkIssued(new X509Certificate(zurichCa.der)));
      assert.match(openssl(['x509', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'], { input: issued.certPem }).toString(), /CN=Zürich Server/);
    });

    it('uses a key made beforehand off the main thread (generateRsaKeyPair), which refuses sizes it cannot make', async () => {
      const keyPair = await generateRsaKeyPair(1024);
      const made = generateCertificate({ subject: { CN: 'pre.contoso.com' }, keyPair });
      const x509 = new X509Certificate(made.der);
      assert.ok(x509.publicKey.equals(keyPair.publicKey));
      assert.ok(x509.checkPrivateKey(createPrivateKey(made.keyPem)));
      assert.equal(recordFromDer(made.der).keySize, 1024);
      assert.throws(() => generateRsaKeyPair(512), /512 bits is not supported: use 1024, 2048, 3072, 4096/);
    });

    it('refuses what it cannot make', () => {
      assert.throws(() => generateCertificate({ subject: { CN: 'x' }, keySize: 512 }), RangeError);
      assert.throws(() => generateCertificate({ subject: { CN: 'x' }, keySize: 1024, serialNumber: 'xyz' }), RangeError);
      const at = new Date('2026-01-01T00:00:00Z');
      assert.throws(() => generateCertificate({ subject: { CN: 'x' }, keySize: 1024, notBefore: at, notAfter: at }), /later than notBefore/);
    });
  });

  describe('createTestCA', () => {
    it('makes a CA valid for ten years, from a year ago, with no EKU', () => {
      const defaults = createTestCA('Default CA', { keySize: 1024 });
      const r = recordFromDer(defaults.der);
      assert.deepEqual([r.subject, r.isCA, r.enhancedKeyUsages, r.keySize], ['CN=Default CA', true, [], 1024]);
      assert.ok(Math.abs(Date.parse(r.notBefore) - (Date.now() - 365 * DAY_MS)) < 60_000);
      assert.equal(Date.parse(r.notAfter) - Date.parse(r.notBefore), 10 * 365 * DAY_MS);
      const extensions = openssl(['x509', '-noout', '-ext', 'keyUsage,basicConstraints'], { input: defaults.certPem }).toString();
      assert.match(extensions, /Certificate Sign, CRL Sign/);
      assert.match(extensions, /CA:TRUE/);
    });
  });

  describe('writePfx', () => {
    it('writes what OpenSSL 3 writes by default: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC and a SHA-256 MAC', () => {
      const info = pkcs12(['-info', '-noout', '-in', file('aes.pfx', writePfx(server, PASSWORD, { chain: [ca], friendlyName: 'Contoso OAuth' }))]);
      assert.match(info, /MAC: sha256, Iteration 2048/);
      assert.match(info, /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
      assert.match(info, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    });

    it('writes what Windows Server 2012 R2 reads with 3des: pbeWithSHAAnd3-KeyTripleDES-CBC and a SHA-1 MAC', () => {
      const info = pkcs12(['-info', '-noout', '-in', file('3des.pfx', writePfx(server, PASSWORD, { encryption: '3des' }))]);
      assert.match(info, /MAC: sha1, Iteration 2048/);
      assert.match(info, /PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
      assert.match(info, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    });

    it('gives openssl the key, the certificates and the friendly name', () => {
      for (const encryption of ['aes256', '3des'] as const) {
        const pem = pkcs12(['-nodes', '-in', file(`${encryption}-full.pfx`, writePfx(server, PASSWORD, { encryption, chain: [ca], friendlyName: 'Contoso OAuth' }))]);
        assert.equal(pem.match(/-----BEGIN CERTIFICATE-----/g)?.length, 2, encryption);
        assert.match(pem, /friendlyName: Contoso OAuth/);
        const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)![0];
        assert.ok(new X509Certificate(server.der).checkPrivateKey(createPrivateKey(key)), encryption);
        assert.doesNotMatch(pem.replace(key, ''), /PRIVATE KEY/, 'only the server\'s key: never the CA\'s');
      }
    });

    it('reads back as the server certificate with its key, friendly name and chain', () => {
      const result = readCertificateFile(writePfx(server, PASSWORD, { chain: [ca], friendlyName: 'Contoso OAuth' }), { password: PASSWORD });
      assert.ok(result.ok);
      assert.deepEqual(result.record, recordFromDer(server.der, { hasPrivateKey: true, friendlyName: 'Contoso OAuth' }));
      assert.deepEqual(result.chain.map((c) => c.thumbprint), [recordFromDer(ca.der).thumbprint]);
    });
  });

  describe('createCsr', () => {
    it('writes a PKCS #10 request that openssl verifies, with the subject and SANs', () => {
      const { csrPem, keyPem } = createCsr({ subject: { CN: 'sfb.contoso.com', O: 'Contoso', C: 'US' }, dnsNames: ['sfb.contoso.com', 'lyncdiscover.contoso.com'] });
      const csrFile = file('request.csr', csrPem);
      const text = openssl(['req', '-verify', '-noout', '-text', '-in', csrFile]).toString();
      assert.match(text, /Subject: C ?= ?US, O ?= ?Contoso, CN ?= ?sfb\.contoso\.com/);
      assert.match(text, /DNS:sfb\.contoso\.com, DNS:lyncdiscover\.contoso\.com/);
      assert.match(text, /Public-Key: \(2048 bit\)/);
      assert.match(text, /sha256WithRSAEncryption/);
      const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'pem' });
      assert.equal(spki(openssl(['req', '-in', csrFile, '-noout', '-pubkey']).toString()), spki(keyPem));
    });
  });
});
