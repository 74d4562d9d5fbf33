// `sfb-cert inspect`: what SfB Certificates reads from a certificate file, with Windows' labels and the reader's notes
// (the certification path among them), or as JSON with exactly the CertificateRecord field names.
import * as path from 'node:path';
import { readCertificateFile } from '../core/certificates';
import type { CertificateRecord, SubjectAltName } from '../core/model';
import { UsageError, parseArgs, readInputFile, readPassword, type CliCommand } from './io';

const SWITCHES = ['json', 'password-stdin'];

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
    const args = parseArgs(argv, SWITCHES);
    for (const [name, value] of args.flags) {
      if (!SWITCHES.includes(name)) throw new UsageError(`Unknown option --${name}. Usage: sfb-cert ${inspect.usage}`);
      if (value !== true) throw new UsageError(`--${name} takes no value. Usage: sfb-cert ${inspect.usage}`);
    }
    if (args.positional.length > 1) throw new UsageError(`inspect reads one file at a time. Usage: sfb-cert ${inspect.usage}`);
    const [file] = args.positional;
    const bytes = readInputFile(file, 'certificate file');
    const read = readCertificateFile(bytes, { password: readPassword(args), fileName: path.basename(file) });
    if (!read.ok) {
      const hint = read.error.code === 'password-required' || read.error.code === 'wrong-password' ? ' Set SFB_CERT_PASSWORD, or pipe the password in with --password-stdin.' : '';
      throw new UsageError(`${file}: ${read.error.message} ${read.error.fix}${hint}`);
    }
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
