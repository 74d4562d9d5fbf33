// Reads an administrator's certificate files as Windows would import them: PKCS #12 (.pfx/.p12) with the encryptions
// found in the wild, and DER or Base-64 (PEM) certificates, one or many. Pure: bytes in, a CertificateRecord or a
// typed error that says what happened and what to do. Nothing thrown escapes, whatever the bytes; node-forge's and
// OpenSSL's own messages never reach the user. Each certificate is read twice over: its fields from the DER (node-forge's
// ASN.1 tree), and by node:crypto's X509Certificate, which validates it and reads every key type (node-forge knows RSA only).
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import type { Result, SfbError } from './errors';
import type { CertificateRecord, ExtendedKeyUsage, SubjectAltName } from './model';
import {
  Class, ReadFailure, TAG, Type, algorithmOf, binary, bytesOf, checkDer, corruptError, damaged, derOf, elements, fail, isContext, isPkcs12, isUniversal, octets, oid,
  oidFromContents, parseDer, primitive, readPkcs12, type Asn1, type Pkcs12Certificate, type Pkcs12Key,
} from './pkcs12';

/** Why a file cannot be read: an SfbError with one of these codes, and always a fix. */
export interface CertificateReadError extends SfbError {
  code: 'not-a-certificate' | 'truncated' | 'corrupt' | 'password-required' | 'wrong-password' | 'unsupported-encryption' | 'no-certificate' | 'ambiguous-end-entity';
  fix: string;
}

export type CertificateFormat = 'pkcs12' | 'der' | 'pem';

export type CertificateReadResult = Result<{ record: CertificateRecord; chain: CertificateRecord[]; format: CertificateFormat; notes: string[] }, CertificateReadError>;

/** A PFX with a long chain is 20 KB and a CA bundle a few hundred: anything far larger is refused before parsing. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const CHOOSE_FILE_FIX = 'Choose the .pfx, .p12, .cer, .crt or .pem file that holds the certificate.';

// ---------------------------------------------------------------------------------------------
// Windows' names
// ---------------------------------------------------------------------------------------------

/** Distinguished name attributes as CertNameToStr writes them (X500 format); others print as OID.n.n.n. */
const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.13': 'Description',
  '2.5.4.17': 'PostalCode',
  '2.5.4.18': 'POBox',
  '2.5.4.20': 'Phone',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.46': 'dnQualifier',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'Secure Email',
  '1.3.6.1.5.5.7.3.5': 'IP security end system',
  '1.3.6.1.5.5.7.3.6': 'IP security tunnel termination',
  '1.3.6.1.5.5.7.3.7': 'IP security user',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
  '1.3.6.1.5.5.8.2.2': 'IP security IKE intermediate',
  '1.3.6.1.5.2.3.5': 'KDC Authentication',
  '1.3.6.1.4.1.311.10.3.1': 'Microsoft Trust List Signing',
  '1.3.6.1.4.1.311.10.3.4': 'Encrypting File System',
  '1.3.6.1.4.1.311.10.3.12': 'Document Signing',
  '1.3.6.1.4.1.311.20.2.2': 'Smart Card Logon',
  '1.3.6.1.4.1.311.54.1.2': 'Remote Desktop Authentication',
  '2.5.29.37.0': 'Any Purpose',
};

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2RSA',
  '1.2.840.113549.1.1.4': 'md5RSA',
  '1.2.840.113549.1.1.5': 'sha1RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256RSA',
  '1.2.840.113549.1.1.12': 'sha384RSA',
  '1.2.840.113549.1.1.13': 'sha512RSA',
  '1.2.840.113549.1.1.14': 'sha224RSA',
  '1.2.840.10045.4.1': 'sha1ECDSA',
  '1.2.840.10045.4.3.1': 'sha224ECDSA',
  '1.2.840.10045.4.3.2': 'sha256ECDSA',
  '1.2.840.10045.4.3.3': 'sha384ECDSA',
  '1.2.840.10045.4.3.4': 'sha512ECDSA',
  '1.2.840.10040.4.3': 'sha1DSA',
  '2.16.840.1.101.3.4.3.2': 'sha256DSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/** Key sizes that are not a modulus length: EC curves (OpenSSL's names, as node:crypto reports them) and EdDSA. */
