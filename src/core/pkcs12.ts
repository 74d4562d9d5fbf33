// PKCS #12 (RFC 7292) and the DER plumbing shared with certificates.ts: a bounds check that runs before anything is
// allocated, typed accessors over node-forge's ASN.1 tree, the reader (integrity MAC, decryption, bags) and the writer
// used by certgen.ts. node-forge parses and builds the ASN.1 only: key derivation, ciphers, the MAC and hashes run in
// node:crypto, because forge's pure-JS PBKDF2 and ciphers make reading one PFX about 30 times slower. RC2 is the one
// exception: Node's OpenSSL 3 has it only in the legacy provider, so it stays in forge.
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, pbkdf2Sync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import * as forge from 'node-forge';
import type { CertificateReadError } from './certificates';

// ---------------------------------------------------------------------------------------------
// Failures: thrown inside the reader, returned as values by readCertificateFile
// ---------------------------------------------------------------------------------------------

/** One of the expected ways a file can be unreadable: thrown by the reader, returned as a value by readCertificateFile. */
export class ReadFailure extends Error {
  constructor(readonly error: CertificateReadError) {
    super(error.message);
  }
}

export function fail(code: CertificateReadError['code'], message: string, fix: string): never {
  throw new ReadFailure({ code, message, fix, source: 'product' });
}

const FRESH_COPY_FIX = 'Export the certificate again, or get a fresh copy of the file from where it came from.';

/** `what`: a phrase such as "the certificate's validity dates". */
export function corruptError(what: string): CertificateReadError {
  return { code: 'corrupt', message: `The file is damaged: ${what} cannot be read.`, fix: FRESH_COPY_FIX, source: 'product' };
}

export function damaged(what: string): never {
  throw new ReadFailure(corruptError(what));
}

function unsupported(algorithm: string): never {
  return fail('unsupported-encryption', `The file is protected with ${algorithm}, which SfB Certificates cannot read.`,
    'Export the file again choosing AES256-SHA256 or TripleDES-SHA1 encryption (Windows), or with OpenSSL 3\'s default settings.');
}

// ---------------------------------------------------------------------------------------------
// DER
// ---------------------------------------------------------------------------------------------

export type Asn1 = forge.asn1.Asn1;
export const { Class, Type } = forge.asn1;

/** Universal tags that forge's Type enum does not name. */
export const TAG = { T61STRING: 20, VISIBLESTRING: 26, UNIVERSALSTRING: 28, NUMERICSTRING: 18 } as const;

/** X.509 and PKCS #12 nest a dozen levels at most (a PFX's contents are parsed separately, level by level). */
const MAX_DER_DEPTH = 24;

// The options object is missing from @types/node-forge. decodeBitStrings off: forge would otherwise guess whether a
// BIT STRING holds ASN.1 by trying to parse every one.
const fromDer = forge.asn1.fromDer as unknown as (bytes: string, options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }) => Asn1;

export type DerProblem = 'truncated' | 'malformed';

/**
 * Checks the element that starts at bytes[0] without allocating anything: every length fits its container, nesting
 * is bounded, lengths take at most 4 bytes, no high tag numbers (X.509 and PKCS #12 use none, and forge misreads them).
 * Returns where the element ends; 'truncated' when it runs past the end of the data, 'malformed' otherwise.
 */
export function checkDer(bytes: Uint8Array): number | DerProblem {
  return skipElement(bytes, 0, bytes.length, true, 0);
}

/** `open`: `limit` is the end of the data rather than a declared length, so running past it means truncation. */
function skipElement(b: Uint8Array, at: number, limit: number, open: boolean, depth: number): number | DerProblem {
  const overrun: DerProblem = open ? 'truncated' : 'malformed';
  if (depth > MAX_DER_DEPTH) return 'malformed';
  if (at + 2 > limit) return overrun;
  if ((b[at] & 0x1f) === 0x1f) return 'malformed';
  const constructed = (b[at] & 0x20) !== 0;
  const first = b[at + 1];
  let pos = at + 2;
  if (first === 0x80) {
    // BER indefinite length (some older exporters): children up to an end-of-contents marker.
    if (!constructed) return 'malformed';
    for (;;) {
      if (pos + 2 > limit) return overrun;
      if (b[pos] === 0 && b[pos + 1] === 0) return pos + 2;
      const next = skipElement(b, pos, limit, open, depth + 1);
      if (typeof next !== 'number') return next;
      pos = next;
    }
  }
  let length = first;
  if (first > 0x80) {
    const lengthBytes = first & 0x7f;
    if (lengthBytes > 4) return 'malformed';
    if (pos + lengthBytes > limit) return overrun;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + b[pos++];
  }
  const end = pos + length;
  if (end > limit) return overrun;
  while (constructed && pos < end) {
    const next = skipElement(b, pos, end, false, depth + 1);
    if (typeof next !== 'number') return next;
    pos = next;
  }
  return end;
}

