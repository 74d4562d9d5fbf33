// The ways a certificate file can be unreadable, as values for the callers (CertificateReadError) and as the one
// exception the readers throw internally (ReadFailure), which readCertificateFile turns back into a value. A leaf:
// both pfx/ and certificates/ build on it, and it imports neither.

import type { SfbError } from '../errors';

/** Why a file cannot be read: an SfbError with one of these codes, and always a fix. */
export interface CertificateReadError extends SfbError {
  code: 'not-a-certificate' | 'truncated' | 'corrupt' | 'password-required' | 'wrong-password' | 'unsupported-encryption' | 'no-certificate' | 'ambiguous-end-entity'
    | 'private-key-mismatch';
  fix: string;
}

/** One of the expected ways a file can be unreadable: thrown by the reader, returned as a value by readCertificateFile. */
export class ReadFailure extends Error {
  constructor(readonly error: CertificateReadError) {
    super(error.message);
  }
}

export function fail(code: CertificateReadError['code'], message: string, fix: string): never {
  throw new ReadFailure({ code, message, fix, source: 'product' });
}

const FRESH_COPY_FIX = 'Export the certificate again, or get a fresh copy of the file from where it came from.';

/** For a private key that cannot be used: get the certificate and its key again, together. */
export const REEXPORT_WITH_KEY_FIX = 'Export the certificate again with its private key from the computer that holds it (Certificates MMC: Export… → "Yes, export the private key"), '
  + 'or build the file again from the certificate and its own key: openssl pkcs12 -export -in cert.pem -inkey key.pem -certfile chain.pem -out cert.pfx';

/** `what`: a phrase such as "the certificate's validity dates". */
export function corruptError(what: string): CertificateReadError {
  return { code: 'corrupt', message: `The file is damaged: ${what} cannot be read.`, fix: FRESH_COPY_FIX, source: 'product' };
}

export function damaged(what: string): never {
  throw new ReadFailure(corruptError(what));
}

/** "a", "a and b", "a; b and c", at most five then "and 3 more". */
export function describeList(items: string[]): string {
  const shown = items.slice(0, 5);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join('; ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join('; ')} and ${shown[shown.length - 1]}` : shown[0];
}
