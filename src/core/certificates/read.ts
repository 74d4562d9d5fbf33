// Reads an administrator's certificate files as Windows would import them: PKCS #12 (.pfx/.p12) with the encryptions
// found in the wild, and DER or Base-64 (PEM) certificates, one or many. Pure: bytes in, a CertificateRecord or a
// typed error that says what happened and what to do. Nothing thrown escapes, whatever the bytes; node-forge's and
// OpenSSL's own messages never reach the user.
import type { CertificateRecord } from '../model';
import { type Asn1, Type, checkDer, derOf, isContext, isUniversal, parseDer } from '../pfx/der';
import { isPkcs12, readPkcs12, type Pkcs12Certificate, type Pkcs12Key } from '../pfx/read';
import { ReadFailure, corruptError, damaged, describeList, fail, type CertificateReadError } from './errors';
import { selectEndEntity, type Selection } from './select';
import { describe, parseCertificate, toRecord, type ParsedCertificate } from './x509';

export type CertificateFormat = 'pkcs12' | 'der' | 'pem' | 'pkcs7';

export type CertificateReadResult =
  | { ok: true; record: CertificateRecord; chain: CertificateRecord[]; format: CertificateFormat; notes: string[] }
  | { ok: false; error: CertificateReadError };

/**
 * A PFX with a long chain is 20 KB and a CA bundle a few hundred: anything larger is refused before parsing, and
 * the command line and the extension read no more than this from a certificate file.
 */
export const CERTIFICATE_FILE_MAX_BYTES = 1024 * 1024;

const CHOOSE_FILE_FIX = 'Choose the .pfx, .p12, .cer, .crt, .pem or .p7b file that holds the certificate.';

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
  const result = readCertificateFileWithKey(bytes, options);
  if (!result.ok) return result;
  const { selection: _selection, ...read } = result;
  return read;
}

/**
 * readCertificateFile, and the selection it comes from: the end entity's DER, its certification path and its private
 * key, for the Certificates MMC export. Inside the core only: the key lives as long as the caller keeps it.
 */
export function readCertificateFileWithKey(bytes: Uint8Array, options: { password?: string; fileName?: string } = {}): CertificateKeyResult {
  try {
    return read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), options);
  } catch (e) {
    if (e instanceof ReadFailure) return { ok: false, error: e.error };
    // A library tripping over bytes nobody foresaw: the file is damaged; the library's words stay out of it.
    return { ok: false, error: corruptError('its contents') };
  }
}

export type CertificateKeyResult = (Extract<CertificateReadResult, { ok: true }> & { selection: Selection }) | Extract<CertificateReadResult, { ok: false }>;

