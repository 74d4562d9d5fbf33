// `sfb-cert inspect`: what SfB Certificates reads from a certificate file, with Windows' labels and the reader's notes
// (the certification path among them), or as JSON with exactly the CertificateRecord field names.
import { displayText, formatList, type CertificateRecord } from '../core';
import { certificateFields } from '../present/certificate';
import { parseOptions, readCertificateArgument, type CliCommand } from './io';


const inspect = {
  summary: 'Show the certificate in a .pfx/.p12/.cer/.crt/.pem file',
  usage: 'inspect <file> [--json] [--password-stdin]',
  run(argv) {
    const args = parseOptions(inspect, argv, { switches: ['json', 'password-stdin'], files: 1, tooMany: 'inspect reads one file at a time.' });
    const read = readCertificateArgument(args, 'certificate file');
    if (args.flags.has('json')) return JSON.stringify(read.record, null, 2);
    return [...formatRecord(read.record), ...read.notes.map((note) => `Note: ${displayText(note)}`)].join('\n');
  },
} satisfies CliCommand;

export const certificateCommands = { inspect } satisfies Record<string, CliCommand>;

/** Format-List style, with the property names Windows and Get-CsCertificate use: the presenter's fields, escaped. */
function formatRecord(r: CertificateRecord): string[] {
  return formatList(certificateFields(r).map((f) => [f.property, f.value])).split('\n');
}