/** Parses exactly one complete element into forge's tree; anything else means `what` is damaged. */
export function parseDer(bytes: Uint8Array, what: string): Asn1 {
  if (checkDer(bytes) !== bytes.length) damaged(what);
  try {
    return fromDer(binary(bytes), { strict: true, parseAllBytes: true, decodeBitStrings: false });
  } catch {
    return damaged(what);
  }
}

export function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function bytesOf(binaryString: string): Buffer {
  return Buffer.from(binaryString, 'latin1');
}

export function derOf(node: Asn1): Buffer {
  return bytesOf(forge.asn1.toDer(node).getBytes());
}

export function isUniversal(node: Asn1 | undefined, type: number): node is Asn1 {
  return node !== undefined && node.tagClass === Class.UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1 | undefined, tag: number): node is Asn1 {
  return node !== undefined && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag;
}

/** The children of a constructed element: a universal SEQUENCE or SET, or a context tag [n] when `type` is { context: n }. */
export function elements(node: Asn1 | undefined, type: number | { context: number }, what: string): Asn1[] {
  if (node === undefined || !(typeof type === 'number' ? isUniversal(node, type) : isContext(node, type.context)) || !Array.isArray(node.value)) damaged(what);
  return node.value;
}

/** The raw contents of a primitive element. */
export function primitive(node: Asn1 | undefined, type: number, what: string): string {
  if (!isUniversal(node, type) || typeof node.value !== 'string') damaged(what);
  return node.value;
}

export function oid(node: Asn1 | undefined, what: string): string {
  return oidFromContents(primitive(node, Type.OID, what), what);
}

/** The dotted form of an OID's contents (also found under IMPLICIT tags). */
export function oidFromContents(contents: string, what: string): string {
  if (contents.length === 0) damaged(what);
  try {
    return forge.asn1.derToOid(contents);
  } catch {
    return damaged(what); // an arc beyond 2^53
  }
}

/** An OCTET STRING's contents; BER allows it in chunks (a constructed OCTET STRING). `tag` for IMPLICIT [n] fields. */
export function octets(node: Asn1 | undefined, what: string, tag?: number): Buffer {
  if (node === undefined || !(tag === undefined ? isUniversal(node, Type.OCTETSTRING) : isContext(node, tag))) damaged(what);
  if (typeof node.value === 'string') return bytesOf(node.value);
  return Buffer.concat(node.value.map((chunk) => octets(chunk, what)));
}

/** A non-negative INTEGER no larger than `max`: what forge's derToInteger would throw its own messages on. */
function smallInteger(node: Asn1 | undefined, max: number, what: string): number {
  const value = primitive(node, Type.INTEGER, what);
  if (value.length === 0 || value.length > 6 || (value.charCodeAt(0) & 0x80) !== 0) damaged(what);
  let n = 0;
  for (let i = 0; i < value.length; i++) n = n * 256 + value.charCodeAt(i);
  if (n > max) damaged(what);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Algorithms
// ---------------------------------------------------------------------------------------------

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeWithSha1And3KeyTripleDesCbc: '1.2.840.113549.1.12.1.3',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  hmacWithSha256: '1.2.840.113549.2.9',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

interface HashInfo {
  name: HashName;
  /** Input block size in bytes (v in RFC 7292 appendix B). */
  blockBytes: number;
  digestBytes: number;
}

/** Exported for the tests of the key derivation. */
export const HASHES: Record<HashName, HashInfo> = {
  sha1: { name: 'sha1', blockBytes: 64, digestBytes: 20 },
  sha224: { name: 'sha224', blockBytes: 64, digestBytes: 28 },
  sha256: { name: 'sha256', blockBytes: 64, digestBytes: 32 },
  sha384: { name: 'sha384', blockBytes: 128, digestBytes: 48 },
  sha512: { name: 'sha512', blockBytes: 128, digestBytes: 64 },
};

/** MAC digest algorithms, by OID. */
const MAC_HASHES: Record<string, HashInfo> = {
  [OID.sha1]: HASHES.sha1,
  '2.16.840.1.101.3.4.2.4': HASHES.sha224,
  [OID.sha256]: HASHES.sha256,
  '2.16.840.1.101.3.4.2.2': HASHES.sha384,
  '2.16.840.1.101.3.4.2.3': HASHES.sha512,
};

/** PBKDF2 pseudo-random functions, by OID (absent means HMAC-SHA1). */
const PBKDF2_PRFS: Record<string, HashName> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  [OID.hmacWithSha256]: 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

interface CipherInfo {
  /** node:crypto's cipher name, or 'rc2' (forge). */
  cipher: string;
  keyBytes: number;
  ivBytes: number;
}

/** RFC 7292 appendix C: password-based encryption with the PKCS #12 key derivation (SHA-1). */
const PKCS12_PBE: Record<string, CipherInfo> = {
  [OID.pbeWithSha1And3KeyTripleDesCbc]: { cipher: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyBytes: 16, ivBytes: 8 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyBytes: 16, ivBytes: 8 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyBytes: 5, ivBytes: 8 },
};

/** PBES2 (RFC 8018) encryption schemes, by OID. */
const PBES2_CIPHERS: Record<string, CipherInfo> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyBytes: 16, ivBytes: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyBytes: 24, ivBytes: 16 },
  [OID.aes256Cbc]: { cipher: 'aes-256-cbc', keyBytes: 32, ivBytes: 16 },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8 },
};

