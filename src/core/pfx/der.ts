// DER, read and written through node-forge's ASN.1 tree: a bounds check that runs before anything is allocated, typed
// accessors that fail with "the file is damaged" instead of forge's own messages, and the builders the writer uses.
// Shared by the PKCS #12 codec (pfx/) and the X.509 reader (certificates/).
import type * as Forge from 'node-forge';
import { forge } from '../vendor';
import { damaged } from '../certificates/errors';

export type Asn1 = Forge.asn1.Asn1;
/**
 * forge's asn1.Class and asn1.Type (ASN.1 tag classes and universal tag numbers, X.680), as constants here so that
 * nothing loads forge before DER is actually read or written. A unit test checks them against forge's own.
 */
export const Class = { UNIVERSAL: 0x00, APPLICATION: 0x40, CONTEXT_SPECIFIC: 0x80, PRIVATE: 0xc0 } as unknown as typeof Forge.asn1.Class;
export const Type = {
  NONE: 0, BOOLEAN: 1, INTEGER: 2, BITSTRING: 3, OCTETSTRING: 4, NULL: 5, OID: 6, ODESC: 7, EXTERNAL: 8, REAL: 9, ENUMERATED: 10, EMBEDDED: 11,
  UTF8: 12, ROID: 13, SEQUENCE: 16, SET: 17, PRINTABLESTRING: 19, IA5STRING: 22, UTCTIME: 23, GENERALIZEDTIME: 24, BMPSTRING: 30,
} as unknown as typeof Forge.asn1.Type;

/** Universal tags that forge's Type enum does not name. */
export const TAG = { T61STRING: 20, VISIBLESTRING: 26, UNIVERSALSTRING: 28, NUMERICSTRING: 18 } as const;

/** X.509 and PKCS #12 nest a dozen levels at most (a PFX's contents are parsed separately, level by level). */
const MAX_DER_DEPTH = 24;

// The options object is missing from @types/node-forge. decodeBitStrings off: forge would otherwise guess whether a
// BIT STRING holds ASN.1 by trying to parse every one.
const fromDer = (bytes: string, options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }): Asn1 =>
  (forge().asn1.fromDer as unknown as (b: string, o: typeof options) => Asn1)(bytes, options);

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
  return bytesOf(forge().asn1.toDer(node).getBytes());
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
    return forge().asn1.derToOid(contents);
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
export function smallInteger(node: Asn1 | undefined, max: number, what: string): number {
  const value = primitive(node, Type.INTEGER, what);
  if (value.length === 0 || value.length > 6 || (value.charCodeAt(0) & 0x80) !== 0) damaged(what);
  let n = 0;
  for (let i = 0; i < value.length; i++) n = n * 256 + value.charCodeAt(i);
  if (n > max) damaged(what);
  return n;
}

/** AlgorithmIdentifier → [OID, parameters]. */
export function algorithmOf(node: Asn1 | undefined, what: string): [string, Asn1 | undefined] {
  const [algorithm, parameters] = elements(node, Type.SEQUENCE, what);
  return [oid(algorithm, what), parameters];
}

// Builders (the writer)
export const sequence = (...children: Asn1[]) => forge().asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, children);
export const set = (...children: Asn1[]) => forge().asn1.create(Class.UNIVERSAL, Type.SET, true, children);
export const explicit0 = (child: Asn1) => forge().asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [child]);
export const oidNode = (value: string) => forge().asn1.create(Class.UNIVERSAL, Type.OID, false, forge().asn1.oidToDer(value).getBytes());
export const octetString = (bytes: Buffer) => forge().asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, binary(bytes));
export const integer = (n: number) => forge().asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge().asn1.integerToDer(n).getBytes());
export const nullNode = () => forge().asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
