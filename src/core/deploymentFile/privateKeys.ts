// The private-key guard: the deployment file never holds a private key. It looks at decoded values (after JSON's \u
// escapes), in the places a key can really be: a PEM private key (its BEGIN line and a body, in any string of the
// file) and a private key stored as DER where the certificate belongs (derBase64). A heading alone, as text in a
// subject, a friendly name or a site name, is not a key and does not lock the file. The load and the save run the
// same check, so a save never writes what the load would refuse.
import { formatPath, type Segment } from './problems';
import { isObject } from './shape';

export interface PrivateKeyFinding {
  at: Segment[];
  message: string;
}

/** A PEM private key: the BEGIN line, optional header lines (legacy encrypted PEM) and at least 64 characters of base64 body. */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----\s*(?:[A-Za-z-]+:[^\n]*\n\s*)*(?:[A-Za-z0-9+/=]\s*){64}/;

const KEEP_IT_IN_THE_PFX = 'The deployment file never holds private keys — only the public certificate (derBase64), the hasPrivateKey flag and ' +
  'sourceFile, the PFX file that keeps the key. Remove it and keep the key in its PFX file.';

/** Can a string of this JSON text hold a PEM private key? Not without "PRIVATE KEY" or a \u escape in the text. */
export function mentionsPrivateKeys(text: string): boolean {
  return text.includes('PRIVATE KEY') || text.includes('\\u');
}

/**
 * Finds private keys in a document (parsed, of any shape: it runs before validation; or a deployment about to be
 * written). Its strings are looked at only when `inStrings` (see mentionsPrivateKeys: nearly never, which keeps a
 * 100 MB file cheap); the certificates' DER always.
 */
export function findPrivateKeys(doc: unknown, inStrings: boolean): PrivateKeyFinding[] {
  const steps = findPrivateKeysSteps(doc, inStrings);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Pools looked at between two steps of findPrivateKeysSteps. */
const POOLS_PER_STEP = 50;

/** findPrivateKeys in steps of POOLS_PER_STEP pools (the asynchronous save runs other work between them). */
export function* findPrivateKeysSteps(doc: unknown, inStrings: boolean): Generator<void, PrivateKeyFinding[], void> {
  const found: PrivateKeyFinding[] = [];
  if (inStrings) pemBlocks(doc, found);
  yield* derKeys(doc, found);
  return found;
}

function holdsPem(s: string): boolean {
  return s.length >= 90 && s.includes('PRIVATE KEY') && PEM_PRIVATE_KEY.test(s);
}

/** Every string (values and property names) of the document, without recursion: its depth is not trusted. */
function pemBlocks(doc: unknown, found: PrivateKeyFinding[]): void {
  const stack: { value: unknown; at: Segment[] }[] = [{ value: doc, at: [] }];
  while (stack.length) {
    const { value, at } = stack.pop()!;
    if (typeof value === 'string') {
      if (holdsPem(value)) found.push({ at, message: `a PEM private key block. ${KEEP_IT_IN_THE_PFX}` });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], at: [...at, i] });
    } else if (isObject(value)) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        if (holdsPem(keys[i])) found.push({ at: [...at, keys[i]], message: `a property name holding a PEM private key block. ${KEEP_IT_IN_THE_PFX}` });
        stack.push({ value: value[keys[i]], at: [...at, keys[i]] });
      }
    }
  }
}

function derKeysIn(list: unknown, at: () => Segment[], found: PrivateKeyFinding[]): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const cert: unknown = list[i];
    if (!isObject(cert) || typeof cert.derBase64 !== 'string') continue;
    const kind = privateKeyDer(cert.derBase64);
    if (kind) found.push({ at: [...at(), i, 'derBase64'], message: `holds ${kind}, not a certificate. ${KEEP_IT_IN_THE_PFX}` });
  }
}

/** The certificates of a document of any shape (each server's store and the CMS's). */
function* derKeys(doc: unknown, found: PrivateKeyFinding[]): Generator<void, void, void> {
  if (!isObject(doc)) return;
  if (Array.isArray(doc.pools)) {
    const pools: unknown[] = doc.pools;
    for (let p = 0; p < pools.length; p++) {
      if (p > 0 && p % POOLS_PER_STEP === 0) yield;
      const pool = pools[p];
      if (!isObject(pool) || !Array.isArray(pool.servers)) continue;
      pool.servers.forEach((server: unknown, s) => {
        if (isObject(server)) derKeysIn(server.certificates, () => ['pools', p, 'servers', s, 'certificates'], found);
      });
    }
  }
  if (isObject(doc.cms)) derKeysIn(doc.cms.certificates, () => ['cms', 'certificates'], found);
}

const BASE64 = new Int8Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((c, i) => { BASE64[c.charCodeAt(0)] = i; });
const head = new Uint8Array(15);

/** Decodes the first 20 base64 characters (15 bytes, enough for the headers looked at) into `head`; false if they are not base64. */
function decodeHead(base64: string): boolean {
  head.fill(0);
  for (let i = 0, n = Math.min(20, base64.length - (base64.length % 4)); i < n; i += 4) {
    const a = BASE64[base64.charCodeAt(i)] ?? -1;
    const b = BASE64[base64.charCodeAt(i + 1)] ?? -1;
    const c = BASE64[base64.charCodeAt(i + 2)] ?? -1;
    const d = BASE64[base64.charCodeAt(i + 3)] ?? -1;
    if (a < 0 || b < 0) return false;
    const o = (i / 4) * 3;
    head[o] = (a << 2) | (b >> 4);
    if (c >= 0) head[o + 1] = ((b & 15) << 4) | (c >> 2);
    if (c >= 0 && d >= 0) head[o + 2] = ((c & 3) << 6) | d;
  }
  return true;
}

/** [tag, offset of the contents] of the DER element at `at`, or undefined past the end of `b`. */
function element(b: Uint8Array, at: number): [number, number] | undefined {
  if (at + 2 > b.length) return undefined;
  const first = b[at + 1];
  const lengthBytes = first < 0x80 ? 0 : first & 0x7f;
  return [b[at], at + 2 + lengthBytes];
}

/**
 * What kind of private key the DER (in base64) is, or undefined when it is not one. A certificate is SEQUENCE {
 * SEQUENCE tbsCertificate { [0] version | INTEGER serial, … }, … }. A private key is SEQUENCE { INTEGER version, … }
 * (PKCS#8 PrivateKeyInfo, PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey) or SEQUENCE { SEQUENCE { OID … }, OCTET STRING }
 * (PKCS#8 EncryptedPrivateKeyInfo). Only the first bytes are decoded.
 */
export function privateKeyDer(base64: string): string | undefined {
  if (!decodeHead(base64)) return undefined;
  const outer = element(head, 0);
  if (!outer || outer[0] !== 0x30) return undefined;
  const first = element(head, outer[1]);
  if (!first) return undefined;
  if (first[0] === 0x02) return 'a private key (PKCS#8 or PKCS#1 DER)';
  if (first[0] !== 0x30) return undefined;
  const inner = element(head, first[1]);
  return inner?.[0] === 0x06 ? 'an encrypted private key (PKCS#8 EncryptedPrivateKeyInfo)' : undefined;
}

export function describeFinding(f: PrivateKeyFinding): string {
  return formatPath(f.at) ? `${formatPath(f.at)}: ${f.message}` : f.message;
}