const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};
const EDDSA_BITS: Record<string, number> = { Ed25519: 256, Ed448: 456 };

const EXTENSION = { subjectAltName: '2.5.29.17', basicConstraints: '2.5.29.19', extKeyUsage: '2.5.29.37' } as const;
const USER_PRINCIPAL_NAME = '1.3.6.1.4.1.311.20.2.3';

// ---------------------------------------------------------------------------------------------
// One certificate
// ---------------------------------------------------------------------------------------------

/** A certificate read from its DER, and what it takes to place it in a chain. */
interface ParsedCertificate {
  fields: Omit<CertificateRecord, 'hasPrivateKey' | 'friendlyName'>;
  x509: X509Certificate;
  /** DER of the subject and issuer names: a certificate issued another when its subject is that one's issuer. */
  subjectName: string;
  issuerName: string;
  friendlyName?: string;
  localKeyId?: Buffer;
}

function parseCertificate(der: Buffer, what: string): ParsedCertificate {
  const [tbs, signatureAlgorithm, signature] = elements(parseDer(der, what), Type.SEQUENCE, what);
  if (!isUniversal(signature, Type.BITSTRING)) damaged(what);
  const fields = elements(tbs, Type.SEQUENCE, what);
  const first = isContext(fields[0], 0) ? 1 : 0; // [0] version, absent in v1 certificates
  const [serialNode, , issuer, validity, subject, publicKeyInfo, ...optional] = fields.slice(first);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return damaged(what);
  }
  const serial = primitive(serialNode, Type.INTEGER, `${what}'s serial number`);
  if (serial.length === 0) damaged(`${what}'s serial number`);
  const [notBefore, notAfter] = elements(validity, Type.SEQUENCE, `${what}'s validity dates`);
  const extensions = readExtensions(optional.find((n) => isContext(n, 3)), what);
  const [signatureOid] = algorithmOf(signatureAlgorithm, `${what}'s signature algorithm`);
  const subjectName = nameOf(subject, `${what}'s subject`);
  const issuerName = nameOf(issuer, `${what}'s issuer`);
  return {
    fields: {
      thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
      serialNumber: bytesOf(serial).toString('hex').toUpperCase(),
      subject: subjectName.text,
      issuer: issuerName.text,
      subjectAlternativeNames: extensions.subjectAlternativeNames,
      notBefore: time(notBefore, `${what}'s validity dates`),
      notAfter: time(notAfter, `${what}'s validity dates`),
      ...publicKeyOf(publicKeyInfo, x509, `${what}'s public key`),
      signatureAlgorithm: SIGNATURE_ALGORITHMS[signatureOid] ?? signatureOid,
      enhancedKeyUsages: extensions.enhancedKeyUsages,
      isCA: extensions.isCA,
      derBase64: der.toString('base64'),
    },
    x509,
    subjectName: subjectName.der,
    issuerName: issuerName.der,
  };
}

function toRecord(certificate: ParsedCertificate, hasPrivateKey: boolean, friendlyName: string | undefined): CertificateRecord {
  const { derBase64, ...fields } = certificate.fields;
  return { ...fields, hasPrivateKey, ...(friendlyName === undefined ? {} : { friendlyName }), derBase64 };
}

/** The record of one DER certificate, such as one certgen made. Throws an Error saying what is wrong otherwise. */
export function recordFromDer(der: Uint8Array, extras: { hasPrivateKey?: boolean; friendlyName?: string } = {}): CertificateRecord {
  return toRecord(parseCertificate(Buffer.from(der), 'the certificate'), extras.hasPrivateKey ?? false, extras.friendlyName);
}

function nameOf(name: Asn1 | undefined, what: string): { text: string; der: string } {
  if (!isUniversal(name, Type.SEQUENCE)) damaged(what);
  return { text: windowsName(name, what), der: binary(derOf(name)) };
}

