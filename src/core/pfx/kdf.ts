// RFC 7292 appendix B: the PKCS #12 key derivation, which makes the MAC key and the keys and IVs of the PBES1
// ciphers (3DES, RC2) from the password as a BMPString. node:crypto has no such function; its hashes do the work.
import { createHash } from 'node:crypto';

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface HashInfo {
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
 * Kept because npm run bench says so: with node:crypto's one-shot hash per round instead, a Windows 3DES file read
 * about 2.5 times slower and missed the bench's target of half of OpenSSL's time.
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
