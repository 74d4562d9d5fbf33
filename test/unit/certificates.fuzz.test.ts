// Fuzzing readCertificateFile: mutated fixtures (bit flips, byte changes, cuts, insertions, splices, absurd ASN.1
// lengths, damaged Base-64), random bytes and made-up ASN.1. Whatever comes in, what comes out is a valid record or a
// typed error with a person's message, and never the catch-all for a failure nobody anticipated.
// Then PFX files whose key entries lie, all with a valid MAC (garbage, cut or damaged keys, keys of other certificates,
// localKeyIds on the wrong certificate): a private key is reported only when it really signs for the certificate.
//   10,000 + 400 inputs by default (a few seconds); SFB_FUZZ_LONG=1 (or --long) for 200,000 + 20,000.
import * as assert from 'node:assert/strict';
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readCertificateFile, type CertificateReadResult } from '../../src/core';
import type { CertificateRecord } from '../../src/core/model';
import { createTestCA, generateCertificate, type GeneratedCertificate } from '../../src/core/certgen';
import { corruptError } from '../../src/core/certificates/errors';
import { buildPfxFromBags, type PfxBags } from '../../src/core/pfx/write';
import { makeFixtures, type Fixture, type Fixtures } from '../fixtures/makeFixtures';
import { FUZZ_LONG, random } from '../fixtures/fuzz';

const LONG = FUZZ_LONG;
const INPUTS = LONG ? 200_000 : 10_000;
const KEY_INPUTS = LONG ? 20_000 : 400;
const SEED = 0x5fb2024;

const ERROR_CODES = ['not-a-certificate', 'truncated', 'corrupt', 'password-required', 'wrong-password', 'unsupported-encryption', 'no-certificate', 'ambiguous-end-entity', 'private-key-mismatch'];
const LIBRARY_WORDS = /forge|ASN\.1|asn1|undefined|null|Cannot read propert|Only 8, 16|bits supported|Too few bytes|ERR_|error:/;
/** readCertificateFile's answer to an exception it did not expect. */
const CATCH_ALL = corruptError('its contents').message;


/** Offsets of the length octets of every definite-length DER header in `bytes` (descending into constructed values). */
function lengthOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  const walk = (start: number, end: number, depth: number) => {
    let at = start;
    while (at + 2 <= end && depth < 30) {
      const constructed = (bytes[at] & 0x20) !== 0;
      const first = bytes[at + 1];
      if (first === 0x80) return;
      const lengthBytes = first > 0x80 ? first & 0x7f : 0;
      if (lengthBytes > 4) return;
      let length = first > 0x80 ? 0 : first;
      for (let i = 0; i < lengthBytes; i++) length = length * 256 + bytes[at + 2 + i];
      const contents = at + 2 + lengthBytes;
      if (contents + length > end) return;
      offsets.push(at + 1);
      if (constructed) walk(contents, contents + length, depth + 1);
      at = contents + length;
    }
  };
  walk(0, bytes.length, 0);
  return offsets;
}

const ABSURD_LENGTHS = [
  [0x84, 0xff, 0xff, 0xff, 0xff], [0x84, 0x7f, 0xff, 0xff, 0xff], [0x88, 1, 2, 3, 4, 5, 6, 7, 8], [0x80], [0xff], [0x85, 0, 0, 0, 0, 1], [0x81, 0x00], [0x82, 0xff, 0xff],
];

interface Input {
  how: string;
  bytes: Buffer;
  password?: string;
}