/** Names for what is recognised but not supported, so the error names it. */
const UNSUPPORTED_NAMES: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.1.5.14': 'PBMAC1 (RFC 9579)',
  '1.3.6.1.4.1.11591.4.11': 'scrypt',
  '1.3.14.3.2.7': 'DES-CBC',
  '1.2.840.113549.3.2': 'RC2-CBC',
  '1.2.840.113549.2.5': 'MD5',
  '1.2.392.200011.61.1.1.1.2': 'Camellia-128-CBC',
  '1.2.392.200011.61.1.1.1.3': 'Camellia-192-CBC',
  '1.2.392.200011.61.1.1.1.4': 'Camellia-256-CBC',
  '2.16.840.1.101.3.4.1.6': 'AES-128-GCM',
  '2.16.840.1.101.3.4.1.46': 'AES-256-GCM',
  [OID.signedData]: 'public-key integrity mode (a signed PKCS #12)',
  [OID.envelopedData]: 'public-key privacy mode (PKCS #12 contents encrypted to a certificate)',
};

function unsupportedAlgorithm(algorithmOid: string): never {
  return unsupported(UNSUPPORTED_NAMES[algorithmOid] ?? `an unknown algorithm (OID ${algorithmOid})`);
}

// .NET refuses more than 600,000 iterations for the same reason: a damaged or hostile file must not stall the reader.
const MAX_ITERATIONS = 600_000;
/** Key derivation work allowed for one file, in iterations: several times what any real export needs. */
const ITERATION_BUDGET = 2_400_000;

/** RFC 7292 B.1: the password as a NUL-terminated BMPString (UTF-16BE). */
export function bmpPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]);
}

function repeatTo(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += source.length) source.copy(out, i);
  return out;
}

