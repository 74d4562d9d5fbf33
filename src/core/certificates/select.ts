// Which certificate of a file is the one to import (the end entity), whose private key is its own, and which of the
// others form its certification path. One selection, used by the reader and by the Certificates MMC export.
import type { KeyObject } from 'node:crypto';
import type { Pkcs12Key } from '../pfx/read';
import { describeList, fail } from './errors';
import { describe, type ParsedCertificate } from './x509';

export interface EndEntity {
  certificate: ParsedCertificate;
  hasPrivateKey: boolean;
  friendlyName?: string;
}

/** The certificate whose key the file holds; without one, the only leaf that is not a CA (or the only leaf). */
export function chooseEndEntity(certificates: ParsedCertificate[], keys: Pkcs12Key[], notes: string[]): EndEntity {
  const owners = new Map<ParsedCertificate, Pkcs12Key>();
  for (const key of keys) {
    for (const certificate of certificatesOf(key, certificates)) if (!owners.has(certificate)) owners.set(certificate, key);
  }
  if (owners.size > 1) ambiguous(`${owners.size} certificates with their private keys`, [...owners.keys()]);
  const [owned] = owners;
  if (owned) {
    const [certificate, key] = owned;
    return { certificate, hasPrivateKey: true, friendlyName: certificate.friendlyName ?? key.friendlyName };
  }
  if (keys.length) notes.push('The file\'s private key belongs to none of its certificates, so it is not imported.');
  const issuers = new Set(certificates.filter((c) => c.issuerName !== c.subjectName).map((c) => c.issuerName));
  const leaves = certificates.filter((c) => !issuers.has(c.subjectName));
  const endEntities = leaves.filter((c) => !c.fields.isCA);
  if (endEntities.length === 1) return { certificate: endEntities[0], hasPrivateKey: false, friendlyName: endEntities[0].friendlyName };
  if (endEntities.length === 0 && leaves.length === 1) return { certificate: leaves[0], hasPrivateKey: false, friendlyName: leaves[0].friendlyName };
  const candidates = endEntities.length ? endEntities : leaves.length ? leaves : certificates;
  return ambiguous(`${candidates.length} certificates that could each be the one to import`, candidates);
}

/**
 * Windows pairs a key with the certificate whose bag carries the same localKeyId. A key without such a partner is
 * decrypted, and paired with the certificates whose public key is its own.
 */
function certificatesOf(key: Pkcs12Key, certificates: ParsedCertificate[]): ParsedCertificate[] {
  const id = key.localKeyId;
  const linked = id ? certificates.filter((c) => c.localKeyId?.equals(id)) : [];
  if (linked.length) return linked;
  const privateKey = key.load();
  return certificates.filter((c) => belongsTo(privateKey, c));
}

function belongsTo(key: KeyObject, certificate: ParsedCertificate): boolean {
  try {
    return certificate.x509.checkPrivateKey(key);
  } catch {
    return false; // a key of another type
  }
}

function ambiguous(what: string, candidates: ParsedCertificate[]): never {
  return fail('ambiguous-end-entity', `The file holds ${what}: ${describeList(candidates.map(describe))}.`,
    'Export the certificate you mean on its own, with its private key and certification path, and choose that file.');
}

/** The other certificates: the end entity's issuers up to its root, then the others. */
export function chainOf(endEntity: ParsedCertificate, certificates: ParsedCertificate[]): { path: ParsedCertificate[]; others: ParsedCertificate[] } {
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
