// Making certificates: for the sample deployment, the tests and offline requests. Keys and signatures come from
// node:crypto (native; node-forge's pure-JS RSA is many times slower at both), node-forge builds the X.509 and
// PKCS #10 structures, and pkcs12.ts writes the PKCS #12 file.
import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type * as Forge from 'node-forge';
import { Class, Type, binary, derOf } from './pfx/der';
import type { PfxEncryption } from './pfx/pbe';
import { buildPfx } from './pfx/write';
import { forge } from './vendor';

export interface CertificateSubject {
  CN: string;
  O?: string;
  OU?: string;
  L?: string;
  /** State or province; Windows prints it as S=. */
  ST?: string;
  C?: string;
}

export interface CertificateSpec {
  subject: CertificateSubject;
  dnsNames?: string[];
  /** RSA modulus bits: 1024, 2048 (default), 3072 or 4096. */
  keySize?: number;
  /** A key made beforehand (generateRsaKeyPair, off the main thread); when absent one of keySize bits is made here. */
  keyPair?: RsaKeyPair;
  /** Default: now. */
  notBefore?: Date;
  /** Default: a year after notBefore. */
  notAfter?: Date;
  /** Server Authentication EKU (default true). */
  serverAuth?: boolean;
  clientAuth?: boolean;
  isCA?: boolean;
  /** The signer; self-signed when absent. */
  issuer?: GeneratedCertificate;
  /** URLs for the CRL Distribution Points extension (one distribution point naming them); none when absent or empty. */
  crlDistributionPoints?: string[];
  /** Hex; random when absent. */
  serialNumber?: string;
}

/** Where a test CA made here says its CRL is published (a made-up URL in the certificates it issues; nothing serves it). */
export function testCaCrlUrl(caName: string): string {
  return `http://pki.contoso.com/crl/${caName.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.crl`;
}

export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface GeneratedCertificate {
  certPem: string;
  /** PKCS #8. */
  keyPem: string;
  der: Buffer;
}

const DAY_MS = 86_400_000;
const RSA_KEY_SIZES = [1024, 2048, 3072, 4096];

// Present in node-forge, missing from @types/node-forge.
const pki = () => forge().pki as typeof Forge.pki & {
  getTBSCertificate(cert: Forge.pki.Certificate): Forge.asn1.Asn1;
  getCertificationRequestInfo(csr: Forge.pki.CertificateSigningRequest): Forge.asn1.Asn1;
};

/** A certificate signed with SHA-256 and RSA by `issuer`'s key (its own when self-signed). */
export function generateCertificate(spec: CertificateSpec): GeneratedCertificate {
  const notBefore = spec.notBefore ?? new Date();
  const notAfter = spec.notAfter ?? new Date(notBefore.getTime() + 365 * DAY_MS);
  if (notAfter <= notBefore) throw new RangeError(`notAfter (${notAfter.toISOString()}) must be later than notBefore (${notBefore.toISOString()}).`);
  const serialNumber = serialHex(spec.serialNumber);
  const { privateKey, publicKey } = spec.keyPair ?? rsaKeyPair(spec.keySize ?? 2048);
  const signerKey = spec.issuer ? createPrivateKey(spec.issuer.keyPem) : privateKey;
  const subject = subjectAttributes(spec.subject);

  const cert = forge().pki.createCertificate();
  cert.serialNumber = serialNumber;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.publicKey = forgePublicKey(publicKey);
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? issuerAttributes(spec.issuer) : subject);
  cert.setExtensions(extensions(spec, keyIdentifier(publicKey), keyIdentifier(createPublicKey(signerKey))));
  // cert.sign() would hash and sign in forge's pure JS: build the to-be-signed part with forge, sign it natively.
  cert.signatureOid = cert.siginfo.algorithmOid = pki().oids.sha256WithRSAEncryption;
  cert.tbsCertificate = pki().getTBSCertificate(cert);
  cert.signature = signature(signerKey, cert.tbsCertificate);
  const der = derOf(pki().certificateToAsn1(cert));
  return { certPem: new X509Certificate(der).toString(), keyPem: pkcs8Pem(privateKey), der };
}

/** A self-signed CA, valid from a year ago for ten years unless told otherwise, so back-dated certificates fit in it. */
export function createTestCA(commonName: string, options: { keySize?: number; keyPair?: RsaKeyPair; notBefore?: Date; notAfter?: Date } = {}): GeneratedCertificate {
  const notBefore = options.notBefore ?? new Date(Date.now() - 365 * DAY_MS);
  return generateCertificate({
    subject: { CN: commonName },
    isCA: true,
    serverAuth: false,
    keySize: options.keySize,
    keyPair: options.keyPair,
    notBefore,
    notAfter: options.notAfter ?? new Date(notBefore.getTime() + 10 * 365 * DAY_MS),
  });
}

/**
 * A PFX holding the certificate, its private key and `chain` (certificates only: a CA's key is never written).
 * 'aes256' (default): PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC with a SHA-256 MAC, as OpenSSL 3 and current Windows
 * write; '3des': pbeWithSHAAnd3-KeyTripleDES-CBC with a SHA-1 MAC, for Windows Server 2012 R2 and older.
 */
export function writePfx(
  cert: GeneratedCertificate,
  password: string,
  options: { encryption?: PfxEncryption; chain?: readonly Pick<GeneratedCertificate, 'der'>[]; friendlyName?: string } = {},
): Buffer {
  return buildPfx({
    certificates: [cert.der, ...(options.chain ?? []).map((c) => c.der)],
    privateKey: createPrivateKey(cert.keyPem),
    password,
    encryption: options.encryption ?? 'aes256',
    friendlyName: options.friendlyName,
  });
}