/** RFC 7292 appendix B.2: the PKCS #12 key derivation. `id` 1 makes keys, 2 IVs, 3 MAC keys. */
export function pkcs12Kdf(hash: HashInfo, password: Buffer, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const v = hash.blockBytes;
  const u = hash.digestBytes;
  const fill = (b: Buffer) => (b.length === 0 ? b : repeatTo(b, v * Math.ceil(b.length / v)));
  const input = Buffer.concat([fill(salt), fill(password)]);
  const diversifier = Buffer.alloc(v, id);
  const rounds = Math.ceil(length / u);
  const out = Buffer.alloc(rounds * u);
  for (let round = 0; round < rounds; round++) {
    const a = rehash(hash, createHash(hash.name).update(diversifier).update(input).digest(), iterations - 1);
    a.copy(out, round * u);
    if (round + 1 === rounds) break;
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block I_j of the input, B being A repeated to v bytes.
    const b = repeatTo(a, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k] + b[k] + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return out.subarray(0, length);
}

/**
 * The digest hashed `count` more times: the KDF's inner loop, about 2,000 rounds per derivation, and a Windows 3DES
 * file needs up to seven derivations. One node:crypto call per round costs over a microsecond, mostly call overhead,
 * which made such a file slower to read than OpenSSL's whole process takes. Rehashing a digest is a single block, cheap
 * in plain JS: SHA-1 and SHA-256, the two that real files use, run here (the tests check them against node:crypto).
 */
function rehash(hash: HashInfo, digest: Buffer, count: number): Buffer {
  if (hash.name === 'sha1') return rehashSha1(digest, count);
  if (hash.name === 'sha256') return rehashSha256(digest, count);
  let out = digest;
  for (let i = 0; i < count; i++) out = createHash(hash.name).update(out).digest();
  return out;
}

/**
 * FIPS 180-4 SHA-1 on its own 20-byte output: one padded block per round. The constants are written inline with
 * `| 0` so that V8 keeps the rounds in int32 arithmetic; held in variables, those above 2^30 are doubles and the
 * loop runs at half speed.
 */
function rehashSha1(digest: Buffer, count: number): Buffer {
  let h0 = digest.readInt32BE(0), h1 = digest.readInt32BE(4), h2 = digest.readInt32BE(8), h3 = digest.readInt32BE(12), h4 = digest.readInt32BE(16);
  const w = new Int32Array(80);
  w[5] = 0x80000000 | 0; // after the 20 bytes: the padding bit, zeros, then the length in bits
  w[15] = 160;
  for (let n = 0; n < count; n++) {
    w[0] = h0; w[1] = h1; w[2] = h2; w[3] = h3; w[4] = h4;
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = 0x67452301, b = 0xefcdab89 | 0, c = 0x98badcfe | 0, d = 0x10325476, e = 0xc3d2e1f0 | 0;
    for (let i = 0; i < 20; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    for (let i = 20; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    for (let i = 40; i < 60; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + (0x8f1bbcdc | 0) + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    for (let i = 60; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    h0 = (0x67452301 + a) | 0; h1 = ((0xefcdab89 | 0) + b) | 0; h2 = ((0x98badcfe | 0) + c) | 0; h3 = (0x10325476 + d) | 0; h4 = ((0xc3d2e1f0 | 0) + e) | 0;
  }
  return wordsToBytes(Int32Array.of(h0, h1, h2, h3, h4));
}

const SHA256_IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const SHA256_K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** FIPS 180-4 SHA-256 on its own 32-byte output: one padded block per round. */
function rehashSha256(digest: Buffer, count: number): Buffer {
  const h = Int32Array.from({ length: 8 }, (_, i) => digest.readInt32BE(i * 4));
  const w = new Int32Array(64);
  w[8] = 0x80000000 | 0; // after the 32 bytes: the padding bit, zeros, then the length in bits
  w[15] = 256;
  for (let n = 0; n < count; n++) {
    w.set(h);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = SHA256_IV[0], b = SHA256_IV[1], c = SHA256_IV[2], d = SHA256_IV[3], e = SHA256_IV[4], f = SHA256_IV[5], g = SHA256_IV[6], hh = SHA256_IV[7];
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i]) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] = SHA256_IV[0] + a; h[1] = SHA256_IV[1] + b; h[2] = SHA256_IV[2] + c; h[3] = SHA256_IV[3] + d;
    h[4] = SHA256_IV[4] + e; h[5] = SHA256_IV[5] + f; h[6] = SHA256_IV[6] + g; h[7] = SHA256_IV[7] + hh;
  }
  return wordsToBytes(h);
}

function wordsToBytes(words: Int32Array): Buffer {
  const out = Buffer.alloc(words.length * 4);
  words.forEach((word, i) => out.writeInt32BE(word, i * 4));
  return out;
}

/** The password in the two encodings a PKCS #12 file uses, and what is left of the file's key derivation budget. */
interface Secret {
  given: boolean;
  /** For the PKCS #12 key derivation (the MAC, PBES1). */
  bmp: Buffer;
  /** For PBKDF2 (PBES2): OpenSSL and Windows use the UTF-8 bytes. */
  utf8: Buffer;
  /** True once the MAC proved this password right. */
  verified: boolean;
  iterationsLeft: number;
}

function newSecret(password: string | undefined, verified: boolean): Secret {
  return { given: password !== undefined, bmp: bmpPassword(password ?? ''), utf8: Buffer.from(password ?? '', 'utf8'), verified, iterationsLeft: ITERATION_BUDGET };
}

function chargeIterations(secret: Secret, iterations: number): void {
  secret.iterationsLeft -= iterations;
  if (secret.iterationsLeft < 0) damaged('its encryption parameters (they ask for far more work than any real export)');
}

function iterationCount(node: Asn1 | undefined): number {
  const iterations = smallInteger(node, Number.MAX_SAFE_INTEGER, 'the iteration count');
  if (iterations === 0) damaged('the iteration count');
  if (iterations > MAX_ITERATIONS) {
    fail('unsupported-encryption', `The file asks for ${iterations.toLocaleString('en-US')} key derivation iterations; SfB Certificates reads files with at most ${MAX_ITERATIONS.toLocaleString('en-US')} (as .NET does) so that a damaged file cannot stall it.`,
      'Export the file again with the exporting tool\'s default settings.');
  }
  return iterations;
}

/** AlgorithmIdentifier → [OID, parameters]. */
export function algorithmOf(node: Asn1 | undefined, what: string): [string, Asn1 | undefined] {
  const [algorithm, parameters] = elements(node, Type.SEQUENCE, what);
  return [oid(algorithm, what), parameters];
}

/** A supported password-based encryption, read from its AlgorithmIdentifier, ready to derive its key and IV. */
interface Decryption {
  cipher: CipherInfo;
  iterations: number;
  keyAndIv(secret: Secret): [Buffer, Buffer];
}

/** Fails with 'unsupported-encryption' (naming the algorithm) unless the reader can decrypt it. */
function decryptionFor(algorithm: Asn1 | undefined): Decryption {
  const [algorithmOid, parameters] = algorithmOf(algorithm, 'the encryption algorithm');
  const pbe = PKCS12_PBE[algorithmOid];
  if (pbe) {
    const [saltNode, iterationsNode] = elements(parameters, Type.SEQUENCE, 'the encryption parameters');
    const salt = octets(saltNode, 'the encryption salt');
    const iterations = iterationCount(iterationsNode);
    return {
      cipher: pbe,
      iterations: 2 * iterations,
      keyAndIv: (secret) => [pkcs12Kdf(HASHES.sha1, secret.bmp, salt, 1, iterations, pbe.keyBytes), pkcs12Kdf(HASHES.sha1, secret.bmp, salt, 2, iterations, pbe.ivBytes)],
    };
  }
  if (algorithmOid !== OID.pbes2) unsupportedAlgorithm(algorithmOid);
  const [kdf, scheme] = elements(parameters, Type.SEQUENCE, 'the PBES2 parameters');
  const [kdfOid, kdfParameters] = algorithmOf(kdf, 'the key derivation function');
  if (kdfOid !== OID.pbkdf2) unsupportedAlgorithm(kdfOid);
  // PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf DEFAULT hmacWithSHA1 }
  const [saltNode, iterationsNode, ...optional] = elements(kdfParameters, Type.SEQUENCE, 'the PBKDF2 parameters');
  const prfNode = optional.find((n) => isUniversal(n, Type.SEQUENCE));
  const prfOid = prfNode ? algorithmOf(prfNode, 'the PBKDF2 hash')[0] : undefined;
  const prf = prfOid === undefined ? 'sha1' : PBKDF2_PRFS[prfOid] ?? unsupportedAlgorithm(prfOid);
  const [schemeOid, ivNode] = algorithmOf(scheme, 'the encryption scheme');
  const cipher = PBES2_CIPHERS[schemeOid] ?? unsupportedAlgorithm(schemeOid);
  const salt = octets(saltNode, 'the PBKDF2 salt');
  const iterations = iterationCount(iterationsNode);
  const keyLength = optional.find((n) => isUniversal(n, Type.INTEGER));
  if (keyLength && smallInteger(keyLength, 1024, 'the key length') !== cipher.keyBytes) damaged('the encryption key length');
  const iv = octets(ivNode, 'the initialisation vector');
  if (iv.length !== cipher.ivBytes) damaged('the initialisation vector');
  return { cipher, iterations, keyAndIv: (secret) => [pbkdf2Sync(secret.utf8, salt, iterations, cipher.keyBytes, prf), iv] };
}

/** undefined when the padding is wrong: a wrong key. */
function decrypt(decryption: Decryption, data: Buffer, secret: Secret): Buffer | undefined {
  chargeIterations(secret, decryption.iterations);
  const [key, iv] = decryption.keyAndIv(secret);
  if (decryption.cipher.cipher === 'rc2') return decryptRc2(key, iv, data);
  try {
    const decipher = createDecipheriv(decryption.cipher.cipher, key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return undefined; // bad padding, or a ciphertext that is not whole blocks
  }
}

function decryptRc2(key: Buffer, iv: Buffer, data: Buffer): Buffer | undefined {
  if (data.length % 8 !== 0) return undefined;
  const decipher = forge.rc2.createDecryptionCipher(binary(key), key.length * 8);
  decipher.start(binary(iv));
  decipher.update(forge.util.createBuffer(binary(data)));
  return decipher.finish() ? bytesOf(decipher.output.getBytes()) : undefined;
}

export type PfxEncryption = 'aes256' | '3des';

const PFX_ITERATIONS = 2048; // OpenSSL 3's default; Windows uses 2000

function encrypt(plaintext: Buffer, password: string, encryption: PfxEncryption): { algorithm: Asn1; data: Buffer } {
  const salt = randomBytes(8);
  if (encryption === '3des') {
    const bmp = bmpPassword(password);
    const key = pkcs12Kdf(HASHES.sha1, bmp, salt, 1, PFX_ITERATIONS, 24);
    const iv = pkcs12Kdf(HASHES.sha1, bmp, salt, 2, PFX_ITERATIONS, 8);
    const cipher = createCipheriv('des-ede3-cbc', key, iv);
    return {
      algorithm: sequence(oidNode(OID.pbeWithSha1And3KeyTripleDesCbc), sequence(octetString(salt), integer(PFX_ITERATIONS))),
      data: Buffer.concat([cipher.update(plaintext), cipher.final()]),
    };
  }
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, PFX_ITERATIONS, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return {
    algorithm: sequence(oidNode(OID.pbes2), sequence(
      sequence(oidNode(OID.pbkdf2), sequence(octetString(salt), integer(PFX_ITERATIONS), sequence(oidNode(OID.hmacWithSha256), nullNode()))),
      sequence(oidNode(OID.aes256Cbc), octetString(iv)),
    )),
    data: Buffer.concat([cipher.update(plaintext), cipher.final()]),
  };
}

function mac(hash: HashInfo, bmp: Buffer, salt: Buffer, iterations: number, content: Buffer): Buffer {
  return createHmac(hash.name, pkcs12Kdf(hash, bmp, salt, 3, iterations, hash.digestBytes)).update(content).digest();
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

interface BagAttributes {
  friendlyName?: string;
  /** Windows and OpenSSL pair a key with its certificate by giving both bags the same localKeyId. */
  localKeyId?: Buffer;
}

export interface Pkcs12Certificate extends BagAttributes {
  der: Buffer;
}

export interface Pkcs12Key extends BagAttributes {
  /**
   * The key, decrypted on first use: when the localKeyIds pair it with a certificate, as in the files Windows and
   * OpenSSL write, it never needs to be (a key derivation saved). Throws ReadFailure.
   */
  load(): KeyObject;
}

export interface Pkcs12Contents {
  certificates: Pkcs12Certificate[];
  keys: Pkcs12Key[];
  notes: string[];
}

/** 1.2.840.113549.1.7, DER-encoded: the PKCS #7 content types. */
const PKCS7_OID_PREFIX = forge.asn1.oidToDer('1.2.840.113549.1.7').getBytes();

/** PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, macData OPTIONAL }; ContentInfo starts with a PKCS #7 OID. */
export function isPkcs12(root: Asn1): boolean {
  if (!isUniversal(root, Type.SEQUENCE) || !Array.isArray(root.value)) return false;
  const [version, authSafe] = root.value;
  if (!isUniversal(version, Type.INTEGER) || !isUniversal(authSafe, Type.SEQUENCE) || !Array.isArray(authSafe.value)) return false;
  const contentType = authSafe.value[0];
  return isUniversal(contentType, Type.OID) && typeof contentType.value === 'string' && contentType.value.startsWith(PKCS7_OID_PREFIX);
}

type AuthSafePart = { data: Buffer; decryption?: Decryption };

/**
 * Reads a parsed PFX (see isPkcs12). `password` undefined: none was given, so the empty password is tried, as Windows
 * does. Throws ReadFailure.
 */
export function readPkcs12(root: Asn1, password: string | undefined): Pkcs12Contents {
  const [versionNode, authSafeInfo, macData] = elements(root, Type.SEQUENCE, 'the PKCS #12 header');
  const version = smallInteger(versionNode, 255, 'the PKCS #12 version');
  if (version !== 3) fail('not-a-certificate', `This is a PKCS #12 file of version ${version}; Windows and OpenSSL write version 3.`, 'Export the certificate again as a .pfx file.');
  const authSafeBytes = contentInfoData(authSafeInfo, 'the PKCS #12 contents');
  // The list of contents is in the clear: every encryption is checked before asking for a password that would not help.
  const parts = elements(parseDer(authSafeBytes, 'the list of contents'), Type.SEQUENCE, 'the list of contents').map(authSafePart);
  const contents: Pkcs12Contents = { certificates: [], keys: [], notes: [] };
  let secret: Secret;
  if (macData) {
    secret = verifyMac(macData, authSafeBytes, password);
  } else {
    secret = newSecret(password, false);
    contents.notes.push('The file has no integrity check (MAC): damage to it may go unnoticed.');
  }
  for (const part of parts) {
    const bytes = part.decryption ? decrypt(part.decryption, part.data, secret) ?? undecryptable(secret) : part.data;
    readSafeContents(parseDecrypted(bytes, secret, 'a list of certificates and keys'), secret, contents);
  }
  return contents;
}

/** ContentInfo of type data → its OCTET STRING. */
function contentInfoData(node: Asn1 | undefined, what: string): Buffer {
  const [contentType, content] = elements(node, Type.SEQUENCE, what);
  const type = oid(contentType, what);
  if (type !== OID.data) unsupportedAlgorithm(type);
  return octets(elements(content, { context: 0 }, what)[0], what);
}

function authSafePart(node: Asn1): AuthSafePart {
  const [contentType, content] = elements(node, Type.SEQUENCE, 'an entry of the contents');
  const type = oid(contentType, 'an entry of the contents');
  if (type === OID.data) return { data: contentInfoData(node, 'an entry of the contents') };
  if (type !== OID.encryptedData) unsupportedAlgorithm(type);
  // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo ::= SEQUENCE { contentType, algorithm, [0] IMPLICIT data } }
  const encryptedData = elements(elements(content, { context: 0 }, 'the encrypted contents')[0], Type.SEQUENCE, 'the encrypted contents');
  const [, algorithm, data] = elements(encryptedData[1], Type.SEQUENCE, 'the encrypted contents');
  return { decryption: decryptionFor(algorithm), data: data === undefined ? Buffer.alloc(0) : octets(data, 'the encrypted contents', 0) };
}

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } */
function verifyMac(macData: Asn1, content: Buffer, password: string | undefined): Secret {
  const [digestInfo, saltNode, iterationsNode] = elements(macData, Type.SEQUENCE, 'the integrity check');
  const [algorithm, digestNode] = elements(digestInfo, Type.SEQUENCE, 'the integrity check');
  const [hashOid] = algorithmOf(algorithm, 'the integrity check algorithm');
  const hash = MAC_HASHES[hashOid] ?? unsupportedAlgorithm(hashOid);
  const expected = octets(digestNode, 'the integrity check');
  const salt = octets(saltNode, 'the integrity check salt');
  const iterations = iterationsNode === undefined ? 1 : iterationCount(iterationsNode);
  const secret = newSecret(password, true);
  // Without a password, or with an empty one, files in the wild use either an empty BMPString (two NUL bytes, as
  // OpenSSL writes) or no bytes at all.
  const candidates = password ? [secret.bmp] : [secret.bmp, Buffer.alloc(0)];
  for (const bmp of candidates) {
    chargeIterations(secret, iterations);
    const actual = mac(hash, bmp, salt, iterations, content);
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return { ...secret, bmp };
  }
  if (password === undefined) passwordRequired();
  return fail('wrong-password', 'The password is wrong, or the file was altered after it was exported: its integrity check fails with this password.',
    'Type the password that was set when the file was exported (passwords are case-sensitive), or get a fresh copy of the file.');
}

function passwordRequired(): never {
  return fail('password-required', 'The file is protected with a password.', 'Give the password that was set when the file was exported.');
}

/** Encrypted contents that do not decrypt: after a verified MAC only a second password explains it. */
function undecryptable(secret: Secret): never {
  if (secret.verified) {
    return fail('unsupported-encryption', 'The password passes the file\'s integrity check, but its encrypted contents do not decrypt with it: they were protected with a second password (as OpenSSL -twopass does).',
      'Export the file again with a single password.');
  }
  if (!secret.given) passwordRequired();
  return fail('wrong-password', 'The password is wrong, or the file is damaged (it has no integrity check to tell which).',
    'Type the password that was set when the file was exported (passwords are case-sensitive), or get a fresh copy of the file.');
}

/** Decrypted bytes that do not parse are, without a verified MAC, most likely a wrong password that happened to unpad. */
function parseDecrypted(bytes: Buffer, secret: Secret, what: string): Asn1 {
  try {
    return parseDer(bytes, what);
  } catch (e) {
    if (!secret.verified && e instanceof ReadFailure) undecryptable(secret);
    throw e;
  }
}

/** SafeContents ::= SEQUENCE OF SafeBag; SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT, bagAttributes SET OPTIONAL } */
function readSafeContents(safeContents: Asn1, secret: Secret, contents: Pkcs12Contents): void {
  for (const bag of elements(safeContents, Type.SEQUENCE, 'a list of certificates and keys')) {
    const [bagId, bagValue, attributes] = elements(bag, Type.SEQUENCE, 'an entry of the file');
    const type = oid(bagId, 'an entry of the file');
    const value = elements(bagValue, { context: 0 }, 'an entry of the file')[0];
    const bagAttributes = attributes === undefined ? {} : bagAttributesOf(attributes);
    if (type === OID.certBag) {
      const [certType, certValue] = elements(value, Type.SEQUENCE, 'a certificate entry');
      if (oid(certType, 'a certificate entry') !== OID.x509Certificate) {
        contents.notes.push('Skipped an entry holding a certificate that is not X.509 (an SDSI certificate).');
        continue;
      }
      contents.certificates.push({ der: octets(elements(certValue, { context: 0 }, 'a certificate entry')[0], 'a certificate entry'), ...bagAttributes });
    } else if (type === OID.keyBag || type === OID.pkcs8ShroudedKeyBag) {
      contents.keys.push(keyEntry(type, value, secret, bagAttributes));
    } else if (type === OID.safeContentsBag) {
      readSafeContents(value, secret, contents);
    }
    // CRL and secret bags hold nothing a certificate import uses.
  }
}

function keyEntry(bagType: string, value: Asn1 | undefined, secret: Secret, attributes: BagAttributes): Pkcs12Key {
  let decryptKey: () => Buffer;
  if (bagType === OID.keyBag) {
    if (!isUniversal(value, Type.SEQUENCE)) damaged('the private key');
    decryptKey = () => derOf(value);
  } else {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
    const [algorithm, data] = elements(value, Type.SEQUENCE, 'the encrypted private key');
    const decryption = decryptionFor(algorithm);
    const encrypted = octets(data, 'the encrypted private key');
    decryptKey = () => decrypt(decryption, encrypted, secret) ?? undecryptable(secret);
  }
  let key: KeyObject | undefined;
  const load = () => {
    try {
      key ??= createPrivateKey({ key: decryptKey(), format: 'der', type: 'pkcs8' });
    } catch (e) {
      if (e instanceof ReadFailure) throw e;
      return secret.verified || bagType === OID.keyBag ? damaged('the private key') : undecryptable(secret);
    }
    return key;
  };
  // Without a MAC nothing has proved the password yet: the key must decrypt now.
  if (!secret.verified) load();
  return { ...attributes, load };
}

/** PKCS12Attribute ::= SEQUENCE { attrId OID, attrValues SET }: friendlyName a BMPString, localKeyId an OCTET STRING. */
function bagAttributesOf(attributes: Asn1): BagAttributes {
  const result: BagAttributes = {};
  for (const attribute of elements(attributes, Type.SET, 'the entry\'s attributes')) {
    const [attrId, values] = elements(attribute, Type.SEQUENCE, 'the entry\'s attributes');
    const id = oid(attrId, 'the entry\'s attributes');
    const first = elements(values, Type.SET, 'the entry\'s attributes')[0];
    if (id === OID.friendlyName) result.friendlyName = primitive(first, Type.BMPSTRING, 'the friendly name');
    else if (id === OID.localKeyId) result.localKeyId = octets(first, 'the local key ID');
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

const sequence = (...children: Asn1[]) => forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, children);
const set = (...children: Asn1[]) => forge.asn1.create(Class.UNIVERSAL, Type.SET, true, children);
const explicit0 = (child: Asn1) => forge.asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [child]);
const oidNode = (value: string) => forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(value).getBytes());
const octetString = (bytes: Buffer) => forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, binary(bytes));
const integer = (n: number) => forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.asn1.integerToDer(n).getBytes());
const nullNode = () => forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
const dataContentInfo = (content: Buffer) => sequence(oidNode(OID.data), explicit0(octetString(content)));

