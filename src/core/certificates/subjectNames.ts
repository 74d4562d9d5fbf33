// The subject's common names from its parsed RDNs, for rules that match names (the SIP-domain rule).
import type { CertificateRecord } from '../model';
import { TAG, Type, checkDer, elements, isContext, oid, parseDer } from '../pfx/der';
import { stringValue } from './x509';

const COMMON_NAME = '2.5.4.3';
const commonNamesSeen = new Map<string, string[]>();

/**
 * The subject's common names (CN), from its RDNs as the certificate's DER holds them, never from the rendered
 * Subject text, where a quoted value (O="x, CN=contoso.com") reads like another CN. A record built without its DER
 * (tests, hand-made data) has its Subject parsed as windowsName writes it: quoted values stay one value.
 */
export function subjectCommonNames(record: Pick<CertificateRecord, 'subject' | 'derBase64'>): string[] {
  if (!record.derBase64) return commonNamesOfText(record.subject);
  let names = commonNamesSeen.get(record.derBase64);
  if (!names) {
    try {
      const der = Buffer.from(record.derBase64, 'base64');
      names = commonNamesOfPlainDer(der) ?? commonNamesOfDer(der);
    } catch {
      names = []; // DER that does not parse names nothing
    }
    if (commonNamesSeen.size >= 1000) commonNamesSeen.clear();
    commonNamesSeen.set(record.derBase64, names);
  }
  return names;
}

export function commonNamesOfDer(der: Buffer): string[] {
  const what = 'the certificate';
  const [tbs] = elements(parseDer(der, what), Type.SEQUENCE, what);
  const fields = elements(tbs, Type.SEQUENCE, what);
  const subject = fields[(isContext(fields[0], 0) ? 1 : 0) + 4];
  return elements(subject, Type.SEQUENCE, what).flatMap((rdn) => elements(rdn, Type.SET, what)).flatMap((attribute) => {
    const [type, value] = elements(attribute, Type.SEQUENCE, what);
    return oid(type, what) === COMMON_NAME ? [stringValue(value, what)] : [];
  });
}

/** One DER element: its tag byte and where its contents start and end. */
interface Element {
  tag: number;
  start: number;
  end: number;
}

/** The elements from `start` to `end` (definite lengths only); undefined for anything else. */
function plainElements(b: Uint8Array, start: number, end: number): Element[] | undefined {
  const out: Element[] = [];
  for (let at = start; at < end;) {
    if (at + 2 > end) return undefined;
    const tag = b[at];
    let length = b[at + 1];
    let pos = at + 2;
    if (length === 0x80) return undefined; // BER indefinite length
    if (length > 0x80) {
      const lengthBytes = length & 0x7f;
      if (lengthBytes > 4 || pos + lengthBytes > end) return undefined;
      length = 0;
      for (let i = 0; i < lengthBytes; i++) length = length * 256 + b[pos++];
    }
    if (pos + length > end) return undefined;
    out.push({ tag, start: pos, end: pos + length });
    at = pos + length;
  }
  return out;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;
/** 2.5.4.3 as DER contents. */
const COMMON_NAME_CONTENTS = [0x55, 0x04, 0x03];
/** String types whose contents are the text's bytes as forge reads them (latin1), UTF8String aside. */
const BYTE_STRINGS = new Set<number>([Type.PRINTABLESTRING, Type.IA5STRING, TAG.T61STRING, TAG.VISIBLESTRING, TAG.NUMERICSTRING]);

/**
 * commonNamesOfDer without node-forge, for the certificates the rules meet on every load (so loading a deployment
 * never loads forge): the same names for a certificate in plain DER; undefined for anything unusual on the way to
 * them (BER, other string types, an OID forge would refuse), which commonNamesOfDer then reads as before. A unit
 * test compares the two on generated and mutated certificates.
 */
export function commonNamesOfPlainDer(b: Uint8Array): string[] | undefined {
  if (checkDer(b) !== b.length) return []; // what parseDer refuses: DER that does not parse names nothing
  const [certificate] = plainElements(b, 0, b.length) ?? [];
  if (certificate?.tag !== SEQUENCE) return undefined;
  const [tbs] = plainElements(b, certificate.start, certificate.end) ?? [];
  if (tbs?.tag !== SEQUENCE) return undefined;
  const fields = plainElements(b, tbs.start, tbs.end);
  if (!fields?.length || fields[0].tag === 0x80) return undefined;
  const subject = fields[(fields[0].tag === 0xa0 ? 1 : 0) + 4];
  if (subject?.tag !== SEQUENCE) return undefined;
  const names: string[] = [];
  for (const rdn of plainElements(b, subject.start, subject.end) ?? [undefined]) {
    if (rdn?.tag !== SET) return undefined;
    for (const attribute of plainElements(b, rdn.start, rdn.end) ?? [undefined]) {
      if (attribute?.tag !== SEQUENCE) return undefined;
      const [type, value] = plainElements(b, attribute.start, attribute.end) ?? [];
      if (type?.tag !== OID || !value || !plainOid(b, type)) return undefined;
      if (type.end - type.start !== COMMON_NAME_CONTENTS.length || COMMON_NAME_CONTENTS.some((byte, i) => b[type.start + i] !== byte)) continue;
      const bytes = Buffer.from(b.buffer, b.byteOffset + value.start, value.end - value.start);
      if (value.tag === (Type.UTF8 as number)) names.push(bytes.toString('utf8'));
      else if (BYTE_STRINGS.has(value.tag)) names.push(bytes.toString('latin1'));
      else return undefined;
    }
  }
  return names;
}

/** An OID's contents that forge reads (not empty, no arc longer than 7 bytes, so none beyond 2^49). */
function plainOid(b: Uint8Array, oidElement: Element): boolean {
  if (oidElement.end === oidElement.start) return false;
  let run = 0;
  for (let i = oidElement.start; i < oidElement.end; i++) {
    run = b[i] & 0x80 ? run + 1 : 0;
    if (run > 6) return false;
  }
  return (b[oidElement.end - 1] & 0x80) === 0;
}

/** CN values of a name as windowsName writes it: "TYPE=value" joined by ", " and " + ", values with separators quoted ("" inside). */
function commonNamesOfText(name: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < name.length;) {
    const equals = name.indexOf('=', i);
    if (equals < 0) break;
    const type = name.slice(i, equals).trim();
    let value = '';
    let j = equals + 1;
    if (name[j] === '"') {
      for (j++; j < name.length; j++) {
        if (name[j] !== '"') value += name[j];
        else if (name[j + 1] === '"') value += name[++j];
        else { j++; break; }
      }
    } else {
      while (j < name.length && name[j] !== ',' && name[j] !== '+') value += name[j++];
    }
    if (type.toUpperCase() === 'CN') names.push(value.trim());
    while (j < name.length && name[j] !== ',' && name[j] !== '+') j++;
    i = j + 1;
  }
  return names;
}