/** "CN=sfb.contoso.com, O=Contoso, C=US": RDNs most specific first (the reverse of the DER), as CertNameToStr writes them. */
function windowsName(name: Asn1 | undefined, what: string): string {
  return elements(name, Type.SEQUENCE, what)
    .map((rdn) => elements(rdn, Type.SET, what).map((attribute) => {
      const [type, value] = elements(attribute, Type.SEQUENCE, what);
      const attributeOid = oid(type, what);
      return `${NAME_ATTRIBUTES[attributeOid] ?? `OID.${attributeOid}`}=${quoteNameValue(stringValue(value, what))}`;
    }).join(' + '))
    .reverse()
    .join(', ');
}

/** CertNameToStr quotes values with separators or edge spaces, doubling inner quotes: O="Contoso, Inc." */
function quoteNameValue(value: string): string {
  return /[,+="\r\n<>#;]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A directory string of any ASN.1 string type; other types print as # and their DER in hex (RFC 4514). */
function stringValue(node: Asn1 | undefined, what: string): string {
  if (node === undefined) return damaged(what);
  if (node.tagClass !== Class.UNIVERSAL || typeof node.value !== 'string') return `#${derOf(node).toString('hex')}`;
  switch (node.type as number) {
    case Type.UTF8:
      return bytesOf(node.value).toString('utf8');
    case Type.BMPSTRING:
      return node.value; // forge decodes BMPStrings itself
    case TAG.UNIVERSALSTRING:
      return universalString(node.value, what);
    case Type.PRINTABLESTRING:
    case Type.IA5STRING:
    case TAG.T61STRING:
    case TAG.VISIBLESTRING:
    case TAG.NUMERICSTRING:
      return node.value;
    default:
      return `#${derOf(node).toString('hex')}`;
  }
}

/** UniversalString: UTF-32BE. */
function universalString(value: string, what: string): string {
  const bytes = bytesOf(value);
  if (bytes.length % 4 !== 0) damaged(what);
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const codePoint = bytes.readUInt32BE(i);
    if (codePoint > 0x10ffff) damaged(what);
    out += String.fromCodePoint(codePoint);
  }
  return out;
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/;

/** UTCTime (YYMMDDHHMMSSZ; YY < 50 is 20YY, RFC 5280) or GeneralizedTime → ISO 8601. */
function time(node: Asn1 | undefined, what: string): string {
  if (!isUniversal(node, Type.UTCTIME) && !isUniversal(node, Type.GENERALIZEDTIME)) damaged(what);
  const utc = node.type === Type.UTCTIME;
  const match = typeof node.value === 'string' ? (utc ? UTC_TIME : GENERALIZED_TIME).exec(node.value) : null;
  if (!match) damaged(what);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, leaves years 0-99 alone (GeneralizedTime allows them).
  date.setUTCFullYear(utc ? (year < 50 ? 2000 + year : 1900 + year) : year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  // Out-of-range fields roll over (31 February becomes 3 March): a valid date comes back unchanged.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) damaged(what);
  return date.toISOString();
}

function publicKeyOf(publicKeyInfo: Asn1 | undefined, x509: X509Certificate, what: string): Pick<CertificateRecord, 'keyAlgorithm' | 'keySize' | 'keyCurve'> {
  const [algorithmOid] = algorithmOf(elements(publicKeyInfo, Type.SEQUENCE, what)[0], what);
  const keyAlgorithm = KEY_ALGORITHMS[algorithmOid] ?? algorithmOid;
  let key: KeyObject;
  try {
    key = x509.publicKey;
  } catch {
    return { keyAlgorithm, keySize: 0 }; // a key OpenSSL cannot load (an EC curve given by explicit parameters)
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (details.namedCurve) return { keyAlgorithm, keySize: CURVE_BITS[details.namedCurve] ?? 0, keyCurve: details.namedCurve };
  return { keyAlgorithm, keySize: details.modulusLength ?? EDDSA_BITS[keyAlgorithm] ?? 0 };
}

interface Extensions {
  subjectAlternativeNames: SubjectAltName[];
  enhancedKeyUsages: ExtendedKeyUsage[];
  isCA: boolean;
}

/** [3] EXPLICIT SEQUENCE OF Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
function readExtensions(node: Asn1 | undefined, what: string): Extensions {
  const result: Extensions = { subjectAlternativeNames: [], enhancedKeyUsages: [], isCA: false };
  if (node === undefined) return result;
  for (const extension of elements(elements(node, { context: 3 }, `${what}'s extensions`)[0], Type.SEQUENCE, `${what}'s extensions`)) {
    const parts = elements(extension, Type.SEQUENCE, `${what}'s extensions`);
    const id = oid(parts[0], `${what}'s extensions`);
    const value = () => parseDer(octets(parts[parts.length - 1], `${what}'s extensions`), `${what}'s extensions`);
    if (id === EXTENSION.subjectAltName) {
      result.subjectAlternativeNames = elements(value(), Type.SEQUENCE, `${what}'s alternative names`).map((n) => generalName(n, `${what}'s alternative names`));
    } else if (id === EXTENSION.extKeyUsage) {
      result.enhancedKeyUsages = elements(value(), Type.SEQUENCE, `${what}'s enhanced key usages`).map((n) => {
        const usage = oid(n, `${what}'s enhanced key usages`);
        return { oid: usage, name: EKU_NAMES[usage] ?? usage };
      });
    } else if (id === EXTENSION.basicConstraints) {
      const cA = elements(value(), Type.SEQUENCE, `${what}'s basic constraints`)[0];
      result.isCA = isUniversal(cA, Type.BOOLEAN) && cA.value !== '\x00';
    }
  }
  return result;
}

/** GeneralName: the CHOICE's context tag says the type. */
function generalName(node: Asn1, what: string): SubjectAltName {
  const text = () => {
    if (typeof node.value !== 'string') damaged(what);
    return node.value;
  };
  if (node.tagClass !== Class.CONTEXT_SPECIFIC) damaged(what);
  switch (node.type) {
    case 1:
      return { type: 'email', value: text() };
    case 2:
      return { type: 'dns', value: text() };
    case 6:
      return { type: 'uri', value: text() };
    case 7:
      return { type: 'ip', value: ipAddress(bytesOf(text())) };
    case 0: {
      const [typeId, value] = elements(node, { context: 0 }, what);
      const otherOid = oid(typeId, what);
      return otherOid === USER_PRINCIPAL_NAME
        ? { type: 'other', value: `Principal Name=${stringValue(elements(value, { context: 0 }, what)[0], what)}` }
        : { type: 'other', value: `Other Name=${otherOid}` };
    }
    case 4:
      return { type: 'other', value: `Directory Address=${windowsName(elements(node, { context: 4 }, what)[0], what)}` };
    case 8:
      return { type: 'other', value: `Registered ID=${oidFromContents(text(), what)}` };
    default:
      return { type: 'other', value: `Name form [${node.type}]` };
  }
}

/** 4 bytes: dotted quad; 16: RFC 5952 text (lowercase, longest zero run as ::); anything else in hex. */
function ipAddress(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) return bytes.toString('hex');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let length = 0;
    while (i + length < 8 && groups[i + length] === '0') length++;
    if (length > best.length) best = { at: i, length };
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.length).join(':')}`;
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/** What a file holds, before choosing the end-entity certificate. */
interface FileContents {
  format: CertificateFormat;
  certificates: Pkcs12Certificate[];
  /** PKCS #12 only: Windows imports a private key from a .pfx, never from a PEM file. */
  keys: Pkcs12Key[];
  notes: string[];
}

/**
 * Reads a certificate file. `password`: for PKCS #12 files (undefined: none given; the empty password is tried).
 * `fileName`: only for notes when the content is not what the extension says.
 */
export function readCertificateFile(bytes: Uint8Array, options: { password?: string; fileName?: string } = {}): CertificateReadResult {
  try {
    return read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), options);
  } catch (e) {
    if (e instanceof ReadFailure) return { ok: false, error: e.error };
    // A library tripping over bytes nobody foresaw: the file is damaged; the library's words stay out of it.
    return { ok: false, error: corruptError('its contents') };
  }
}

function read(bytes: Buffer, options: { password?: string; fileName?: string }): CertificateReadResult {
  if (bytes.length === 0) fail('not-a-certificate', 'The file is empty.', CHOOSE_FILE_FIX);
  if (bytes.length > MAX_FILE_BYTES) {
    fail('not-a-certificate', `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB, far larger than any certificate file.`, CHOOSE_FILE_FIX);
  }
  // Binary files (PKCS #12, DER) start with a SEQUENCE, 0x30; anything else had better be text holding PEM blocks.
  const contents = bytes[0] === 0x30 ? readDer(bytes, options.password) : readPem(bytes);
  const notes = [...contents.notes];
  if (options.password && contents.format !== 'pkcs12') notes.push('The file is not password-protected: the password was not needed.');
  const misnamed = options.fileName === undefined ? undefined : misnamedNote(options.fileName, contents.format);
  if (misnamed) notes.push(misnamed);
  const seen = new Set<string>();
  const certificates: ParsedCertificate[] = [];
  contents.certificates.forEach((c, i) => {
    const parsed = parseCertificate(c.der, contents.certificates.length === 1 ? 'the certificate' : `certificate ${i + 1} of the file`);
    if (seen.has(parsed.fields.thumbprint)) return;
    seen.add(parsed.fields.thumbprint);
    certificates.push({ ...parsed, friendlyName: c.friendlyName, localKeyId: c.localKeyId });
  });
  const chosen = chooseEndEntity(certificates, contents.keys, notes);
  const { path, others } = chainOf(chosen.certificate, certificates);
  if (path.length) notes.push(`The file also holds the certification path: ${describeList(path.map(describe))}.`);
  if (others.length) notes.push(`The file also holds certificates outside the certification path: ${describeList(others.map(describe))}.`);
  const chain = [...path, ...others];
  if (contents.format === 'pkcs12' && contents.keys.length === 0) notes.push('The file holds no private key: it imports as a certificate alone.');
  return {
    ok: true,
    record: toRecord(chosen.certificate, chosen.hasPrivateKey, chosen.friendlyName),
    chain: chain.map((c) => toRecord(c, false, c.friendlyName)),
    format: contents.format,
    notes,
  };
}

function notACertificate(): never {
  return fail('not-a-certificate', 'This is not a certificate file: it is neither a PKCS #12 (.pfx/.p12) file nor a DER or Base-64 (PEM) certificate.', CHOOSE_FILE_FIX);
}

/** Binary: a PFX or a DER certificate, told apart by their structure. */
function readDer(bytes: Buffer, password: string | undefined): FileContents {
  const end = checkDer(bytes);
  if (end === 'truncated') {
    fail('truncated', `The file is incomplete: it ends (after ${bytes.length.toLocaleString('en-US')} bytes) in the middle of its contents.`,
      'Copy or download the file again and make sure the transfer finished (binary mode for FTP).');
  }
  if (end === 'malformed') damaged('its structure');
  const root = parseDer(bytes.subarray(0, end), 'its structure');
  const notes = end < bytes.length ? [`Ignored ${(bytes.length - end).toLocaleString('en-US')} bytes after the end of the file's contents.`] : [];
  if (isPkcs12(root)) {
    const pfx = readPkcs12(root, password);
    if (pfx.certificates.length === 0) {
      fail('no-certificate', pfx.keys.length ? 'The file holds a private key but no certificate.' : 'The file holds no certificate.',
        'Export the certificate again with its private key ("Personal Information Exchange - PKCS #12 (.PFX)").');
    }
    return { format: 'pkcs12', certificates: pfx.certificates, keys: pfx.keys, notes: [...notes, ...pfx.notes] };
  }
  if (isCertificate(root)) return { format: 'der', certificates: [{ der: bytes.subarray(0, end) }], keys: [], notes };
  return notACertificateDer(root);
}

/** Certificate ::= SEQUENCE { TBSCertificate (6 fields or more), AlgorithmIdentifier, BIT STRING } */
function isCertificate(root: Asn1): boolean {
  return signedShape(root, (tbs) => tbs.length >= 6);
}

/** SEQUENCE { SEQUENCE { fields }, AlgorithmIdentifier, BIT STRING }: certificates and requests are signed alike. */
function signedShape(root: Asn1, fieldsMatch: (fields: Asn1[]) => boolean): boolean {
  const children = Array.isArray(root.value) ? root.value : [];
  const [signed, algorithm, signature] = children;
  return children.length === 3 && isUniversal(signed, Type.SEQUENCE) && Array.isArray(signed.value) && fieldsMatch(signed.value)
    && isUniversal(algorithm, Type.SEQUENCE) && isUniversal(signature, Type.BITSTRING);
}

/** The other DER files an administrator may pick by mistake, named so the fix is obvious. */
function notACertificateDer(root: Asn1): never {
  const children = Array.isArray(root.value) ? root.value : [];
  const [first, second, third] = children;
  if (isUniversal(first, Type.OID) && first.value === P7B_CONTENT_TYPE) p7bBundle();
  // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] attributes }
  if (signedShape(root, (fields) => fields.length === 4 && isContext(fields[3], 0))) certificateRequest();
  if (isUniversal(first, Type.INTEGER) && isUniversal(second, Type.SEQUENCE) && isUniversal(third, Type.OCTETSTRING)) privateKeyOnly();
  return notACertificate();
}

/** 1.2.840.113549.1.7.2 (signedData), DER: a .p7b starts with it. */
const P7B_CONTENT_TYPE = '\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02';

function p7bBundle(): never {
  return fail('not-a-certificate', 'This is a PKCS #7 (.p7b) certificate bundle, which SfB Certificates does not read.',
    'In the Certificates MMC, export the certificate as "DER encoded binary X.509 (.CER)" or "Base-64 encoded X.509 (.CER)", or with its private key as .pfx.');
}

function certificateRequest(): never {
  return fail('not-a-certificate', 'This is a certificate request (CSR), not a certificate.',
    'Submit the request to your certification authority, then import the certificate it issues.');
}

function privateKeyOnly(): never {
  return fail('no-certificate', 'The file holds a private key but no certificate.',
    'Choose the .pfx file that holds the certificate with its key, or combine them: openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx');
}

const PEM_BEGIN = '-----BEGIN ';
const PEM_LABEL = /^[A-Z0-9 ]{1,64}$/;
const CERTIFICATE_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE'];
const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];
const REQUEST_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

