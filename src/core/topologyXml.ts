// Reading a topology file as XML, safely: whatever the bytes, the answer is a parsed document or a TopologyProblem
// (a typed error with what is wrong and what to do), never a parser's own exception.
//
// What a hostile or damaged file cannot do here:
// - be bigger than TOPOLOGY_MAX_BYTES (a real topology of thousands of servers is a few megabytes);
// - declare a document type: topology files never have one, and a DTD's entities can read other files (external
//   entities) or expand to gigabytes. Any <!DOCTYPE> is refused before the parser sees the file;
// - nest elements deeper than TOPOLOGY_MAX_DEPTH (the parser counts depth; nothing here recurses over the input);
// - name an element or attribute __proto__, constructor or prototype;
// - pass invalid UTF-8 (or bytes invalid in its declared encoding) off as U+FFFD, or a character XML forbids.
// Character references (&#233; &#x41;) and the five XML entities are decoded; any other entity reference is
// refused (XML defines no others without a DTD).
import type { X2jOptions } from 'fast-xml-parser';
import { xml } from './vendor';

export const TOPOLOGY_MAX_BYTES = 64 * 1024 * 1024;
export const TOPOLOGY_MAX_DEPTH = 100;

export const EXPORT_AGAIN =
  'Export the topology again: in Topology Builder, File > Save a copy of the topology (.tbxml); or on a Front End, Get-CsTopology -AsXml | Out-File -Encoding utf8 topology.xml.';
const SAVE_AS_UTF8 = 'Save it as UTF-8 (Get-CsTopology -AsXml | Out-File -Encoding utf8 topology.xml), or open it in an editor and save it with UTF-8 encoding.';

/** A problem with the file; importTopology turns it into an SfbError. */
export class TopologyProblem extends Error {
  constructor(readonly code: string, message: string, readonly fix: string = EXPORT_AGAIN) {
    super(message);
  }
}

export type XmlElement = Record<string, unknown>;

export const megabytes = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

export function tooBig(source: string, size: string): TopologyProblem {
  return new TopologyProblem('topology-too-large',
    `${source} is ${size}; SfB Certificates reads topology files of up to ${megabytes(TOPOLOGY_MAX_BYTES)} (a topology of thousands of servers takes a few megabytes).`,
    'Check that this is the topology file (Topology Builder .tbxml, or Get-CsTopology -AsXml output) and not another file.');
}

/** The line (1-based) of a position in a text. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

// ---------------------------------------------------------------------------------------------
// Bytes to text
// ---------------------------------------------------------------------------------------------

const DECLARED_ENCODING = /^<\?xml\s[^?>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/;

/**
 * The text of a topology file from its bytes. A byte order mark decides (UTF-8, UTF-16LE/BE: Windows PowerShell's
 * Out-File writes UTF-16 with a mark and an XML declaration that may say otherwise); without one, UTF-16 is
 * recognised by its first character, and an 8-bit file is read in the encoding its XML declaration names
 * (ISO-8859-1, windows-1252, …; UTF-8 when it names none). Bytes that are not valid in that encoding are refused.
 */
export function decodeTopologyBytes(bytes: Uint8Array, source: string): { text: string; warnings: string[] } {
  if (bytes.length > TOPOLOGY_MAX_BYTES) throw tooBig(source, megabytes(bytes.length));
  const warnings: string[] = [];
  let encoding: string;
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) [encoding, start] = ['utf-8', 3];
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, start] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, start] = ['utf-16be', 2];
  else if (bytes[0] === 0x3c && bytes[1] === 0) encoding = 'utf-16le';
  else if (bytes[0] === 0 && bytes[1] === 0x3c) encoding = 'utf-16be';
  else {
    const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
    const declared = DECLARED_ENCODING.exec(head)?.[2];
    encoding = declared ?? 'utf-8';
    if (declared && /^(utf-?16|ucs-?2|unicode)/i.test(declared)) {
      // An 8-bit file that says UTF-16: PowerShell's XML text saved with Out-File -Encoding utf8 (or PowerShell 7).
      warnings.push(`The file's XML declaration says encoding="${declared}", but the file is not UTF-16; it is read as UTF-8.`);
      encoding = 'utf-8';
    }
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch {
    throw new TopologyProblem('topology-encoding', `${source} declares encoding="${encoding}", which SfB Certificates cannot read.`, SAVE_AS_UTF8);
  }
  try {
    const text = decoder.decode(bytes.subarray(start));
    return { text: decoder.encoding === 'windows-1252' ? windows1252(text) : text, warnings };
  } catch {
    // Where: the first character the lenient decoder could not read (U+FFFD), as a line number.
    const lenient = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes.subarray(start));
    const at = lenient.indexOf('\uFFFD');
    throw new TopologyProblem('topology-encoding',
      `${source} is not valid ${decoder.encoding.toUpperCase()}${at >= 0 ? ` (line ${lineAt(lenient, at)} has bytes that are not a character in that encoding)` : ''}; nothing was read from it.`,
      `${SAVE_AS_UTF8} If the file declares its encoding (<?xml … encoding="…"?>), make the declaration match how it is saved.`);
  }
}

/** Bytes 0x80–0x9F in windows-1252 (what the labels ISO-8859-1 and latin1 mean too), which Node decodes as C1 controls. */
const WINDOWS_1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function windows1252(text: string): string {
  return text.replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
}

// ---------------------------------------------------------------------------------------------
// Text to a document
// ---------------------------------------------------------------------------------------------

const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

