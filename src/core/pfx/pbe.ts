// Password-based encryption and the integrity MAC of PKCS #12: the algorithms found in the wild (PBES1 with the
// PKCS #12 key derivation, PBES2 with PBKDF2), a budget of key derivation work per file, decryption and encryption.
// Key derivation, ciphers and the MAC run in node:crypto, because forge's pure-JS PBKDF2 and ciphers make reading one
// PFX about 30 times slower. RC2 is the one exception: Node's OpenSSL 3 has it only in the legacy provider, so it
// stays in forge.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { forge } from '../vendor';
import { damaged, fail } from '../certificates/errors';
import { type Asn1, Type, algorithmOf, binary, bytesOf, elements, integer, isUniversal, nullNode, octetString, octets, oidNode, sequence, smallInteger } from './der';
import { HASHES, bmpPassword, pkcs12Kdf, type HashInfo, type HashName } from './kdf';
import { OID } from './oids';

function unsupported(algorithm: string): never {
  return fail('unsupported-encryption', `The file is protected with ${algorithm}, which SfB Certificates cannot read.`,
    'Export the file again choosing AES256-SHA256 or TripleDES-SHA1 encryption (Windows), or with OpenSSL 3\'s default settings.');
}

/** MAC digest algorithms, by OID. */
export const MAC_HASHES: Record<string, HashInfo> = {
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

export function unsupportedAlgorithm(algorithmOid: string): never {
  return unsupported(UNSUPPORTED_NAMES[algorithmOid] ?? `an unknown algorithm (OID ${algorithmOid})`);
}

// .NET refuses more than 600,000 iterations for the same reason: a damaged or hostile file must not stall the reader.
const MAX_ITERATIONS = 600_000;
/** Key derivation work allowed for one file, in iterations: several times what any real export needs. */
const ITERATION_BUDGET = 2_400_000;

/** The password in the two encodings a PKCS #12 file uses, and what is left of the file's key derivation budget. */
export interface Secret {
  given: boolean;
  /** For the PKCS #12 key derivation (the MAC, PBES1). */
  bmp: Buffer;
  /** For PBKDF2 (PBES2): OpenSSL and Windows use the UTF-8 bytes. */
  utf8: Buffer;
  /** True once the MAC proved this password right. */
  verified: boolean;
  iterationsLeft: number;
}

export function newSecret(password: string | undefined, verified: boolean): Secret {
  return { given: password !== undefined, bmp: bmpPassword(password ?? ''), utf8: Buffer.from(password ?? '', 'utf8'), verified, iterationsLeft: ITERATION_BUDGET };
}

export function chargeIterations(secret: Secret, iterations: number): void {
  secret.iterationsLeft -= iterations;
  if (secret.iterationsLeft < 0) damaged('its encryption parameters (they ask for far more work than any real export)');
}

export function iterationCount(node: Asn1 | undefined): number {
  const iterations = smallInteger(node, Number.MAX_SAFE_INTEGER, 'the iteration count');
  if (iterations === 0) damaged('the iteration count');
  if (iterations > MAX_ITERATIONS) {
    fail('unsupported-encryption', `The file asks for ${iterations.toLocaleString('en-US')} key derivation iterations; SfB Certificates reads files with at most ${MAX_ITERATIONS.toLocaleString('en-US')} (as .NET does) so that a damaged file cannot stall it.`,
      'Export the file again with the exporting tool\'s default settings.');
  }
  return iterations;
}

/** A supported password-based encryption, read from its AlgorithmIdentifier, ready to derive its key and IV. */
export interface Decryption {
  cipher: CipherInfo;
  iterations: number;
  keyAndIv(secret: Secret): [Buffer, Buffer];
}

/** Fails with 'unsupported-encryption' (naming the algorithm) unless the reader can decrypt it. */
export function decryptionFor(algorithm: Asn1 | undefined): Decryption {
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
export function decrypt(decryption: Decryption, data: Buffer, secret: Secret): Buffer | undefined {
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
  const decipher = forge().rc2.createDecryptionCipher(binary(key), key.length * 8);
  decipher.start(binary(iv));
  decipher.update(forge().util.createBuffer(binary(data)));
  return decipher.finish() ? bytesOf(decipher.output.getBytes()) : undefined;
}

export type PfxEncryption = 'aes256' | '3des';

export const PFX_ITERATIONS = 2048; // OpenSSL 3's default; Windows uses 2000

export function encrypt(plaintext: Buffer, password: string, encryption: PfxEncryption, iterations = PFX_ITERATIONS): { algorithm: Asn1; data: Buffer } {
  const salt = randomBytes(8);
  if (encryption === '3des') {
    const bmp = bmpPassword(password);
    const key = pkcs12Kdf(HASHES.sha1, bmp, salt, 1, iterations, 24);
    const iv = pkcs12Kdf(HASHES.sha1, bmp, salt, 2, iterations, 8);
    const cipher = createCipheriv('des-ede3-cbc', key, iv);
    return {
      algorithm: sequence(oidNode(OID.pbeWithSha1And3KeyTripleDesCbc), sequence(octetString(salt), integer(iterations))),
      data: Buffer.concat([cipher.update(plaintext), cipher.final()]),
    };
  }
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return {
    algorithm: sequence(oidNode(OID.pbes2), sequence(
      sequence(oidNode(OID.pbkdf2), sequence(octetString(salt), integer(iterations), sequence(oidNode(OID.hmacWithSha256), nullNode()))),
      sequence(oidNode(OID.aes256Cbc), octetString(iv)),
    )),
    data: Buffer.concat([cipher.update(plaintext), cipher.final()]),
  };
}

export function mac(hash: HashInfo, bmp: Buffer, salt: Buffer, iterations: number, content: Buffer): Buffer {
  return createHmac(hash.name, pkcs12Kdf(hash, bmp, salt, 3, iterations, hash.digestBytes)).update(content).digest();
}