/** PEM blocks in text, Notepad's "Unicode" (UTF-16LE with a BOM) included. */
function readPem(bytes: Buffer): FileContents {
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('latin1');
  if (!text.includes(PEM_BEGIN)) notACertificate();
  const certificates: { der: Buffer }[] = [];
  const otherLabels = new Set<string>();
  for (let at = text.indexOf(PEM_BEGIN); at >= 0; at = text.indexOf(PEM_BEGIN, at + 1)) {
    const labelEnd = text.indexOf('-----', at + PEM_BEGIN.length);
    const label = labelEnd < 0 ? '' : text.slice(at + PEM_BEGIN.length, labelEnd);
    if (!PEM_LABEL.test(label)) damaged('a "-----BEGIN" line');
    const endMarker = `-----END ${label}-----`;
    const bodyEnd = text.indexOf(endMarker, labelEnd);
    if (bodyEnd < 0) {
      fail('truncated', `The file is incomplete: the "${label}" block has no "${endMarker}" line.`,
        'Copy the whole text again, from the "-----BEGIN" line to the "-----END" line included.');
    }
    if (CERTIFICATE_LABELS.includes(label)) certificates.push({ der: pemCertificate(text.slice(labelEnd + 5, bodyEnd)) });
    else otherLabels.add(label);
    at = bodyEnd;
  }
  const labels = [...otherLabels];
  if (certificates.length === 0) {
    if (labels.some((l) => REQUEST_LABELS.includes(l))) certificateRequest();
    if (labels.includes('PKCS7')) p7bBundle();
    if (labels.some((l) => KEY_LABELS.includes(l))) privateKeyOnly();
    return notACertificate();
  }
  const notes: string[] = [];
  if (labels.some((l) => KEY_LABELS.includes(l))) {
    notes.push('The file also holds a private key, which is not imported: Windows takes private keys from .pfx files only (openssl pkcs12 -export makes one).');
  }
  const ignored = labels.filter((l) => !KEY_LABELS.includes(l));
  if (ignored.length) notes.push(`Ignored the file's ${ignored.join(', ')} block${ignored.length > 1 ? 's' : ''}.`);
  return { format: 'pem', certificates, keys: [], notes };
}

