// `sfb-cert inspect`: what SfB Certificates reads from a certificate file, with Windows' labels and the reader's notes
// (the certification path among them), or as JSON with exactly the CertificateRecord field names.
import type { CertificateRecord, SubjectAltName } from '../core';
import { parseOptions, readCertificateArgument, type CliCommand } from './io';


const SAN_LABELS: Record<SubjectAltName['type'], string> = {
  dns: 'DNS Name=',
  ip: 'IP Address=',
  email: 'RFC822 Name=',
  uri: 'URL=',
  other: '',
};

const inspect = {
  summary: 'Show the certificate in a .pfx/.p12/.cer/.crt/.pem file',
  usage: 'inspect <file> [--json] [--password-stdin]',
  run(argv) {
    const args = parseOptions(inspect, argv, { switches: ['json', 'password-stdin'], files: 1, tooMany: 'inspect reads one file at a time.' });
    const read = readCertificateArgument(args, 'certificate file');
    if (args.flags.has('json')) return JSON.stringify(read.record, null, 2);
    return [...formatRecord(read.record), ...read.notes.map((note) => `Note: ${note}`)].join('\n');
  },
} satisfies CliCommand;

export const certificateCommands = { inspect } satisfies Record<string, CliCommand>;

/** Format-List style, with the property names Windows and Get-CsCertificate use. */
function formatRecord(r: CertificateRecord): string[] {
  return [
    label('Subject', r.subject),
    label('Issuer', r.issuer),
    label('Thumbprint', r.thumbprint),
    label('SerialNumber', r.serialNumber),
    label('NotBefore', r.notBefore),
    label('NotAfter', r.notAfter),
    label('AlternativeNames', r.subjectAlternativeNames.map((n) => `${SAN_LABELS[n.type]}${n.value}`).join(', ')),
    label('Key', `${r.keyAlgorithm} ${r.keySize} bits${r.keyCurve ? ` (${r.keyCurve})` : ''}`),
    label('SignatureAlgorithm', r.signatureAlgorithm),
    label('EKU', r.enhancedKeyUsages.map((u) => (u.name === u.oid ? u.oid : `${u.name} (${u.oid})`)).join(', ')),
    label('HasPrivateKey', r.hasPrivateKey ? 'True' : 'False'),
    label('FriendlyName', r.friendlyName ?? ''),
  ];
}

function label(name: string, value: string): string {
  return `${name.padEnd(18)} : ${value}`;
}