export interface PfxInput {
  /** DER; the first is the end-entity certificate (the key's), the others its certification path. */
  certificates: Buffer[];
  privateKey: KeyObject;
  password: string;
  encryption: PfxEncryption;
  friendlyName?: string;
}

/**
 * A PFX laid out as OpenSSL and Windows write them: the certificates in an encrypted content, the private key in a
 * shrouded key bag, both with a localKeyId (the certificate's SHA-1) and the friendly name, then the MAC.
 * 'aes256': PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC and a SHA-256 MAC; '3des': pbeWithSHAAnd3-KeyTripleDES-CBC and a
 * SHA-1 MAC, which Windows Server 2012 R2 and older need.
 */
export function buildPfx(input: PfxInput): Buffer {
  const [endEntity, ...chain] = input.certificates;
  const attributes = set(
    sequence(oidNode(OID.localKeyId), set(octetString(createHash('sha1').update(endEntity).digest()))),
    ...(input.friendlyName === undefined ? [] : [sequence(oidNode(OID.friendlyName), set(forge.asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, input.friendlyName)))]),
  );
  const certBag = (der: Buffer, bagAttributes?: Asn1) =>
    sequence(oidNode(OID.certBag), explicit0(sequence(oidNode(OID.x509Certificate), explicit0(octetString(der)))), ...(bagAttributes ? [bagAttributes] : []));
  const certificates = encrypt(derOf(sequence(certBag(endEntity, attributes), ...chain.map((der) => certBag(der)))), input.password, input.encryption);
  const key = encrypt(input.privateKey.export({ type: 'pkcs8', format: 'der' }), input.password, input.encryption);
  const keyBag = sequence(oidNode(OID.pkcs8ShroudedKeyBag), explicit0(sequence(key.algorithm, octetString(key.data))), attributes);
  const authSafe = derOf(sequence(
    sequence(oidNode(OID.encryptedData), explicit0(sequence(integer(0), sequence(oidNode(OID.data), certificates.algorithm,
      forge.asn1.create(Class.CONTEXT_SPECIFIC, 0, false, binary(certificates.data)))))),
    dataContentInfo(derOf(sequence(keyBag))),
  ));
  const [hash, hashOid] = input.encryption === 'aes256' ? [HASHES.sha256, OID.sha256] : [HASHES.sha1, OID.sha1];
  const macSalt = randomBytes(8);
  const macData = sequence(
    sequence(sequence(oidNode(hashOid), nullNode()), octetString(mac(hash, bmpPassword(input.password), macSalt, PFX_ITERATIONS, authSafe))),
    octetString(macSalt),
    integer(PFX_ITERATIONS),
  );
  return derOf(sequence(integer(3), dataContentInfo(authSafe), macData));
}