function pemCertificate(body: string): Buffer {
  const base64 = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) damaged('the Base-64 text of a certificate');
  const der = Buffer.from(base64, 'base64');
  const end = checkDer(der);
  if (end === 'truncated') {
    fail('truncated', 'A certificate in the file is incomplete: its Base-64 text stops too early.',
      'Copy the whole text again, from the "-----BEGIN" line to the "-----END" line included.');
  }
  if (end !== der.length) damaged('the Base-64 text of a certificate');
  return der;
}

const FORMAT_NAMES: Record<CertificateFormat, string> = { pkcs12: 'a PKCS #12 (.pfx) file', der: 'a DER certificate', pem: 'a Base-64 (PEM) certificate file' };
const EXTENSION_FORMATS: Record<string, CertificateFormat[]> = { pfx: ['pkcs12'], p12: ['pkcs12'], cer: ['der', 'pem'], crt: ['der', 'pem'], der: ['der'], pem: ['pem'] };

function misnamedNote(fileName: string, format: CertificateFormat): string | undefined {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1].toLowerCase() ?? '';
  const expected = EXTENSION_FORMATS[extension];
  if (!expected || expected.includes(format)) return undefined;
  return `${fileName} is ${FORMAT_NAMES[format]} despite its .${extension} extension; it was read as such.`;
}

