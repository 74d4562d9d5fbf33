// One X.509 certificate, read twice over: its fields from the DER (node-forge's ASN.1 tree), with Windows' names and
// formats, and by node:crypto's X509Certificate, which validates it and reads every key type (node-forge knows RSA only).
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import type { CertificateRecord, ExtendedKeyUsage, SubjectAltName } from '../model';
import { Class, TAG, Type, algorithmOf, binary, bytesOf, derOf, elements, isContext, isUniversal, octets, oid, oidFromContents, parseDer, primitive, type Asn1 } from '../pfx/der';
import { damaged } from './errors';
import { CURVE_BITS, EDDSA_BITS, EKU_NAMES, EXTENSION, KEY_ALGORITHMS, NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS, USER_PRINCIPAL_NAME } from './names';

/** A certificate read from its DER, and what it takes to place it in a chain. */
export interface ParsedCertificate {
  der: Buffer;
  fields: Omit<CertificateRecord, 'hasPrivateKey' | 'friendlyName'>;
  x509: X509Certificate;
  /** DER of the subject and issuer names: a certificate issued another when its subject is that one's issuer. */
  subjectName: string;
  issuerName: string;
  friendlyName?: string;
  localKeyId?: Buffer;
}

export function parseCertificate(der: Buffer, what: string): ParsedCertificate {
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
    der,
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
      crlDistributionPoints: extensions.crlDistributionPoints,
      derBase64: der.toString('base64'),
    },
    x509,
    subjectName: subjectName.der,
    issuerName: issuerName.der,
  };
}

export function toRecord(certificate: ParsedCertificate, hasPrivateKey: boolean, friendlyName: string | undefined): CertificateRecord {
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

/** "CN=… (thumbprint …)", for messages. */
export function describe(certificate: ParsedCertificate): string {
  return `${certificate.fields.subject || '(empty subject)'} (thumbprint ${certificate.fields.thumbprint})`;
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
export function stringValue(node: Asn1 | undefined, what: string): string {
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
  crlDistributionPoints: string[];
}

/** [3] EXPLICIT SEQUENCE OF Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
function readExtensions(node: Asn1 | undefined, what: string): Extensions {
  const result: Extensions = { subjectAlternativeNames: [], enhancedKeyUsages: [], isCA: false, crlDistributionPoints: [] };
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
    } else if (id === EXTENSION.crlDistributionPoints) {
      result.crlDistributionPoints = crlDistributionPoints(value(), `${what}'s CRL distribution points`);
    } else if (id === EXTENSION.basicConstraints) {
      const cA = elements(value(), Type.SEQUENCE, `${what}'s basic constraints`)[0];
      result.isCA = isUniversal(cA, Type.BOOLEAN) && cA.value !== '\x00';
    }
  }
  return result;
}

/**
 * CRLDistributionPoints ::= SEQUENCE OF DistributionPoint { distributionPoint [0] DistributionPointName OPTIONAL, … };
 * DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] … } (RFC 5280 §4.2.1.13).
 * Each point's full names as Windows lists them ("URL=http://…" for a URI, the GeneralName's text otherwise); a point
 * named only relative to its CRL issuer, or only by its issuer, counts as "(a distribution point without a full name)".
 */
function crlDistributionPoints(node: Asn1, what: string): string[] {
  const out: string[] = [];
  for (const point of elements(node, Type.SEQUENCE, what)) {
    const name = elements(point, Type.SEQUENCE, what).find((n) => isContext(n, 0));
    const fullName = name && elements(name, { context: 0 }, what).find((n) => isContext(n, 0));
    const names = fullName ? elements(fullName, { context: 0 }, what).map((n) => generalName(n, what)) : [];
    if (!names.length) out.push('(a distribution point without a full name)');
    for (const n of names) out.push(n.type === 'uri' ? `URL=${n.value}` : n.value);
  }
  return out;
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
