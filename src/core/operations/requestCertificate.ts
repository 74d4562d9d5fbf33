// Request-CsCertificate -New, and "Process Pending Request": the one request operation the Certificate Request
// wizard, the palette and the shell use.
//
// A request is made for one computer and one or more uses; its Subject and SANs come from the topology (as the
// cmdlet fills them in [S6]; the names follow the SfB 2015 planning tables [S26], see requestNames). Two outcomes:
// - offline (-Output / "Prepare the request now, but send it later"): a PKCS #10 request to send to a CA. The
//   computer keeps a pending request; its private key is written by the caller to `keyFile` (the deployment file
//   never holds keys), and the CA's answer is imported later with completePendingRequest, paired by public key.
// - the sample's test CA ("Send the request immediately to an online certification authority", lab only): the
//   certificate is issued at once and lands in the computer's store with its key (kept in `keyFile`).
// The key is made by the caller beforehand (generateRsaKeyPair, off the main thread), so a preview and the run
// describe the same request.
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createCsr, generateCertificate, testCaCrlUrl, type CertificateSubject } from '../certgen';
import { readCertificateFileWithKey } from '../certificates/read';
import { recordFromDer } from '../certificates/x509';
import { about } from '../errors';
import { CERT_USES, isCertUse, psString, renderPowerShell } from '../cmdlets';
import type { CertUse, Deployment, OperationOutcome, PendingCertificateRequest, Pool, Server, StoredCertificate } from '../model';
import { withServer } from '../replication';
import { findServer, type ServerLocation } from '../topology';
import type { CompletePendingArgs, CompletePendingResult, OperationContext, RequestCertificateArgs, RequestResult, RequestWithoutKey } from './types';
import { fail, failWith, failed, perform, type Step } from './frame';
import { describeCert, locate, lookup, withCertificate } from './steps';

/** Key lengths Request-CsCertificate -KeySize takes [S6]. */
export const REQUEST_KEY_SIZES = [1024, 2048, 4096] as const;
export const DEFAULT_REQUEST_KEY_SIZE = 2048;

/** The extension's rule for names the topology does not hold (simple URLs): labelled wherever it shows. */
export const SIMPLE_URL_RULE = "Simple URLs are not in the deployment model: SfB Certificates assumes meet.<SIP domain>, dialin.<primary SIP domain> and admin.<primary SIP domain> (SfB Certificates' rule; check your topology's simple URLs).";

/** Where the caller keeps a request's private key: beside the request file, "<name>.key.pem". */
export function keyFileFor(requestFile: string): string {
  return `${requestFile.replace(/\.[^./\\]*$/, '')}.key.pem`;
}

/** Where the caller writes a certificate issued by the test CA: beside the key, "<name>.cer". */
export function certificateFileFor(requestFile: string): string {
  return `${requestFile.replace(/\.[^./\\]*$/, '')}.cer`;
}

export interface RequestNames {
  /** The Subject's CN. */
  commonName: string;
  /** From the topology, in order, without duplicates (lower case). */
  dnsNames: string[];
  /** The SIP domains' sip.<domain> names the request adds (the wizard's "SIP Domain setting on SANs" page). */
  sipDomainNames: string[];
  /** Notes on names the extension assumed. */
  notes: string[];
}

function unique(names: string[]): string[] {
  return [...new Set(names.map((n) => n.trim().toLowerCase()).filter(Boolean))];
}

/**
 * Subject and SANs for `uses` on the computer, after the SfB 2015 planning tables [S26][S33] (reference §6.1):
 * Default: CN pool FQDN, SANs pool and server FQDN; web internal: the internal web FQDN, server and pool FQDN and
 * the simple URLs; web external: the external web FQDN and the simple URLs; Edge internal: the server FQDN; Edge
 * external: sip.<domain>, webcon.<primary>; OAuthTokenIssuer: CN the primary SIP domain [S7]. `sipDomains`: whose
 * sip.<domain> is added (default: the primary SIP domain [S6]).
 */