// ---------------------------------------------------------------------------------------------
// Which certificate: the end entity
// ---------------------------------------------------------------------------------------------

interface EndEntity {
  certificate: ParsedCertificate;
  hasPrivateKey: boolean;
  friendlyName?: string;
}

/** The certificate whose key the file holds; without one, the only leaf that is not a CA (or the only leaf). */
function chooseEndEntity(certificates: ParsedCertificate[], keys: Pkcs12Key[], notes: string[]): EndEntity {
  const owners = new Map<ParsedCertificate, Pkcs12Key>();
  for (const key of keys) {
    for (const certificate of certificatesOf(key, certificates)) if (!owners.has(certificate)) owners.set(certificate, key);
  }
  if (owners.size > 1) ambiguous(`${owners.size} certificates with their private keys`, [...owners.keys()]);
  const [owned] = owners;
  if (owned) {
    const [certificate, key] = owned;
    return { certificate, hasPrivateKey: true, friendlyName: certificate.friendlyName ?? key.friendlyName };
  }
  if (keys.length) notes.push('The file\'s private key belongs to none of its certificates, so it is not imported.');
  const issuers = new Set(certificates.filter((c) => c.issuerName !== c.subjectName).map((c) => c.issuerName));
  const leaves = certificates.filter((c) => !issuers.has(c.subjectName));
  const endEntities = leaves.filter((c) => !c.fields.isCA);
  if (endEntities.length === 1) return { certificate: endEntities[0], hasPrivateKey: false, friendlyName: endEntities[0].friendlyName };
  if (endEntities.length === 0 && leaves.length === 1) return { certificate: leaves[0], hasPrivateKey: false, friendlyName: leaves[0].friendlyName };
  const candidates = endEntities.length ? endEntities : leaves.length ? leaves : certificates;
  return ambiguous(`${candidates.length} certificates that could each be the one to import`, candidates);
}