function read(bytes: Buffer, options: { password?: string; fileName?: string }): CertificateKeyResult {
  if (bytes.length === 0) fail('not-a-certificate', 'The file is empty.', CHOOSE_FILE_FIX);
  if (bytes.length > CERTIFICATE_FILE_MAX_BYTES) {
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
  const selection = selectEndEntity(certificates, contents.keys, notes);
  const { path, others } = selection;
  if (path.length) notes.push(`The file also holds the certification path: ${describeList(path.map(describe))}.`);
  if (others.length) notes.push(`The file also holds certificates outside the certification path: ${describeList(others.map(describe))}.`);
  if (contents.format === 'pkcs12' && contents.keys.length === 0) notes.push('The file holds no private key: it imports as a certificate alone.');
  return {
    ok: true,
    record: toRecord(selection.endEntity, selection.privateKey !== undefined, selection.friendlyName),
    chain: [...path, ...others].map((c) => toRecord(c, false, c.friendlyName)),
    format: contents.format,
    notes,
    selection,
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
  if (isPkcs7(root)) return { format: 'pkcs7', certificates: pkcs7Certificates(root), keys: [], notes: [...notes, PKCS7_NOTE] };
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
  // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] attributes }
  if (signedShape(root, (fields) => fields.length === 4 && isContext(fields[3], 0))) certificateRequest();
  if (isUniversal(first, Type.INTEGER) && isUniversal(second, Type.SEQUENCE) && isUniversal(third, Type.OCTETSTRING)) privateKeyOnly();
  return notACertificate();
}

/** 1.2.840.113549.1.7.2 (signedData), DER: a .p7b starts with it. */
const P7B_CONTENT_TYPE = '\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02';

const PKCS7_NOTE = 'The file is a PKCS #7 (.p7b) certificate bundle: it holds certificates only, never a private key.';

/** ContentInfo ::= SEQUENCE { contentType OID (signedData), [0] EXPLICIT SignedData } */
function isPkcs7(root: Asn1): boolean {
  const [first] = Array.isArray(root.value) ? root.value : [];
  return isUniversal(first, Type.OID) && first.value === P7B_CONTENT_TYPE;
}

/**
 * The certificates of a PKCS #7 bundle (a CA's answer, or the Certificates MMC's "Cryptographic Message Syntax
 * Standard" export): SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, [0] IMPLICIT
 * certificates SET OF Certificate OPTIONAL, … } (RFC 5652 5.1). Attribute certificates and other choices are skipped.
 */
function pkcs7Certificates(root: Asn1): { der: Buffer }[] {
  const children = root.value as Asn1[];
  const wrapper = children[1];
  const signed = isContext(wrapper, 0) && Array.isArray(wrapper.value) ? wrapper.value[0] : undefined;
  if (!isUniversal(signed, Type.SEQUENCE) || !Array.isArray(signed.value)) damaged('its PKCS #7 contents');
  const certificates = signed.value.find((field) => isContext(field, 0));
  const list = certificates && Array.isArray(certificates.value) ? certificates.value.filter(isCertificate) : [];
  if (!list.length) {
    fail('no-certificate', 'The PKCS #7 (.p7b) file holds no certificate.', 'Ask the certification authority for the issued certificate as .cer or .p7b with the certificate included.');
  }
  return list.map((node) => ({ der: derOf(node) }));
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
const PKCS7_LABELS = ['PKCS7'];

/** PEM blocks in text, Notepad's "Unicode" (UTF-16LE with a BOM) included. */
function readPem(bytes: Buffer): FileContents {
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('latin1');
  if (!text.includes(PEM_BEGIN)) notACertificate();
  const certificates: { der: Buffer }[] = [];
  const bundles: { der: Buffer }[][] = [];
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
    else if (PKCS7_LABELS.includes(label)) bundles.push(pemPkcs7(text.slice(labelEnd + 5, bodyEnd)));
    else otherLabels.add(label);
    at = bodyEnd;
  }
  const labels = [...otherLabels];
  if (certificates.length === 0 && bundles.length) {
    const ignored = labels.length ? [`Ignored the file's ${labels.join(', ')} block${labels.length > 1 ? 's' : ''}.`] : [];
    return { format: 'pkcs7', certificates: bundles.flat(), keys: [], notes: [PKCS7_NOTE, ...ignored] };
  }
  if (certificates.length === 0) {
    if (labels.some((l) => REQUEST_LABELS.includes(l))) certificateRequest();
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

/** A Base-64 PKCS #7 block ("-----BEGIN PKCS7-----"), as CAs send their answers. */
function pemPkcs7(body: string): { der: Buffer }[] {
  const base64 = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) damaged('the Base-64 text of a PKCS #7 block');
  const der = Buffer.from(base64, 'base64');
  const end = checkDer(der);
  if (end === 'truncated' || end === 'malformed' || end !== der.length) damaged('the Base-64 text of a PKCS #7 block');
  const root = parseDer(der, 'its PKCS #7 contents');
  if (!isPkcs7(root)) damaged('its PKCS #7 contents');
  return pkcs7Certificates(root);
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

const FORMAT_NAMES: Record<CertificateFormat, string> = { pkcs12: 'a PKCS #12 (.pfx) file', der: 'a DER certificate', pem: 'a Base-64 (PEM) certificate file', pkcs7: 'a PKCS #7 (.p7b) certificate bundle' };
const EXTENSION_FORMATS: Record<string, CertificateFormat[]> = {
  pfx: ['pkcs12'], p12: ['pkcs12'], cer: ['der', 'pem', 'pkcs7'], crt: ['der', 'pem'], der: ['der'], pem: ['pem', 'pkcs7'], p7b: ['pkcs7'], p7c: ['pkcs7'],
};

function misnamedNote(fileName: string, format: CertificateFormat): string | undefined {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1].toLowerCase() ?? '';
  const expected = EXTENSION_FORMATS[extension];
  if (!expected || expected.includes(format)) return undefined;
  return `${fileName} is ${FORMAT_NAMES[format]} despite its .${extension} extension; it was read as such.`;
}
