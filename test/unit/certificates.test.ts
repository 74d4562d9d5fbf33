// Reading certificate files: every fixture against openssl's own reading of it, then the fields, the formats and
// encryptions found in the wild, the end-entity choice, the typed errors, and thumbprints as administrators paste them.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { normalizeThumbprint, readCertificateFile, recordFromDer, type CertificateReadResult } from '../../src/core';
import type { CertificateRecord } from '../../src/core/model';
import { HASHES, bmpPassword, pkcs12Kdf } from '../../src/core/pfx/kdf';
import { FIXTURE_PASSWORD, UNICODE_PASSWORD, makeFixtures, openssl, type Fixture, type Fixtures } from '../fixtures/makeFixtures';

const RECORD_FIELDS = [
  'thumbprint', 'serialNumber', 'subject', 'issuer', 'subjectAlternativeNames', 'notBefore', 'notAfter', 'keyAlgorithm', 'keySize', 'keyCurve',
  'signatureAlgorithm', 'enhancedKeyUsages', 'isCA', 'crlDistributionPoints', 'hasPrivateKey', 'friendlyName', 'derBase64',
];
/** What node-forge, OpenSSL or a TypeError would say. */
const LIBRARY_WORDS = /forge|ASN\.1|asn1|undefined|null|Cannot read propert|Only 8, 16|bits supported|Too few bytes|ERR_|error:/;
const LEAF_SUBJECT = 'CN=sfb.fabrikam.com, OU=IT, O="Fabrikam, Inc.", L=Redmond, S=Washington, C=US';
const ISSUING_CA = 'CN=Fabrikam Issuing CA, O=Fabrikam, C=US';
const ROOT_CA = 'CN=Fabrikam Root CA, O=Fabrikam, C=US';

interface OpensslView {
  thumbprint: string;
  serial: string;
  notBefore: string;
  notAfter: string;
}

/** Every certificate of the file, as `openssl x509 -fingerprint -sha1 -serial -dates` prints it. */
function opensslView(fixture: Fixture): OpensslView[] {
  let pem: string;
  if (fixture.name.endsWith('.pfx')) {
    const passin = fixture.password === undefined ? 'pass:' : fixture.password === UNICODE_PASSWORD ? 'env:SFB_UNICODE_PASSWORD' : 'env:SFB_FIXTURE_PASSWORD';
    pem = openssl(['pkcs12', '-in', fixture.file, '-nokeys', '-passin', passin, ...(fixture.legacy ? ['-legacy'] : [])]).toString();
  } else if (fixture.name.includes('p7b')) {
    pem = openssl(['pkcs7', '-print_certs', '-inform', fixture.bytes[0] === 0x30 ? 'DER' : 'PEM', '-in', fixture.file]).toString();
  } else if (fixture.bytes[0] === 0x30) {
    pem = openssl(['x509', '-inform', 'DER', '-in', fixture.file]).toString();
  } else {
    pem = fixture.bytes[0] === 0xff ? fixture.bytes.subarray(2).toString('utf16le') : fixture.bytes.toString('latin1');
  }
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => {
    const text = openssl(['x509', '-noout', '-fingerprint', '-sha1', '-serial', '-dates', '-dateopt', 'iso_8601'], { input: block }).toString();
    const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'mi').exec(text)![1].trim();
    const iso = (value: string) => new Date(value.replace(' ', 'T')).toISOString();
    return { thumbprint: field('sha1 Fingerprint').replace(/:/g, ''), serial: field('serial'), notBefore: iso(field('notBefore')), notAfter: iso(field('notAfter')) };
  });
}

/** With the fixture's password unless told otherwise ({} for none). */
function read(fixture: Fixture, options: { password?: string } = { password: fixture.password }): CertificateReadResult {
  return readCertificateFile(fixture.bytes, { ...options, fileName: fixture.name });
}

function ok(result: CertificateReadResult): Extract<CertificateReadResult, { ok: true }> {
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  return result;
}