/**
 * Windows pairs a key with the certificate whose bag carries the same localKeyId. A key without such a partner is
 * decrypted, and paired with the certificates whose public key is its own.
 */
function certificatesOf(key: Pkcs12Key, certificates: ParsedCertificate[]): ParsedCertificate[] {
  const id = key.localKeyId;
  const linked = id ? certificates.filter((c) => c.localKeyId?.equals(id)) : [];
  if (linked.length) return linked;
  const privateKey = key.load();
  return certificates.filter((c) => belongsTo(privateKey, c));
}

function belongsTo(key: KeyObject, certificate: ParsedCertificate): boolean {
  try {
    return certificate.x509.checkPrivateKey(key);
  } catch {
    return false; // a key of another type
  }
}

function ambiguous(what: string, candidates: ParsedCertificate[]): never {
  return fail('ambiguous-end-entity', `The file holds ${what}: ${describeList(candidates.map(describe))}.`,
    'Export the certificate you mean on its own, with its private key and certification path, and choose that file.');
}

function describe(certificate: ParsedCertificate): string {
  return `${certificate.fields.subject || '(empty subject)'} (thumbprint ${certificate.fields.thumbprint})`;
}

/** "a", "a and b", "a; b and c", at most five then "and 3 more". */
function describeList(items: string[]): string {
  const shown = items.slice(0, 5);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join('; ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join('; ')} and ${shown[shown.length - 1]}` : shown[0];
}

/** The other certificates: the end entity's issuers up to its root, then the others. */
function chainOf(endEntity: ParsedCertificate, certificates: ParsedCertificate[]): { path: ParsedCertificate[]; others: ParsedCertificate[] } {
  const rest = certificates.filter((c) => c !== endEntity);
  const bySubject = new Map<string, ParsedCertificate>();
  for (const c of rest) if (!bySubject.has(c.subjectName)) bySubject.set(c.subjectName, c);
  const path: ParsedCertificate[] = [];
  for (let current = endEntity; current.issuerName !== current.subjectName;) {
    const issuer = bySubject.get(current.issuerName);
    if (!issuer || path.includes(issuer)) break;
    path.push(issuer);
    current = issuer;
  }
  return { path, others: rest.filter((c) => !path.includes(c)) };
}

// ---------------------------------------------------------------------------------------------
// Thumbprints as administrators paste them
// ---------------------------------------------------------------------------------------------

const INVISIBLE_MARKS: Record<string, string> = {
  '\u200e': 'left-to-right mark (U+200E)',
  '\u200f': 'right-to-left mark (U+200F)',
  '\ufeff': 'byte order mark (U+FEFF)',
  '\u200b': 'zero-width space (U+200B)',
  '\u202a': 'left-to-right embedding (U+202A)',
  '\u202b': 'right-to-left embedding (U+202B)',
  '\u202c': 'pop directional formatting (U+202C)',
  '\u202d': 'left-to-right override (U+202D)',
  '\u202e': 'right-to-left override (U+202E)',
};
const INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\ufeff]/g;