export function requestNames(state: Deployment, at: Pick<ServerLocation, 'pool' | 'server'>, uses: readonly CertUse[], sipDomains?: readonly string[]): RequestNames {
  const primary = (state.sipDomains.find((d) => d.isDefault) ?? state.sipDomains[0])?.name ?? at.pool.fqdn.split('.').slice(1).join('.');
  const all = state.sipDomains.map((d) => d.name);
  const chosen = sipDomains ?? [primary];
  const pool: Pool = at.pool;
  const server: Server = at.server;
  const names: string[] = [];
  let commonName = '';
  const notes: string[] = [];
  const simple = () => {
    if (!notes.includes(SIMPLE_URL_RULE)) notes.push(SIMPLE_URL_RULE);
    return [...all.map((d) => `meet.${d}`), `dialin.${primary}`, `admin.${primary}`];
  };
  for (const use of uses) {
    switch (use) {
      case 'OAuthTokenIssuer':
        commonName ||= primary;
        names.push(primary);
        break;
      case 'Default':
        commonName ||= pool.fqdn;
        names.push(pool.fqdn, server.fqdn, ...all.map((d) => `lyncdiscoverinternal.${d}`));
        break;
      case 'WebServicesInternal':
        commonName ||= pool.kind === 'StandardEdition' ? server.fqdn : pool.fqdn;
        names.push(pool.internalWebFqdn ?? pool.fqdn, server.fqdn, pool.fqdn, ...simple());
        break;
      case 'WebServicesExternal':
        commonName ||= pool.kind === 'StandardEdition' ? server.fqdn : pool.fqdn;
        names.push(...(pool.externalWebFqdn ? [pool.externalWebFqdn] : []), ...simple(), ...all.map((d) => `lyncdiscover.${d}`));
        break;
      case 'Internal':
        commonName ||= server.fqdn;
        names.push(server.fqdn);
        break;
      case 'AccessEdgeExternal':
      case 'DataEdgeExternal':
      case 'AudioVideoAuthentication':
      case 'External':
      case 'XMPPServer':
        commonName ||= `sip.${primary}`;
        names.push(`sip.${primary}`, `webcon.${primary}`, ...(use === 'XMPPServer' ? [`xmpp.${primary}`] : []));
        break;
      default:
        commonName ||= server.fqdn;
        names.push(server.fqdn);
    }
  }
  const sipDomainNames = unique(chosen.map((d) => `sip.${d}`));
  return { commonName: commonName || server.fqdn, dnsNames: unique([commonName, ...names]), sipDomainNames, notes };
}

/** "CN=…, OU=…, O=…, L=…, S=…, C=…", most specific first, as Windows prints a subject. */
export function subjectText(subject: CertificateSubject): string {
  const parts: [string, string | undefined][] = [['CN', subject.CN], ['OU', subject.OU], ['O', subject.O], ['L', subject.L], ['S', subject.ST], ['C', subject.C]];
  return parts.filter((p): p is [string, string] => Boolean(p[1])).map(([k, v]) => `${k}=${v}`).join(', ');
}

