// The subject's common names from its parsed RDNs, for rules that match names (the SIP-domain rule).
import type { CertificateRecord } from '../model';
import { Type, elements, isContext, oid, parseDer } from '../pfx/der';
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
      names = commonNamesOfDer(Buffer.from(record.derBase64, 'base64'));
    } catch {
      names = []; // DER that does not parse names nothing
    }
    if (commonNamesSeen.size >= 1000) commonNamesSeen.clear();
    commonNamesSeen.set(record.derBase64, names);
  }
  return names;
}

function commonNamesOfDer(der: Buffer): string[] {
  const what = 'the certificate';
  const [tbs] = elements(parseDer(der, what), Type.SEQUENCE, what);
  const fields = elements(tbs, Type.SEQUENCE, what);
  const subject = fields[(isContext(fields[0], 0) ? 1 : 0) + 4];
  return elements(subject, Type.SEQUENCE, what).flatMap((rdn) => elements(rdn, Type.SET, what)).flatMap((attribute) => {
    const [type, value] = elements(attribute, Type.SEQUENCE, what);
    return oid(type, what) === COMMON_NAME ? [stringValue(value, what)] : [];
  });
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