/**
 * "a9 09 50 2d…", "A9:09:…", lowercase, or with the invisible mark the Certificates MMC puts in front when a
 * thumbprint is copied from its Details tab → 40 uppercase hex digits. Notes say what was removed.
 */
export function normalizeThumbprint(input: string): { thumbprint: string; notes: string[] } | { error: string } {
  const notes: string[] = [];
  const marks = [...new Set(input.match(INVISIBLE) ?? [])];
  if (marks.length) notes.push(`Removed the invisible ${describeList(marks.map((m) => INVISIBLE_MARKS[m]))} that copying from the Certificates MMC adds.`);
  const text = input.replace(INVISIBLE, '').trim();
  const separators = [/\s/.test(text) && 'spaces', text.includes(':') && 'colons'].filter((s) => s !== false);
  if (separators.length) notes.push(`Removed the ${separators.join(' and ')} between the hex digits.`);
  const hex = text.replace(/[\s:]/g, '');
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  const stray = /[^0-9a-fA-F]/.exec(hex);
  if (stray) return { error: `"${shown}" is not a thumbprint: "${stray[0]}" is not a hexadecimal digit (0-9, A-F).` };
  if (hex.length !== 40) return { error: `"${shown}" is not a thumbprint: a thumbprint has 40 hexadecimal digits, this has ${hex.length}.` };
  return { thumbprint: hex.toUpperCase(), notes };
}