/** SHA-1 of a public key's SubjectPublicKeyInfo (DER), uppercase hex: pairs a CA's answer with its request. */
export function publicKeySha1(key: KeyObject): string {
  return createHash('sha1').update(key.export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase();
}

/** The computer's pending request the certificate answers (same public key), if any. */
export function pendingRequestFor(server: Server, certificateDer: Uint8Array): PendingCertificateRequest | undefined {
  const key = publicKeySha1(new X509Certificate(certificateDer).publicKey);
  return (server.pendingRequests ?? []).find((r) => r.publicKeySha1 === key);
}

/** Request-CsCertificate -New as the docs write it [S6]; the wizard shows the same line. */
export function renderRequestPowerShell(args: RequestWithoutKey): string {
  const q = psString;
  const parts = ['Request-CsCertificate', '-New', '-Type', args.type.join(',')];
  if (args.mode === 'offline') parts.push('-Output', q(args.output));
  else parts.push('-CA', q(args.ca));
  if (args.computer) parts.push('-ComputerFqdn', q(args.computer));
  if (args.friendlyName) parts.push('-FriendlyName', q(args.friendlyName));
  if (args.template) parts.push('-Template', q(args.template));
  parts.push('-KeySize', String(args.keySize ?? DEFAULT_REQUEST_KEY_SIZE));
  if (args.privateKeyExportable !== undefined) parts.push('-PrivateKeyExportable', args.privateKeyExportable ? '$True' : '$False');
  const dn: [string, string | undefined][] = [['Organization', args.organization], ['OU', args.ou], ['Country', args.country], ['State', args.state], ['City', args.city]];
  for (const [name, value] of dn) if (value) parts.push(`-${name}`, q(value));
  if (args.allSipDomain) parts.push('-AllSipDomain');
  if (args.domainName?.length) parts.push('-DomainName', q(args.domainName.join(',')));
  return parts.join(' ');
}

const DNS_NAME = /^(\*\.)?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const requestStep: Step<RequestCertificateArgs, RequestResult> = (state, args, now) => {
  const powershell = renderRequestPowerShell(args);
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const unknown = (args.type ?? []).filter((u) => !isCertUse(u));
  if (!args.type?.length || unknown.length) {
    return fail('type-required', unknown.length ? `${unknown.join(', ')} is not a -Type value.` : 'Request-CsCertificate -New needs -Type: the use(s) the certificate is for.', `Use one of: ${CERT_USES.map((f) => f.use).join(', ')}.`, { powershell });
  }
  const keySize = args.keySize ?? DEFAULT_REQUEST_KEY_SIZE;
  if (!(REQUEST_KEY_SIZES as readonly number[]).includes(keySize)) {
    return fail('key-size', `-KeySize ${keySize} is not one of the documented lengths, ${REQUEST_KEY_SIZES.join(', ')}.`, 'Use 2048 (the wizard\'s default) or 4096.', { powershell });
  }
  const modulus = args.keyPair.publicKey.asymmetricKeyDetails?.modulusLength;
  if (modulus !== keySize) return fail('internal-error', `The key made for this request has ${modulus ?? 'an unknown number of'} bits, not ${keySize}.`, 'Make the request again.', { powershell });
  const sipDomains = args.allSipDomain ? state.sipDomains.map((d) => d.name) : args.sipDomains;
  const unknownDomains = (sipDomains ?? []).filter((d) => !state.sipDomains.some((s) => s.name.toLowerCase() === d.toLowerCase()));
  if (unknownDomains.length) return fail('unknown-sip-domain', `${unknownDomains.join(', ')} is not a SIP domain of the topology.`, `The SIP domains are ${state.sipDomains.map((d) => d.name).join(', ')}.`, { powershell });
  const extra = (args.domainName ?? []).map((n) => n.trim()).filter(Boolean);
  const bad = extra.filter((n) => !DNS_NAME.test(n));
  if (bad.length) return fail('bad-domain-name', `${bad.map((n) => `"${n}"`).join(', ')} ${bad.length === 1 ? 'is not a DNS name' : 'are not DNS names'}.`, 'Give additional subject alternative names as DNS names separated by commas, e.g. sfb.contoso.com,*.contoso.com.', { powershell });
  const names = requestNames(state, at, args.type, sipDomains);
  const dnsNames = [...new Set([...names.dnsNames, ...names.sipDomainNames, ...extra.map((n) => n.toLowerCase())])];
  const subject: CertificateSubject = { CN: names.commonName, O: args.organization || undefined, OU: args.ou || undefined, L: args.city || undefined, ST: args.state || undefined, C: args.country || undefined };
  if (subject.C && !/^[A-Z]{2}$/i.test(subject.C)) return fail('bad-country', `Country/Region "${subject.C}" is not a two-letter code.`, 'Use the ISO 3166 two-letter code, e.g. US.', { powershell });
  if (subject.C) subject.C = subject.C.toUpperCase();
  const exportable = args.privateKeyExportable === true;
  const friendlyName = args.friendlyName?.trim() || `${args.type.join(', ')} ${now.toISOString().slice(0, 10)}`;
  const { csrPem, keyPem } = createCsr({ subject, dnsNames, keyPair: args.keyPair });
  const notes = [...names.notes];
  if (!args.friendlyName?.trim()) notes.push(`No friendly name was given: the certificate gets "${friendlyName}" (SfB Certificates' rule; the wizard's own generated name is unconfirmed).`);
  if (!exportable && args.type.includes('OAuthTokenIssuer')) notes.push('The private key is not marked exportable; the OAuthTokenIssuer certificate needs an exportable private key [S8].');
  notes.push(`The private key is kept in ${args.keyFile} (PKCS #8, not password-protected) — the deployment file never holds keys. Keep that file private.`);
  const base = { computer: at.server.fqdn, uses: args.type, subject: subjectText(subject), dnsNames, requestPem: csrPem, keyPem, keyFile: args.keyFile };

  if (args.mode === 'offline') {
    const pending: PendingCertificateRequest = {
      requestedAt: now.toISOString(), uses: args.type, subject: subjectText(subject), dnsNames, keySize, exportable,
      requestFile: args.requestFile, keyFile: args.keyFile, publicKeySha1: publicKeySha1(args.keyPair.publicKey),
      ...(friendlyName ? { friendlyName } : {}),
    };
    return {
      ok: true,
      state: withServer(state, at, (s) => ({ ...s, pendingRequests: [...(s.pendingRequests ?? []).filter((r) => r.requestFile !== args.requestFile), pending] })),
      result: { ...base, requestFile: args.requestFile },
      powershell,
      notes: [...notes, `Send ${args.output} to your certification authority, then import its answer with Process Pending Request (or Import-CsCertificate -Path <answer> on ${at.server.fqdn}).`],
      summary: `Prepared an offline certificate request for ${args.type.join(', ')} on ${at.server.fqdn} (${subjectText(subject)}), written to ${args.output}.`,
    };
  }

  // The sample's test CA: the name part of -CA ("<CA FQDN>\<CA name>") must be the CA's own name.
  const ca = readCertificateFileWithKey(args.caFile.bytes, { password: args.caFile.password, fileName: args.caFile.path });
  if (!ca.ok) return failWith(about(args.caFile.path, ca.error), powershell);
  const caName = ca.selection.endEntity.fields.subject.replace(/^CN=/, '').split(',')[0];
  const wanted = args.ca.split('\\').pop()!.trim();
  if (!ca.record.isCA || !ca.selection.privateKey || wanted.toLowerCase() !== caName.toLowerCase()) {
    return fail('ca-not-available', `No online certification authority named "${args.ca}" can be reached from this model: SfB Certificates issues certificates only from the sample's test CA, ${caName}.`,
      'Prepare the request now and send it later (-Output), then import the CA\'s answer with Process Pending Request.', { source: 'extension-rule', powershell });
  }
  const issuer = { certPem: '', keyPem: ca.selection.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), der: ca.selection.endEntity.der };
  const issued = generateCertificate({ subject, dnsNames, keyPair: args.keyPair, issuer, notBefore: now, notAfter: new Date(now.getTime() + 2 * 365 * 86_400_000), crlDistributionPoints: [testCaCrlUrl(caName)] });
  const record = recordFromDer(issued.der, { hasPrivateKey: true, friendlyName });
  const cert: StoredCertificate = { ...record, exportable, source: 'request', addedAt: now.toISOString() };
  return {
    ok: true,
    state: withServer(state, at, (s) => ({ ...s, certificates: withCertificate(s.certificates, cert) })),
    result: { ...base, issued: { thumbprint: cert.thumbprint, certificatePem: issued.certPem, certificateFile: args.certificateFile } },
    powershell,
    notes: [...notes, `${caName} is the sample's test CA: use its certificates in a lab only.`, `Assign it with Assign (Set-CsCertificate -Type ${args.type.join(',')} -Thumbprint ${cert.thumbprint}).`],
    summary: `Requested ${describeCert(cert)} from ${caName} for ${args.type.join(', ')} on ${at.server.fqdn}.`,
  };
};