function errorOf(result: CertificateReadResult): Extract<CertificateReadResult, { ok: false }>['error'] {
  if (result.ok) assert.fail(`read ${result.record.subject}, expected an error`);
  return result.error;
}

/** The PKCS #12 key derivation exactly as RFC 7292 appendix B.2 writes it, one node:crypto call per hash. */
function referenceKdf(hash: 'sha1' | 'sha256', password: Buffer, salt: Buffer, id: number, iterations: number, length: number): Buffer {
  const u = hash === 'sha1' ? 20 : 32;
  const v = 64;
  const stretch = (b: Buffer) => Buffer.concat(Array.from({ length: Math.ceil(b.length / v) * v }, (_, i) => b.subarray(i % b.length, (i % b.length) + 1)));
  let input = Buffer.concat([stretch(salt), stretch(password)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let a = Buffer.concat([Buffer.alloc(v, id), input]);
    for (let i = 0; i < iterations; i++) a = createHash(hash).update(a).digest();
    out.push(a);
    const b = BigInt(`0x${Buffer.concat(Array.from({ length: v / u + 1 }, () => a)).subarray(0, v).toString('hex')}`);
    const blocks: Buffer[] = [];
    for (let j = 0; j < input.length; j += v) {
      const sum = (BigInt(`0x${input.subarray(j, j + v).toString('hex')}`) + b + 1n) % (1n << BigInt(8 * v));
      blocks.push(Buffer.from(sum.toString(16).padStart(2 * v, '0'), 'hex'));
    }
    input = Buffer.concat(blocks);
  }
  return Buffer.concat(out).subarray(0, length);
}

describe('certificate files', () => {
  let fixtures: Fixtures;
  const get = (name: string) => fixtures.get(name);
  const record = (name: string): CertificateRecord => ok(read(get(name))).record;

  before(function () {
    this.timeout(60_000);
    fixtures = makeFixtures();
  });
  after(() => fixtures?.dispose());

  describe('every fixture', () => {
    it('gives the result the fixture was made for', () => {
      for (const fixture of fixtures.list) {
        const result = read(fixture);
        assert.equal(result.ok ? 'ok' : result.error.code, fixture.expect, `${fixture.name}: ${result.ok ? 'read' : result.error.message}`);
      }
    });

    it('agrees with openssl x509 on the thumbprint, serial number and dates of each of its certificates', function () {
      this.timeout(60_000); // a few hundred openssl processes
      for (const fixture of fixtures.list.filter((f) => f.expect === 'ok')) {
        const result = ok(read(fixture));
        const ours = [result.record, ...result.chain];
        const theirs = opensslView(fixture);
        assert.deepEqual(ours.map((r) => r.thumbprint).sort(), theirs.map((t) => t.thumbprint).sort(), fixture.name);
        for (const expected of theirs) {
          const actual = ours.find((r) => r.thumbprint === expected.thumbprint)!;
          // Windows prints the DER INTEGER's bytes, keeping the 00 that makes a serial with its high bit set positive.
          assert.equal(actual.serialNumber.replace(/^00(?=[89A-F])/, ''), expected.serial, `${fixture.name} serial`);
          assert.equal(actual.notBefore, expected.notBefore, `${fixture.name} notBefore`);
          assert.equal(actual.notAfter, expected.notAfter, `${fixture.name} notAfter`);
        }
      }
    });

    it('returns records with exactly the model\'s fields and no trace of a private key', () => {
      for (const fixture of fixtures.list.filter((f) => f.expect === 'ok')) {
        const result = ok(read(fixture));
        for (const r of [result.record, ...result.chain]) {
          assert.deepEqual(Object.keys(r).filter((k) => !RECORD_FIELDS.includes(k)), [], fixture.name);
          assert.match(r.thumbprint, /^[0-9A-F]{40}$/);
          assert.match(r.serialNumber, /^([0-9A-F]{2})+$/);
          assert.equal(r.thumbprint, createHash('sha1').update(Buffer.from(r.derBase64, 'base64')).digest('hex').toUpperCase());
        }
        assert.doesNotMatch(JSON.stringify(result), /PRIVATE KEY|"(d|p|q|dp|dq|qi|privateKey|key)":/, fixture.name);
      }
    });
  });

  describe('fields, as Windows shows them', () => {
    it('reads the server certificate of an OpenSSL 3 PFX with its chain', () => {
      const result = ok(read(get('openssl3-default.pfx')));
      const r = result.record;
      assert.equal(result.format, 'pkcs12');
      assert.equal(r.subject, LEAF_SUBJECT);
      assert.equal(r.issuer, ISSUING_CA);
      assert.equal(r.serialNumber, '008F00112233');
      assert.deepEqual(r.subjectAlternativeNames, [
        { type: 'dns', value: 'sfb.fabrikam.com' },
        { type: 'dns', value: 'pool.fabrikam.com' },
        { type: 'ip', value: '10.0.0.10' },
        { type: 'ip', value: '2001:db8::10' },
        { type: 'email', value: 'admin@fabrikam.com' },
        { type: 'uri', value: 'https://sfb.fabrikam.com/' },
        { type: 'other', value: 'Principal Name=admin@fabrikam.com' },
      ]);
      assert.deepEqual(r.enhancedKeyUsages, [
        { oid: '1.3.6.1.5.5.7.3.1', name: 'Server Authentication' },
        { oid: '1.3.6.1.5.5.7.3.2', name: 'Client Authentication' },
      ]);
      assert.deepEqual([r.keyAlgorithm, r.keySize, r.keyCurve, r.signatureAlgorithm, r.isCA], ['RSA', 2048, undefined, 'sha256RSA', false]);
      assert.deepEqual([r.hasPrivateKey, r.friendlyName], [true, 'Fabrikam SfB 2025']);
      assert.equal(Date.parse(r.notAfter) - Date.parse(r.notBefore), 730 * 86_400_000);
      assert.deepEqual(result.chain.map((c) => [c.subject, c.isCA, c.hasPrivateKey]), [[ISSUING_CA, true, false], [ROOT_CA, true, false]]);
      assert.deepEqual(result.chain.map((c) => c.issuer), [ROOT_CA, ROOT_CA]);
      assert.match(result.notes.join('\n'), /certification path: CN=Fabrikam Issuing CA/);
    });

    it('gives the DER certificate back in derBase64, identical to openssl\'s', () => {
      const der = openssl(['x509', '-in', get('leaf.pem').file, '-outform', 'DER']);
      assert.equal(record('openssl3-default.pfx').derBase64, der.toString('base64'));
    });

    it('reads an EC key and names its curve, and a UTF-8 subject', () => {
      for (const name of ['ec.pfx', 'ec.cer']) {
        const r = record(name);
        assert.deepEqual([r.keyAlgorithm, r.keySize, r.keyCurve, r.signatureAlgorithm], ['EC', 256, 'prime256v1', 'sha256ECDSA'], name);
        assert.equal(r.subject, 'O=Société Générale, CN=ec.fabrikam.com');
      }
      assert.equal(record('ec.pfx').hasPrivateKey, true);
    });

    it('reads a 1024-bit key signed with SHA-1', () => {
      const r = record('rsa1024.pfx');
      assert.deepEqual([r.keyAlgorithm, r.keySize, r.signatureAlgorithm, r.hasPrivateKey], ['RSA', 1024, 'sha1RSA', true]);
    });

    it('reads expired and not-yet-valid certificates (the rules judge them), UTCTime and GeneralizedTime alike', () => {
      const expired = record('expired.cer');
      assert.deepEqual([expired.notBefore, expired.notAfter], ['2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z']);
      const future = record('not-yet-valid.pem');
      assert.deepEqual([future.notBefore, future.notAfter], ['2099-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z']);
    });

    it('quotes name values as CertNameToStr does', () => {
      assert.match(record('leaf.cer').subject, /O="Fabrikam, Inc\."/);
    });
  });

  describe('formats and encryptions', () => {
    it('reads the same certificate and key from OpenSSL 3, -legacy, Windows 3DES and Windows AES exports', () => {
      const thumbprint = record('leaf.cer').thumbprint;
      for (const name of ['openssl3-default.pfx', 'legacy.pfx', 'windows-3des.pfx', 'windows-aes.pfx', 'low-iteration-3des.pfx', 'low-iteration-legacy.pfx']) {
        const r = record(name);
        assert.deepEqual([r.thumbprint, r.hasPrivateKey], [thumbprint, true], name);
      }
    });

    it('encodes a non-ASCII password as Windows and OpenSSL do', () => {
      assert.equal(record('unicode-password.pfx').hasPrivateKey, true);
      assert.equal(errorOf(read(get('unicode-password.pfx'), { password: 'Kennwort-€' })).code, 'wrong-password');
    });

    it('reads a PFX exported without its private key, and says so', () => {
      const result = ok(read(get('cert-only.pfx')));
      assert.equal(result.record.hasPrivateKey, false);
      assert.equal(result.record.subject, LEAF_SUBJECT);
      assert.match(result.notes.join('\n'), /no private key/);
    });

    it('pairs key and certificate by their public key when the file has no localKeyId', () => {
      const r = record('forge-no-localkeyid.pfx');
      assert.deepEqual([r.subject, r.hasPrivateKey, r.friendlyName], [LEAF_SUBJECT, true, 'forge export']);
    });

    it('opens files with an empty password, or none, without being given one', () => {
      for (const name of ['empty-password.pfx', 'nomac-plain.pfx']) {
        assert.equal(ok(readCertificateFile(get(name).bytes)).record.hasPrivateKey, true, name);
        assert.equal(ok(readCertificateFile(get(name).bytes, { password: '' })).record.hasPrivateKey, true, name);
      }
    });

    it('checks the password of a file without MAC by decrypting its key', () => {
      const fixture = get('nomac-encrypted.pfx');
      assert.match(ok(read(fixture)).notes.join('\n'), /no integrity check/);
      assert.equal(errorOf(read(fixture, {})).code, 'password-required');
      assert.equal(errorOf(read(fixture, { password: 'not the password' })).code, 'wrong-password');
    });

    it('reads DER, PEM, a PEM bundle in any order, and PEM saved as UTF-16 by Notepad', () => {
      assert.equal(ok(read(get('leaf.cer'))).format, 'der');
      assert.equal(ok(read(get('leaf.pem'))).format, 'pem');
      assert.equal(record('notepad-unicode.pem').subject, LEAF_SUBJECT);
      const bundle = ok(read(get('bundle.pem')));
      assert.equal(bundle.record.subject, LEAF_SUBJECT);
      assert.deepEqual(bundle.chain.map((c) => c.subject), [ISSUING_CA, ROOT_CA]);
    });

    it('reads the certificate of a PEM file that also holds its key, and says the key is not imported', () => {
      const result = ok(read(get('leaf-and-key.pem')));
      assert.equal(result.record.hasPrivateKey, false);
      assert.match(result.notes.join('\n'), /private key, which is not imported/);
    });

    it('picks the only CA when the file holds nothing else', () => {
      const ca = openssl(['x509', '-in', `${fixtures.dir}/root.pem`, '-outform', 'DER']);
      const r = ok(readCertificateFile(ca)).record;
      assert.deepEqual([r.subject, r.isCA], [ROOT_CA, true]);
    });

    it('notes what the name or the password did not need', () => {
      const misnamed = ok(readCertificateFile(get('leaf.cer').bytes, { fileName: 'server.pfx', password: 'x' }));
      assert.deepEqual(misnamed.notes, [
        'The file is not password-protected: the password was not needed.',
        'server.pfx is a DER certificate despite its .pfx extension; it was read as such.',
      ]);
      assert.match(ok(readCertificateFile(get('openssl3-default.pfx').bytes, { password: FIXTURE_PASSWORD, fileName: 'server.cer' })).notes.join('\n'), /PKCS #12 \(\.pfx\) file despite its \.cer extension/);
    });
  });

  describe('errors, for a person', () => {
    it('tells a missing password from a wrong one', () => {
      assert.deepEqual(errorOf(read(get('windows-3des.pfx'), {})), {
        code: 'password-required', message: 'The file is protected with a password.', fix: 'Give the password that was set when the file was exported.', source: 'product',
      });
      const wrong = errorOf(read(get('windows-3des.pfx'), { password: 'fixture-pass-2024!' }));
      assert.equal(wrong.code, 'wrong-password');
      assert.match(wrong.fix, /case-sensitive/);
    });

    it('names the encryption it cannot read', () => {
      assert.match(errorOf(read(get('camellia.pfx'))).message, /Camellia-256-CBC/);
      assert.match(errorOf(read(get('rc4.pfx'))).message, /pbeWithSHAAnd128BitRC4/);
      // Before asking for a password that would not help.
      assert.equal(errorOf(read(get('camellia.pfx'), {})).code, 'unsupported-encryption');
      assert.match(errorOf(read(get('too-many-iterations.pfx'))).message, /700,000 key derivation iterations/);
    });

    it('reads PKCS #7 (.p7b) bundles, DER and Base-64: the end entity and its chain, no private key', () => {
      const pem = read(get('bundle.pem'));
      for (const name of ['bundle.p7b', 'bundle-p7b.pem']) {
        const p7b = read(get(name));
        assert.ok(p7b.ok && pem.ok, name);
        assert.equal(p7b.format, 'pkcs7', name);
        assert.equal(p7b.record.thumbprint, pem.record.thumbprint, name);
        assert.deepEqual(p7b.chain.map((c) => c.thumbprint), pem.chain.map((c) => c.thumbprint), name);
        assert.equal(p7b.record.hasPrivateKey, false, name);
        assert.ok(p7b.notes.some((n) => /PKCS #7 \(\.p7b\).*never a private key/.test(n)), name);
      }
    });

    it('says what a file is when it is not a certificate', () => {
      assert.match(errorOf(read(get('leaf.csr'))).message, /certificate request \(CSR\)/);
      assert.match(errorOf(read(get('leaf.key'))).message, /private key but no certificate/);
      assert.match(errorOf(read(get('leaf-key.der'))).message, /private key but no certificate/);
      assert.match(errorOf(read(get('key-only.pfx'))).message, /private key but no certificate/);
      assert.equal(errorOf(read(get('notes.txt'))).code, 'not-a-certificate');
      assert.equal(errorOf(read(get('empty.cer'))).message, 'The file is empty.');
      assert.equal(errorOf(readCertificateFile(randomBytes(3000))).code, 'not-a-certificate');
      assert.equal(errorOf(readCertificateFile(Buffer.alloc(5 * 1024 * 1024, 0x30))).code, 'not-a-certificate');
    });

    it('tells a cut file from a damaged one', () => {
      for (const name of ['truncated.pfx', 'truncated.cer', 'truncated.pem']) assert.equal(errorOf(read(get(name))).code, 'truncated', name);
      const der = Buffer.from(get('leaf.cer').bytes);
      der[200] ^= 0xff; // inside the public key: the lengths still add up
      const flipped = readCertificateFile(der);
      assert.ok(!flipped.ok && ['corrupt', 'not-a-certificate'].includes(flipped.error.code), JSON.stringify(flipped));
      const inner = Buffer.from(get('leaf.cer').bytes);
      inner[5] = 0x7f; // the TBSCertificate's length: now longer than the certificate around it
      assert.equal(errorOf(readCertificateFile(inner)).code, 'corrupt');
    });

    it('lists the candidates when it cannot tell which certificate is meant', () => {
      const error = errorOf(read(get('two-leaves.pem')));
      assert.match(error.message, /2 certificates that could each be the one to import: CN=sfb\.fabrikam\.com.*\(thumbprint [0-9A-F]{40}\) and CN=sfb/);
      assert.match(error.fix, /on its own/);
    });

    it('never lets a library\'s words through', () => {
      for (const fixture of fixtures.list) {
        const result = read(fixture);
        if (!result.ok) assert.doesNotMatch(`${result.error.message} ${result.error.fix}`, LIBRARY_WORDS, fixture.name);
      }
    });
  });

  describe('recordFromDer', () => {
    it('gives the record readCertificateFile gives, with the extras', () => {
      const fromFile = record('certgen-aes.pfx');
      const fromDer = recordFromDer(Buffer.from(fromFile.derBase64, 'base64'), { hasPrivateKey: true, friendlyName: 'Contoso OAuth' });
      assert.deepEqual(fromDer, fromFile);
      assert.deepEqual(Object.keys(recordFromDer(get('leaf.cer').bytes)), RECORD_FIELDS.filter((f) => f !== 'keyCurve' && f !== 'friendlyName'));
    });

    it('throws an Error naming the problem for bytes that are not a certificate', () => {
      assert.throws(() => recordFromDer(Buffer.from('not a certificate')), /The file is damaged: the certificate cannot be read/);
    });
  });

  describe('the PKCS #12 key derivation', () => {
    it('matches RFC 7292 appendix B computed the slow way, for SHA-1 and SHA-256, short and long outputs', () => {
      for (const [hash, info] of [['sha1', HASHES.sha1], ['sha256', HASHES.sha256]] as const) {
        for (const [iterations, length] of [[1, 8], [2, 20], [3, 24], [1000, 32], [2048, 24]]) {
          const password = bmpPassword('Kennwört-€');
          const salt = randomBytes(8);
          for (const id of [1, 2, 3] as const) {
            assert.deepEqual(pkcs12Kdf(info, password, salt, id, iterations, length), referenceKdf(hash, password, salt, id, iterations, length), `${hash} ${iterations} ${length} ${id}`);
          }
        }
      }
    });
  });

  describe('normalizeThumbprint', () => {
    const valid = 'A909502DD82AE41433E6F83886B00D4277A32A7B';

    it('removes the invisible mark the Certificates MMC adds, and says so', () => {
      assert.deepEqual(normalizeThumbprint(`\u200e${valid.toLowerCase()}`), {
        thumbprint: valid,
        notes: ['Removed the invisible left-to-right mark (U+200E) that copying from the Certificates MMC adds.'],
      });
      const marks = normalizeThumbprint(`\ufeff${valid}\u200f`);
      assert.ok('thumbprint' in marks && marks.notes[0].includes('byte order mark (U+FEFF) and right-to-left mark (U+200F)'));
    });

    it('accepts spaces, colons and lowercase', () => {
      const spaced = valid.match(/../g)!.join(' ').toLowerCase();
      assert.deepEqual(normalizeThumbprint(spaced), { thumbprint: valid, notes: ['Removed the spaces between the hex digits.'] });
      assert.deepEqual(normalizeThumbprint(valid.match(/../g)!.join(':')), { thumbprint: valid, notes: ['Removed the colons between the hex digits.'] });
      assert.deepEqual(normalizeThumbprint(`  ${valid}\n`), { thumbprint: valid, notes: [] });
    });

    it('says what is wrong with anything else', () => {
      assert.deepEqual(normalizeThumbprint(valid.slice(0, 38)), { error: `"${valid.slice(0, 38)}" is not a thumbprint: a thumbprint has 40 hexadecimal digits, this has 38.` });
      assert.deepEqual(normalizeThumbprint(`${valid.slice(0, 39)}G`), { error: `"${valid.slice(0, 39)}G" is not a thumbprint: "G" is not a hexadecimal digit (0-9, A-F).` });
      assert.ok('error' in normalizeThumbprint(''));
    });
  });
});