/** An endless, reproducible sequence of inputs made from the seeds. */
function makeInputs(seeds: Fixture[]): () => Input {
  const next = random(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const int = (max: number) => Math.floor(next() * max);
  const bytesOf = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));
  const offsets = new Map(seeds.map((s) => [s, lengthOffsets(s.bytes)]));

  /** Made-up ASN.1: nested elements whose lengths are often wrong, sometimes absurd. */
  const asn1 = (depth: number): Buffer => {
    const constructed = depth < 12 && next() < 0.6;
    const tag = pick([0x30, 0x31, 0xa0, 0xa3, 0x02, 0x04, 0x06, 0x03, 0x0c, 0x1e, 0x17, 0x18, 0x80, 0x1f, 0x00]) | (constructed ? 0x20 : 0);
    const body = constructed ? Buffer.concat(Array.from({ length: 1 + int(4) }, () => asn1(depth + 1))) : bytesOf(int(40));
    const roll = next();
    const length = roll < 0.7 ? lengthOctets(body.length) : roll < 0.85 ? lengthOctets(body.length + int(5) - 2) : Buffer.from(pick(ABSURD_LENGTHS));
    return Buffer.concat([Buffer.from([tag]), length, body]);
  };

  const isText = (seed: Fixture) => seed.bytes[0] !== 0x30;
  const pem = (edit: (text: string) => string) => (seed: Fixture) => Buffer.from(edit(seed.bytes.toString('latin1')), 'latin1');
  /** [name, mutation, the seeds it applies to (all when absent)] */
  const mutations: [string, (seed: Fixture) => Buffer, ((seed: Fixture) => boolean)?][] = [
    ['bit flips', (s) => {
      const b = Buffer.from(s.bytes);
      for (let i = 1 + int(8); i > 0; i--) b[int(b.length)] ^= 1 << int(8);
      return b;
    }],
    ['byte changes', (s) => {
      const b = Buffer.from(s.bytes);
      for (let i = 1 + int(4); i > 0; i--) b[int(b.length)] = pick([0x00, 0xff, 0x80, 0x7f, 0x30, 0x84, int(256)]);
      return b;
    }],
    ['cut', (s) => s.bytes.subarray(0, int(s.bytes.length))],
    ['insertion or deletion', (s) => {
      const at = int(s.bytes.length);
      return next() < 0.5
        ? Buffer.concat([s.bytes.subarray(0, at), bytesOf(1 + int(16)), s.bytes.subarray(at)])
        : Buffer.concat([s.bytes.subarray(0, at), s.bytes.subarray(at + 1 + int(64))]);
    }],
    ['absurd length', (s) => {
      const at = pick(offsets.get(s)!);
      const first = s.bytes[at];
      const old = 1 + (first > 0x80 ? first & 0x7f : 0);
      return Buffer.concat([s.bytes.subarray(0, at), Buffer.from(pick(ABSURD_LENGTHS)), s.bytes.subarray(at + old)]);
    }, (s) => offsets.get(s)!.length > 0],
    ['splice', (s) => {
      const other = pick(seeds).bytes;
      return Buffer.concat([s.bytes.subarray(0, int(s.bytes.length)), other.subarray(int(other.length))]);
    }],
    ['random bytes', () => {
      const b = bytesOf(int(2048));
      if (b.length && next() < 0.5) b[0] = 0x30;
      return b;
    }],
    ['made-up ASN.1', () => asn1(0)],
    ['deep nesting', () => {
      const header = Buffer.from(pick([[0x30, 0x80], [0xa0, 0x80], [0x30, 0x84, 0x00, 0x10, 0x00, 0x00]]));
      return Buffer.concat(Array.from({ length: 1 + int(5000) }, () => header));
    }],
    ['Base-64 character changed', pem((t) => {
      const at = 30 + int(Math.max(1, t.length - 60));
      return t.slice(0, at) + pick(['A', '+', '/', '=', '*', '-', '\n']) + t.slice(at + 1);
    }), isText],
    ['END line removed', pem((t) => t.replace(/-----END [A-Z ]+-----\s*$/, '')), isText],
    ['label changed', pem((t) => t.replace('BEGIN CERTIFICATE', pick(['BEGIN CERTIFICATES', 'BEGIN X509 CERTIFICATE', 'BEGIN  CERTIFICATE', 'BEGIN PKCS7']))), isText],
  ];

  return () => {
    const seed = pick(seeds);
    const password = pick([seed.password, seed.password, seed.password, undefined, 'not the password']);
    const [how, mutate] = pick(mutations.filter(([, , appliesTo]) => !appliesTo || appliesTo(seed)));
    return { how: `${seed.name}: ${how}`, bytes: mutate(seed), password };
  };
}

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([Math.max(0, length)]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** The problem with a result, or undefined when it is a valid record or a typed error. */
function problemWith(result: CertificateReadResult): string | undefined {
  if (!result.ok) {
    const { code, message, fix } = result.error;
    if (!ERROR_CODES.includes(code)) return `unknown error code ${code}`;
    if (!message || !fix) return 'an error without message or fix';
    if (LIBRARY_WORDS.test(`${message} ${fix}`)) return `a library's words: ${message}`;
    if (message === CATCH_ALL) return 'an exception nobody anticipated (the catch-all)';
    return undefined;
  }
  if (!['pkcs12', 'der', 'pem', 'pkcs7'].includes(result.format) || !result.notes.every((n) => typeof n === 'string' && n.length > 0)) return 'bad format or notes';
  for (const r of [result.record, ...result.chain]) {
    const problem = recordProblem(r);
    if (problem) return problem;
  }
  return undefined;
}

function recordProblem(r: CertificateRecord): string | undefined {
  if (!/^[0-9A-F]{40}$/.test(r.thumbprint)) return `thumbprint ${r.thumbprint}`;
  if (!/^([0-9A-F]{2})+$/.test(r.serialNumber)) return `serial ${r.serialNumber}`;
  if (typeof r.subject !== 'string' || typeof r.issuer !== 'string') return 'subject or issuer';
  if (Number.isNaN(Date.parse(r.notBefore)) || Number.isNaN(Date.parse(r.notAfter))) return 'dates';
  if (!Number.isInteger(r.keySize) || r.keySize < 0 || !r.keyAlgorithm || !r.signatureAlgorithm) return 'key or signature';
  if (!Array.isArray(r.subjectAlternativeNames) || !Array.isArray(r.enhancedKeyUsages)) return 'SANs or EKUs';
  if (typeof r.isCA !== 'boolean' || typeof r.hasPrivateKey !== 'boolean' || !r.derBase64) return 'flags or DER';
  return undefined;
}

describe('certificate files, fuzzed', () => {
  let fixtures: Fixtures;

  before(function () {
    this.timeout(60_000);
    fixtures = makeFixtures();
  });
  after(() => fixtures?.dispose());

  it(`answers ${INPUTS.toLocaleString('en-US')} mutated and random inputs with a record or a typed error`, function () {
    this.timeout(LONG ? 0 : 300_000); // a guard against a hang, not a speed target: the machine may be shared
    const seeds = fixtures.list.filter((f) => f.expect === 'ok' && (f.fuzzSeed || !f.name.endsWith('.pfx')));
    assert.ok(seeds.length >= 8);
    const nextInput = makeInputs(seeds);
    const outcomes = new Map<string, number>();
    const problems: string[] = [];
    for (let i = 0; i < INPUTS; i++) {
      const input = nextInput();
      const result = readCertificateFile(input.bytes, { password: input.password });
      const outcome = result.ok ? 'ok' : result.error.code;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const problem = problemWith(result);
      if (problem && problems.length < 5) problems.push(`#${i} ${input.how}: ${problem}\n  input (base64): ${input.bytes.toString('base64')}`);
    }
    assert.deepEqual(problems, []);
    // Every kind of outcome the mutations can reach was reached: the fuzzing got past the first byte.
    for (const code of ['ok', 'not-a-certificate', 'truncated', 'corrupt', 'password-required', 'wrong-password']) assert.ok(outcomes.get(code), `no "${code}" outcome: ${JSON.stringify([...outcomes])}`);
  });
});

/** PFX files built bag by bag from real certificates and keys, with the keys and their pairing made to lie. */
function makeKeyInputs(material: GeneratedCertificate[]): () => { how: string; bytes: Buffer; keys: Buffer[] } {
  const next = random(SEED + 1);
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const pkcs8 = material.map((m) => createPrivateKey(m.keyPem).export({ type: 'pkcs8', format: 'der' }));
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
  const sha1 = (der: Buffer) => createHash('sha1').update(der).digest();
  const keyMutations: [string, (key: Buffer, owner?: GeneratedCertificate) => Buffer][] = [
    ['intact', (k) => k], ['intact', (k) => k], ['intact', (k) => k],
    ['bit flips', (k) => {
      const b = Buffer.from(k);
      for (let i = 1 + int(4); i > 0; i--) b[int(b.length)] ^= 1 << int(8);
      return b;
    }],
    ['cut', (k) => k.subarray(0, int(k.length))],
    ['random bytes', () => Buffer.from(Array.from({ length: int(1200) }, () => int(256)))],
    ['damaged private half', (k, owner) => {
      if (!owner) return k;
      const jwk = createPrivateKey(owner.keyPem).export({ format: 'jwk' });
      const damage = (v: string | undefined) => {
        const b = Buffer.from(v!, 'base64url');
        b[int(b.length)] ^= 1 << int(8);
        return b.toString('base64url');
      };
      const fields = pick([['d', 'p'], ['dp', 'dq', 'd'], ['qi', 'q', 'd'], ['d', 'p', 'q']]);
      const damaged = { ...jwk, ...Object.fromEntries(fields.map((f) => [f, damage(jwk[f as keyof typeof jwk] as string)])) };
      try {
        return createPrivateKey({ key: damaged, format: 'jwk' }).export({ type: 'pkcs8', format: 'der' });
      } catch {
        return k;
      }
    }],
  ];
  return () => {
    const certificates = material.filter(() => next() < 0.6);
    if (!certificates.length) certificates.push(pick(material));
    const ids = [...certificates.map((c) => sha1(c.der)), Buffer.from([1, 2, 3, 4])];
    const keys: PfxBags['keys'] = [];
    const how: string[] = [];
    for (let n = 1 + (next() < 0.2 ? 1 : 0); n > 0; n--) {
      const owner = int(material.length + 1);
      const [mutation, mutate] = pick(keyMutations);
      const key = mutate(owner < material.length ? pkcs8[owner] : ecKey, material[owner]);
      const localKeyId = next() < 0.25 ? undefined : pick(ids);
      keys.push({ pkcs8: key, localKeyId });
      how.push(`key of ${owner < material.length ? `certificate ${owner}` : 'no certificate (EC)'}, ${mutation}, localKeyId ${localKeyId ? localKeyId.toString('hex').slice(0, 8) : 'none'}`);
    }
    const bags = certificates.map((c) => ({ der: c.der, localKeyId: next() < 0.8 ? pick(ids) : undefined }));
    const bytes = buildPfxFromBags({ certificates: bags, keys, password: FUZZ_PASSWORD, encryption: pick(['aes256', '3des'] as const), iterations: 1 });
    return { how: how.join('; '), bytes, keys: keys.map((k) => k.pkcs8) };
  };
}

const FUZZ_PASSWORD = 'Fuzz-Keys-1';

/** The oracle, independent of the reader: one of the written key entries loads and signs what the certificate verifies. */
function someKeySignsFor(keys: Buffer[], derBase64: string): boolean {
  const publicKey = new X509Certificate(Buffer.from(derBase64, 'base64')).publicKey;
  const probe = Buffer.from('fuzz');
  return keys.some((der) => {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      return verify('sha256', probe, publicKey, sign('sha256', probe, key));
    } catch {
      return false;
    }
  });
}

