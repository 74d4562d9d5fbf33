// A private key is reported only when it is really the certificate's: decrypted, parsed, with the certificate's
// public key, and able to sign what that key verifies. PFX files whose key entries lie, all with a valid MAC: made
// with the PKCS #12 writer (buildPfxFromBags), which writes bags and localKeyIds exactly as told.
import * as assert from 'node:assert/strict';
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readCertificateFile, type CertificateReadResult } from '../../src/core';
import { createTestCA, generateCertificate, type GeneratedCertificate } from '../../src/core/certgen';
import { buildPfxFromBags, type PfxBags } from '../../src/core/pfx/write';

const PASSWORD = 'Key-Check-2026!';

/** The PKCS #8 DER of a certgen key. */
function pkcs8Of(cert: GeneratedCertificate): Buffer {
  return createPrivateKey(cert.keyPem).export({ type: 'pkcs8', format: 'der' });
}

/** An RSA key whose public half is intact but whose private exponent and first prime are not. */
function damagedPrivateHalf(cert: GeneratedCertificate): Buffer {
  const jwk = createPrivateKey(cert.keyPem).export({ format: 'jwk' });
  const flip = (value: string | undefined) => {
    const bytes = Buffer.from(value!, 'base64url');
    bytes[7] ^= 0x10;
    return bytes.toString('base64url');
  };
  return createPrivateKey({ key: { ...jwk, d: flip(jwk.d), p: flip(jwk.p) }, format: 'jwk' }).export({ type: 'pkcs8', format: 'der' });
}

const sha1 = (der: Buffer) => createHash('sha1').update(der).digest();

describe('certificate files: the private key is checked before it is reported', () => {
  let ca: GeneratedCertificate;
  let server: GeneratedCertificate;
  let other: GeneratedCertificate;

  before(function () {
    this.timeout(60_000);
    ca = createTestCA('Key Check CA');
    server = generateCertificate({ subject: { CN: 'sfb.contoso.com' }, dnsNames: ['sfb.contoso.com'], issuer: ca, clientAuth: true });
    other = generateCertificate({ subject: { CN: 'other.contoso.com' }, issuer: ca });
  });

  const pfx = (bags: Partial<PfxBags>, encryption: PfxBags['encryption'] = 'aes256') =>
    buildPfxFromBags({ certificates: [], keys: [], password: PASSWORD, encryption, iterations: 1, ...bags });
  const read = (bytes: Buffer) => readCertificateFile(bytes, { password: PASSWORD });
  const errorOf = (result: CertificateReadResult) => {
    assert.ok(!result.ok, `expected an error, got ${result.ok && `${result.record.subject} hasPrivateKey=${result.record.hasPrivateKey}`}`);
    return result.error;
  };

  it('reports the key of a well-formed file, with and without localKeyIds', () => {
    for (const localKeyId of [sha1(server.der), undefined]) {
      const result = read(pfx({ certificates: [{ der: server.der, localKeyId }, { der: ca.der }], keys: [{ pkcs8: pkcs8Of(server), localKeyId }] }));
      assert.ok(result.ok && result.record.hasPrivateKey && result.record.subject === 'CN=sfb.contoso.com', JSON.stringify(result));
    }
  });

  it('refuses a key entry that decrypts to garbage, however it is garbage', () => {
    const valid = pkcs8Of(server);
    const garbage: [string, Buffer][] = [
      ['random bytes', Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) & 0xff))],
      ['an empty key', Buffer.alloc(0)],
      ['a cut key', valid.subarray(0, valid.length - 40)],
      ['a DER SEQUENCE that is no key', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])],
      ['the certificate instead of its key', server.der],
    ];
    for (const encryption of ['aes256', '3des'] as const) {
      for (const [what, pkcs8] of garbage) {
        const error = errorOf(read(pfx({ certificates: [{ der: server.der, localKeyId: sha1(server.der) }], keys: [{ pkcs8, localKeyId: sha1(server.der) }] }, encryption)));
        assert.equal(error.code, 'corrupt', `${what} (${encryption}): ${error.message}`);
        assert.match(error.message, /private key cannot be read/, what);
        assert.match(error.fix, /Export the certificate again with its private key/, what);
      }
    }
  });

  it('refuses a localKeyId that pairs the key with the wrong certificate, naming whose key it is', () => {
    const id = Buffer.from('0102030405060708', 'hex');
    // The key is the server's; its localKeyId sits on the CA's bag (and on nothing else).
    const onCa = errorOf(read(pfx({ certificates: [{ der: server.der }, { der: ca.der, localKeyId: id }], keys: [{ pkcs8: pkcs8Of(server), localKeyId: id }] })));
    assert.equal(onCa.code, 'private-key-mismatch');
    assert.match(onCa.message, /pairs its private key with CN=Key Check CA \(thumbprint [0-9A-F]{40}\) \(by their localKeyId\), but the key is not that certificate's: it is the key of CN=sfb\.contoso\.com/);
    // The server's bag carries the id, but the key is another certificate's that the file does not hold.
    const foreign = errorOf(read(pfx({ certificates: [{ der: server.der, localKeyId: id }, { der: ca.der }], keys: [{ pkcs8: pkcs8Of(other), localKeyId: id }] })));
    assert.equal(foreign.code, 'private-key-mismatch');
    assert.match(foreign.message, /it is the key of none of the file's certificates/);
    // A key of another type entirely (EC for an RSA certificate).
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    assert.equal(errorOf(read(pfx({ certificates: [{ der: server.der, localKeyId: id }], keys: [{ pkcs8: ec, localKeyId: id }] }, '3des'))).code, 'private-key-mismatch');
  });

  it('refuses a key whose public half matches but whose private half is damaged, paired either way', () => {
    const id = sha1(server.der);
    for (const localKeyId of [id, undefined]) {
      const error = errorOf(read(pfx({ certificates: [{ der: server.der, localKeyId }], keys: [{ pkcs8: damagedPrivateHalf(server), localKeyId }] })));
      assert.equal(error.code, 'private-key-mismatch');
      assert.match(error.message, /private key for CN=sfb\.contoso\.com .* is damaged: it matches the certificate's public key, but what it signs does not verify with it/);
    }
  });

  it('reports no private key, with a note, when an unpaired key belongs to none of the certificates', () => {
    const result = read(pfx({ certificates: [{ der: server.der }, { der: ca.der }], keys: [{ pkcs8: pkcs8Of(other) }] }));
    assert.ok(result.ok);
    assert.equal(result.record.hasPrivateKey, false);
    assert.match(result.notes.join('\n'), /private key belongs to none of its certificates/);
  });

  it('keeps the key of the right certificate when the file also holds unrelated ones', () => {
    const result = read(pfx({ certificates: [{ der: other.der }, { der: server.der, localKeyId: sha1(server.der) }, { der: ca.der }], keys: [{ pkcs8: pkcs8Of(server), localKeyId: sha1(server.der) }] }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual([result.record.subject, result.record.hasPrivateKey], ['CN=sfb.contoso.com', true]);
    assert.deepEqual(result.chain.map((c) => c.subject), ['CN=Key Check CA', 'CN=other.contoso.com']);
    assert.match(result.notes.join('\n'), /outside the certification path: CN=other\.contoso\.com/);
  });
});
