// Which certificate of a file is the one to import (the end entity), which private key is really its own, and which
// of the others form its certification path. One selection, used by the reader and by the Certificates MMC export.
import { sign, verify, type KeyObject } from 'node:crypto';
import type { Pkcs12Key } from '../pfx/read';
import { REEXPORT_WITH_KEY_FIX, describeList, fail } from './errors';
import { describe, type ParsedCertificate } from './x509';

export interface Selection {
  endEntity: ParsedCertificate;
  /** Its private key, proven to be its own (see keyFit); undefined when the file holds none that is. */
  privateKey?: KeyObject;
  friendlyName?: string;
  /** Its issuers, nearest first, up to the root or the last one the file holds. */
  path: ParsedCertificate[];
  /** The file's other certificates, outside the certification path. */
  others: ParsedCertificate[];
}

/**
 * The certificate whose key the file holds; without one, the only leaf that is not a CA (or the only leaf). Fails
 * with a typed error when the file pairs a key with a certificate it does not belong to, or holds several candidates.
 */
export function selectEndEntity(certificates: ParsedCertificate[], keys: Pkcs12Key[], notes: string[]): Selection {
  const owners = new Map<ParsedCertificate, Pkcs12Key>();
  for (const key of keys) {
    for (const certificate of certificatesOf(key, certificates)) if (!owners.has(certificate)) owners.set(certificate, key);
  }
  if (owners.size > 1) ambiguous(`${owners.size} certificates with their private keys`, [...owners.keys()]);
  const [owned] = owners;
  if (owned) {
    const [certificate, key] = owned;
    return { endEntity: certificate, privateKey: key.key, friendlyName: certificate.friendlyName ?? key.friendlyName, ...chainOf(certificate, certificates) };
  }
  if (keys.length) notes.push('The file\'s private key belongs to none of its certificates, so it is not imported.');
  const issuers = new Set(certificates.filter((c) => c.issuerName !== c.subjectName).map((c) => c.issuerName));
  const leaves = certificates.filter((c) => !issuers.has(c.subjectName));
  const endEntities = leaves.filter((c) => !c.fields.isCA);
  const only = endEntities.length === 1 ? endEntities[0] : endEntities.length === 0 && leaves.length === 1 ? leaves[0] : undefined;
  if (only) return { endEntity: only, friendlyName: only.friendlyName, ...chainOf(only, certificates) };
  const candidates = endEntities.length ? endEntities : leaves.length ? leaves : certificates;
  return ambiguous(`${candidates.length} certificates that could each be the one to import`, candidates);
}

/**
 * Windows pairs a key with the certificate whose bag carries the same localKeyId; a key without such a partner is
 * paired with the certificates whose public key is its own. Either way the pair must work (see keyFit): a localKeyId
 * on the wrong certificate, or a damaged key, fails the read rather than reporting a private key that cannot sign.
 */
function certificatesOf(key: Pkcs12Key, certificates: ParsedCertificate[]): ParsedCertificate[] {
  const id = key.localKeyId;
  const linked = id ? certificates.filter((c) => c.localKeyId?.equals(id)) : [];
  if (linked.length) {
    for (const certificate of linked) {
      const fit = keyFit(key.key, certificate);
      if (fit === 'broken') brokenKey(certificate);
      if (fit === 'other') mispaired(certificate, certificates.find((c) => keyFit(key.key, c) === 'works'));
    }
    return linked;
  }
  return certificates.filter((certificate) => {
    const fit = keyFit(key.key, certificate);
    if (fit === 'broken') brokenKey(certificate);
    return fit === 'works';
  });
}

/**
 * 'works': the key's public half is the certificate's, and a signature made with it verifies with the certificate's
 * public key (a damaged private half passes the first check only). 'broken': the first check passes, the second
 * fails. 'other': another certificate's key, or a key of another type.
 */
function keyFit(key: KeyObject, certificate: ParsedCertificate): 'works' | 'other' | 'broken' {
  try {
    if (!certificate.x509.checkPrivateKey(key)) return 'other';
  } catch {
    return 'other';
  }
  // Key agreement keys cannot sign: matching public halves is all there is to check.
  if (key.asymmetricKeyType === 'x25519' || key.asymmetricKeyType === 'x448') return 'works';
  const algorithm = key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : key.asymmetricKeyDetails?.hashAlgorithm ?? 'sha256';
  try {
    return verify(algorithm, PROBE, certificate.x509.publicKey, sign(algorithm, PROBE, key)) ? 'works' : 'broken';
  } catch {
    return 'broken';
  }
}

const PROBE = Buffer.from('SfB Certificates: does this private key sign for this certificate?');

function brokenKey(certificate: ParsedCertificate): never {
  return fail('private-key-mismatch', `The file's private key for ${describe(certificate)} is damaged: it matches the certificate's public key, but what it signs does not verify with it.`,
    REEXPORT_WITH_KEY_FIX);
}

function mispaired(certificate: ParsedCertificate, owner: ParsedCertificate | undefined): never {
  const whose = owner ? `it is the key of ${describe(owner)}` : 'it is the key of none of the file\'s certificates';
  return fail('private-key-mismatch', `The file pairs its private key with ${describe(certificate)} (by their localKeyId), but the key is not that certificate's: ${whose}. `
    + 'Windows would import the certificate with a private key that does not work.', REEXPORT_WITH_KEY_FIX);
}

function ambiguous(what: string, candidates: ParsedCertificate[]): never {
  return fail('ambiguous-end-entity', `The file holds ${what}: ${describeList(candidates.map(describe))}.`,
    'Export the certificate you mean on its own, with its private key and certification path, and choose that file.');
}

/** The other certificates: the end entity's issuers up to its root, then the others. */
function chainOf(endEntity: ParsedCertificate, certificates: ParsedCertificate[]): { path: ParsedCertificate[]; others: ParsedCertificate[] } {
  const rest = certificates.filter((c) => c !== endEntity);
  const bySubject = new Map<string, ParsedCertificate>();
  for (const c of rest) if (!bySubject.has(c.subjectName)) bySubject.set(c.subjectName, c);
  const path: ParsedCertificate[] = [];
  for (let current = endEntity; current.issuerName !== current.subjectName;) {
    const issuer = bySubject.get(current.issuerName);
    if (!issuer || path.includes(issuer)) break;
    path.push(issuer);
    current = issuer;
  }
  return { path, others: rest.filter((c) => !path.includes(c)) };
}
