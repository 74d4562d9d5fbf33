// Reading a PKCS #12 file (RFC 7292): the integrity MAC, the encrypted contents, and the bags of certificates and keys
// with their attributes. What a file's contents mean (which certificate is the end entity, whose key is which) is
// decided in certificates/select.ts.
import { createPrivateKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { forge } from '../vendor';
import { REEXPORT_WITH_KEY_FIX, ReadFailure, damaged, fail } from '../certificates/errors';
import { type Asn1, Type, algorithmOf, derOf, elements, isUniversal, octets, oid, parseDer, primitive, smallInteger } from './der';
import { MAC_HASHES, chargeIterations, decrypt, decryptionFor, iterationCount, mac, newSecret, unsupportedAlgorithm, type Decryption, type Secret } from './pbe';
import { OID } from './oids';

interface BagAttributes {
  friendlyName?: string;
  /** Windows and OpenSSL pair a key with its certificate by giving both bags the same localKeyId. */
  localKeyId?: Buffer;
}

export interface Pkcs12Certificate extends BagAttributes {
  der: Buffer;
}

export interface Pkcs12Key extends BagAttributes {
  /** Decrypted and parsed: a key entry that is not a private key fails the read. Whose key it is, select.ts checks. */
  key: KeyObject;
}

export interface Pkcs12Contents {
  certificates: Pkcs12Certificate[];
  keys: Pkcs12Key[];
  notes: string[];
}

/** 1.2.840.113549.1.7, DER-encoded: the PKCS #7 content types. */
let pkcs7Prefix: string | undefined;
const pkcs7OidPrefix = () => (pkcs7Prefix ??= forge().asn1.oidToDer('1.2.840.113549.1.7').getBytes());

/** PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, macData OPTIONAL }; ContentInfo starts with a PKCS #7 OID. */
export function isPkcs12(root: Asn1): boolean {
  if (!isUniversal(root, Type.SEQUENCE) || !Array.isArray(root.value)) return false;
  const [version, authSafe] = root.value;
  if (!isUniversal(version, Type.INTEGER) || !isUniversal(authSafe, Type.SEQUENCE) || !Array.isArray(authSafe.value)) return false;
  const contentType = authSafe.value[0];
  return isUniversal(contentType, Type.OID) && typeof contentType.value === 'string' && contentType.value.startsWith(pkcs7OidPrefix());
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
  let plaintext: Buffer;
  if (bagType === OID.keyBag) {
    if (!isUniversal(value, Type.SEQUENCE)) damaged('the private key');
    plaintext = derOf(value);
  } else {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
    const [algorithm, data] = elements(value, Type.SEQUENCE, 'the encrypted private key');
    const decryption = decryptionFor(algorithm);
    plaintext = decrypt(decryption, octets(data, 'the encrypted private key'), secret) ?? undecryptable(secret);
  }
  try {
    return { ...attributes, key: createPrivateKey({ key: plaintext, format: 'der', type: 'pkcs8' }) };
  } catch {
    // Without a MAC, a wrong password that happened to unpad explains it best.
    return secret.verified || bagType === OID.keyBag ? unreadableKey() : undecryptable(secret);
  }
}

function unreadableKey(): never {
  return fail('corrupt', 'The file\'s private key cannot be read: its entry does not hold a valid private key, although the rest of the file reads correctly.', REEXPORT_WITH_KEY_FIX);
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