/** A PKCS #10 request with the SANs as a requested extension, as `Request-CsCertificate -New -Output` writes offline. */
export function createCsr(spec: { subject: CertificateSubject; dnsNames?: string[]; keySize?: 1024 | 2048 | 4096; keyPair?: RsaKeyPair }): { csrPem: string; keyPem: string } {
  const { privateKey, publicKey } = spec.keyPair ?? rsaKeyPair(spec.keySize ?? 2048);
  const csr = forge().pki.createCertificationRequest();
  csr.publicKey = forgePublicKey(publicKey);
  csr.setSubject(subjectAttributes(spec.subject));
  if (spec.dnsNames?.length) csr.setAttributes([{ name: 'extensionRequest', extensions: [subjectAltName(spec.dnsNames)] }]);
  csr.signatureOid = csr.siginfo.algorithmOid = pki().oids.sha256WithRSAEncryption;
  csr.certificationRequestInfo = pki().getCertificationRequestInfo(csr);
  csr.signature = signature(privateKey, csr.certificationRequestInfo);
  return { csrPem: pki().certificationRequestToPem(csr), keyPem: pkcs8Pem(privateKey) };
}

function rsaKeyPair(bits: number): RsaKeyPair {
  checkKeySize(bits);
  return generateKeyPairSync('rsa', { modulusLength: bits });
}

/** An RSA key made on libuv's thread pool: several run in parallel and the caller's thread stays responsive. */
export function generateRsaKeyPair(bits = 2048): Promise<RsaKeyPair> {
  checkKeySize(bits);
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits }, (error, publicKey, privateKey) => (error ? reject(error) : resolve({ publicKey, privateKey })));
  });
}

function checkKeySize(bits: number): void {
  if (!RSA_KEY_SIZES.includes(bits)) throw new RangeError(`An RSA key of ${bits} bits is not supported: use ${RSA_KEY_SIZES.join(', ')}.`);
}

function pkcs8Pem(privateKey: KeyObject): string {
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function forgePublicKey(publicKey: KeyObject): Forge.pki.PublicKey {
  return pki().publicKeyFromAsn1(forge().asn1.fromDer(binary(publicKey.export({ type: 'spki', format: 'der' }))));
}

/** RFC 5280 4.2.1.2, method 1: SHA-1 of the subjectPublicKey bits, which for RSA are the PKCS #1 RSAPublicKey. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'pkcs1', format: 'der' })).digest();
}

function signature(key: KeyObject, toBeSigned: Forge.asn1.Asn1): string {
  return binary(sign('sha256', derOf(toBeSigned), key));
}

// @types/node-forge types valueTagClass as a tag class; forge uses it as the value's universal type.
const UTF8_STRING = Type.UTF8 as number as Forge.asn1.Class;

/** In DER (RFC) order, least specific first, so Windows prints CN first. C is a PrintableString (RFC 5280), the rest UTF-8. */
function subjectAttributes(subject: CertificateSubject): Forge.pki.CertificateField[] {
  const fields: [string, string | undefined][] = [
    ['countryName', subject.C], ['stateOrProvinceName', subject.ST], ['localityName', subject.L],
    ['organizationName', subject.O], ['organizationalUnitName', subject.OU], ['commonName', subject.CN],
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => (name === 'countryName' ? { name, value } : { name, value, valueTagClass: UTF8_STRING }));
}

/**
 * The issuer's subject, to be written byte for byte the same. forge parses a UTF8String value into its raw bytes but
 * encodes the value as text when writing, so those are decoded first.
 */
function issuerAttributes(issuer: GeneratedCertificate): Forge.pki.CertificateField[] {
  const parsed = pki().certificateFromAsn1(forge().asn1.fromDer(binary(issuer.der)));
  return parsed.subject.attributes.map((a) => (a.valueTagClass === UTF8_STRING ? { ...a, value: forge().util.decodeUtf8(a.value as string) } : a));
}

function subjectAltName(dnsNames: string[]): object {
  return { name: 'subjectAltName', altNames: dnsNames.map((value) => ({ type: 2, value })) };
}

function extensions(spec: CertificateSpec, subjectKeyId: Buffer, authorityKeyId: Buffer): object[] {
  const serverAuth = spec.serverAuth ?? true;
  const clientAuth = spec.clientAuth ?? false;
  return [
    { name: 'basicConstraints', cA: spec.isCA ?? false, critical: true },
    spec.isCA
      ? { name: 'keyUsage', critical: true, digitalSignature: true, keyCertSign: true, cRLSign: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    ...(serverAuth || clientAuth ? [{ name: 'extKeyUsage', serverAuth, clientAuth }] : []),
    ...(spec.dnsNames?.length ? [subjectAltName(spec.dnsNames)] : []),
    ...(spec.crlDistributionPoints?.length ? [{ name: 'cRLDistributionPoints', altNames: spec.crlDistributionPoints.map((value) => ({ type: 6, value })) }] : []),
    { name: 'subjectKeyIdentifier', value: forge().asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, binary(subjectKeyId)) },
    { name: 'authorityKeyIdentifier', keyIdentifier: binary(authorityKeyId) },
  ];
}

/** Hex of a positive, minimally encoded INTEGER: forge writes the bytes as given, so a high first bit needs a 00. */
function serialHex(serial: string | undefined): string {
  if (serial === undefined) {
    const bytes = randomBytes(16);
    bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, and no leading zero byte
    return bytes.toString('hex');
  }
  if (!/^[0-9a-fA-F]{1,40}$/.test(serial)) throw new RangeError(`Serial number "${serial}" is not 1 to 40 hexadecimal digits.`);
  const digits = serial.replace(/^0+(?=.)/, '');
  const even = digits.length % 2 ? `0${digits}` : digits;
  return parseInt(even[0], 16) >= 8 ? `00${even}` : even;
}