describe('PFX key entries, fuzzed', () => {
  it(`reports a private key in ${KEY_INPUTS.toLocaleString('en-US')} lying PFX files only when it signs for the certificate`, function () {
    this.timeout(LONG ? 0 : 300_000);
    const ca = createTestCA('Fuzz CA');
    const material = [
      ca,
      generateCertificate({ subject: { CN: 'sfb.contoso.com' }, dnsNames: ['sfb.contoso.com'], issuer: ca }),
      generateCertificate({ subject: { CN: 'other.contoso.com' }, issuer: ca }),
    ];
    const nextInput = makeKeyInputs(material);
    const outcomes = new Map<string, number>();
    const problems: string[] = [];
    for (let i = 0; i < KEY_INPUTS; i++) {
      const input = nextInput();
      const result = readCertificateFile(input.bytes, { password: FUZZ_PASSWORD });
      const outcome = result.ok ? (result.record.hasPrivateKey ? 'ok with key' : 'ok without key') : result.error.code;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      let problem = problemWith(result);
      if (!problem && result.ok && result.record.hasPrivateKey && !someKeySignsFor(input.keys, result.record.derBase64)) problem = 'a private key reported that does not sign for the certificate';
      if (problem && problems.length < 5) problems.push(`#${i} ${input.how}: ${problem}\n  input (base64): ${input.bytes.toString('base64')}`);
    }
    assert.deepEqual(problems, []);
    for (const outcome of ['ok with key', 'ok without key', 'corrupt', 'private-key-mismatch']) assert.ok(outcomes.get(outcome), `no "${outcome}" outcome: ${JSON.stringify([...outcomes])}`);
  });
});