/** Characters XML 1.0 does not allow in a document (C0 controls but tab, LF and CR; U+FFFE/FFFF; lone surrogates). */
// eslint-disable-next-line no-control-regex -- finding the control characters XML forbids is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codePointName = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function refuseReservedName(name: string, what: string, source: string): string {
  if (RESERVED_NAMES.has(localName(name))) {
    throw new TopologyProblem('topology-not-xml', `${source} has ${what} named "${name}", which is not part of a Skype for Business topology (and is refused because it could alter how the file is read).`);
  }
  return name;
}

/** Any <!DOCTYPE, wherever it is (the parser would read one even inside the document). */
function refuseDoctype(text: string, source: string): void {
  const at = text.search(/<!DOCTYPE/i);
  if (at < 0) return;
  const rest = text.slice(at, at + 1_000_000);
  const entities = rest.match(/<!ENTITY\s/g)?.length ?? 0;
  const external = /<!ENTITY\s+%?\s*[^\s>]+\s+(SYSTEM|PUBLIC)\b/.exec(rest);
  const what = external ? 'declares an external entity (one that would read another file or address)'
    : entities ? `declares ${entities} entit${entities === 1 ? 'y' : 'ies'} (entities can expand to far more text than the file holds)`
      : 'declares a document type (<!DOCTYPE …>)';
  throw new TopologyProblem('topology-doctype',
    `${source} ${what}. Topology files from Topology Builder or Get-CsTopology have no document type declaration, and SfB Certificates does not read one.`,
    `Remove the <!DOCTYPE …> declaration, or ${EXPORT_AGAIN.charAt(0).toLowerCase()}${EXPORT_AGAIN.slice(1)}`);
}

const PARSER_OPTIONS: Partial<X2jOptions> = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (_name, _path, _leaf, attribute) => !attribute,
  alwaysCreateTextNode: true,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // References are decoded by decodeReferences, strictly; the parser leaves them as written.
  processEntities: false,
  cdataPropName: '#cdata',
  maxNestedTags: TOPOLOGY_MAX_DEPTH,
  jPath: false, // nothing here reads the path, and building it for every element makes parsing 2.5 times slower
};

/** The XML's own entities and character references in one value; anything else is refused. */
function decodeReferences(value: string, where: () => string, source: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new TopologyProblem('topology-not-xml', `${source}: ${where()} has an "&" that does not start a reference (write &amp; for the character &).`);
    switch (ref) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return '\'';
    }
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (!numeric) throw new TopologyProblem('topology-not-xml', `${source}: ${where()} uses the entity &${ref};, which XML does not define (only &amp; &lt; &gt; &quot; &apos; and character references such as &#233;).`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    if (!isXmlChar(code)) throw new TopologyProblem('topology-not-xml', `${source}: ${where()} has the character reference ${whole}, ${codePointName(code)}, a character XML does not allow.`);
    return String.fromCodePoint(code);
  });
}

/**
 * Decodes the references of every text and attribute value, in place, and refuses reserved attribute names. A
 * loop over an explicit stack: the parser has already bounded the depth, and nothing here recurses.
 */
function decodeDocument(doc: XmlElement, source: string): void {
  const stack: [string, XmlElement][] = [['document', doc]];
  while (stack.length) {
    const [name, el] = stack.pop()!;
    for (const key of Object.keys(el)) {
      const value = el[key];
      if (key === '#cdata') continue; // character data: no references in it
      if (key === '#text') {
        el[key] = decodeReferences(String(value), () => `the text of <${name}>`, source);
      } else if (key.startsWith('@_')) {
        refuseReservedName(key.slice(2), 'an attribute', source);
        el[key] = decodeReferences(String(value), () => `the attribute ${key.slice(2)} of <${name}>`, source);
      } else {
        for (const child of value as XmlElement[]) if (typeof child === 'object' && child !== null) stack.push([key, child]);
      }
    }
  }
}

/** The parsed document (every element an array of objects; attributes "@_name"; text "#text"), or a TopologyProblem. */
export function parseTopologyXml(text: string, source: string): XmlElement {
  if (text.length > TOPOLOGY_MAX_BYTES) throw tooBig(source, `${megabytes(text.length)} of text`);
  if (text.includes('\u0000')) {
    throw new TopologyProblem('topology-encoding', `${source} is saved as UTF-16 (Windows PowerShell's Out-File default) but was read as UTF-8.`, SAVE_AS_UTF8);
  }
  if (!text.trim()) throw new TopologyProblem('topology-not-xml', `${source} is empty.`);
  const forbidden = FORBIDDEN_CHARACTER.exec(text);
  if (forbidden) {
    throw new TopologyProblem('topology-not-xml',
      `${source} contains the character ${codePointName(forbidden[0].charCodeAt(0))} (line ${lineAt(text, forbidden.index)}), which XML does not allow in a document.`);
  }
  refuseDoctype(text, source);
  const { XMLParser, XMLValidator } = xml();
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new TopologyProblem('topology-not-xml', `${source} is not well-formed XML: ${msg.replace(/\.$/, '')} (line ${line}${col ? `, column ${col}` : ''}).`);
  }
  let doc: XmlElement;
  try {
    // A parser per call: the name check reports the file's name.
    doc = new XMLParser({ ...PARSER_OPTIONS, transformTagName: (name: string) => refuseReservedName(name, 'an element', source) }).parse(text) as XmlElement;
  } catch (e) {
    if (e instanceof TopologyProblem) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    if (/nested/i.test(reason)) {
      throw new TopologyProblem('topology-too-deep', `${source} nests elements more than ${TOPOLOGY_MAX_DEPTH} levels deep; a Skype for Business topology nests fewer than 10.`);
    }
    throw new TopologyProblem('topology-not-xml', `${source} could not be read as XML: ${reason.replace(/\.$/, '')}.`);
  }
  decodeDocument(doc, source);
  return doc;
}