/** Request-CsCertificate -New: an offline request, or a certificate from the sample's test CA. */
export function requestCertificate(state: Deployment, args: RequestCertificateArgs, clock: OperationContext): OperationOutcome<RequestResult> {
  return perform('Request-CsCertificate', requestStep, state, args, clock);
}

const completeStep: Step<CompletePendingArgs, CompletePendingResult> = (state, args, now) => {
  // The line names the answer as the Front End sees it (args.path); the messages name the file the admin chose.
  const powershell = renderPowerShell({ cmdlet: 'Import-CsCertificate', path: args.path });
  const file = args.sourceFile ?? args.path;
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const pendings = at.server.pendingRequests ?? [];
  if (!pendings.length) return fail('no-pending-request', `${at.server.fqdn} has no pending certificate request.`, 'Make an offline request first (Request, "Prepare the request now, but send it later").', { powershell });
  const read = readCertificateFileWithKey(args.bytes, { fileName: file });
  if (!read.ok) return failWith(about(file, read.error), powershell);
  const answer = read.selection.endEntity;
  const pending = pendingRequestFor(at.server, answer.der);
  if (!pending || (args.requestFile !== undefined && pending.requestFile !== args.requestFile)) {
    const which = args.requestFile ? `the pending request ${args.requestFile}` : `any pending request of ${at.server.fqdn}`;
    return fail('answer-mismatch', `${file} holds ${describeCert(read.record)}, whose public key does not match ${which}.`,
      'Choose the certificate the CA issued for this request (its .cer or .p7b answer), or the request it answers.', { powershell });
  }
  let key: KeyObject;
  try {
    key = createPublicKey(args.keyPem);
  } catch {
    return fail('key-unreadable', `${pending.keyFile} does not hold a readable private key.`, 'Restore the key file written with the request; without it the answer cannot be paired with its key.', { powershell });
  }
  if (publicKeySha1(key) !== pending.publicKeySha1) {
    return fail('key-mismatch', `${pending.keyFile} holds a different key from the one the request was made with.`, 'Restore the key file written with the request.', { powershell });
  }
  const record = recordFromDer(answer.der, { hasPrivateKey: true, friendlyName: pending.friendlyName });
  const cert: StoredCertificate = { ...record, exportable: pending.exportable, source: 'request', addedAt: now.toISOString() };
  const notes = read.notes.slice();
  if (lookup(at.server.certificates, cert.thumbprint)) notes.push(`${cert.thumbprint} was already in the store of ${at.server.fqdn}; the imported copy replaces it.`);
  notes.push(`Paired with the pending request ${pending.requestFile} (its key: ${pending.keyFile}). Assign the certificate with Assign (Set-CsCertificate -Type ${pending.uses.join(',')} -Thumbprint ${cert.thumbprint}).`);
  return {
    ok: true,
    state: withServer(state, at, (s) => ({
      ...s,
      certificates: withCertificate(s.certificates, cert),
      pendingRequests: (s.pendingRequests ?? []).filter((r) => r !== pending),
    })),
    result: { computer: at.server.fqdn, thumbprint: cert.thumbprint, uses: pending.uses, requestFile: pending.requestFile, keyFile: pending.keyFile },
    powershell,
    notes,
    summary: `Imported the CA's answer ${describeCert(cert)} for the pending request ${pending.requestFile} on ${at.server.fqdn}.`,
  };
};

/** Process Pending Request: the CA's answer to an offline request, paired with the request's key. */
export function completePendingRequest(state: Deployment, args: CompletePendingArgs, clock: OperationContext): OperationOutcome<CompletePendingResult> {
  return perform('Process-PendingRequest', completeStep, state, args, clock);
}

/** The pending requests of a computer (for pickers), newest first. */
export function pendingRequests(state: Deployment, computer: string): PendingCertificateRequest[] {
  return [...(findServer(state, computer)?.server.pendingRequests ?? [])].reverse();
}
