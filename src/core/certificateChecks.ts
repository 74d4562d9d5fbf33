// Requirement checks of one certificate (for a use, or as the OAuthTokenIssuer candidate) and of one slot (its staged
// roll, its previous certificate) → findings. Each finding has a stable rule id, a severity, a message, a fix (the
// PowerShell line where there is one) and `where`: the JSON path into the store file. Wording in quotes is
// Microsoft's own (its Skype for Business diagnostics [S15]); the rest is ours. rules.ts runs them over a deployment.
import { subjectCommonNames } from './certificates/subjectNames';
import { roleNameFindings } from './roleNames';
import { formatUsDateTime } from './calendar';
import { certUseFacts, renderPowerShell } from './cmdlets';
import { DAY_MS, HOUR_MS, day, finding, setGlobalOAuth } from './findings';
import type { CertificateRecord, CertUse, Finding, Location, Pool, Server, SipDomain, Slot, StoredCertificate } from './model';

export const DEFAULT_EXPIRY_WARNING_DAYS = 45;
/** The OAuthTokenIssuer key must be at least this long [S7]. */
export const MIN_OAUTH_KEY_BITS = 2048;

/** The community's form of the request for a new OAuth certificate [S18]; the key size is the rules' minimum [S7]. */
export const REQUEST_OAUTH_CERTIFICATE = `Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize ${MIN_OAUTH_KEY_BITS} -PrivateKeyExportable $True -AllSipDomain`;

export interface RuleOptions {
  /** Warn when a certificate in use expires within this many days (45: Microsoft's diagnostics' threshold). */
  expiryWarningDays?: number;
}

export interface CandidateOptions extends RuleOptions {
  /** For a roll: validity is checked at this date instead of now. */
  effectiveDate?: Date;
  /** Where the findings point; by default the global OAuthTokenIssuer slot. */
  where?: Location;
  /** The server (and its pool) the certificate serves a per-computer use on: adds the role's naming checks (roleNames.ts). */
  server?: Server;
  pool?: Pool;
}

export const OAUTH_GLOBAL_PATH = 'cms.assignments.OAuthTokenIssuer';

// ---------------------------------------------------------------------------------------------
// One certificate
// ---------------------------------------------------------------------------------------------

function oauthKeyFindings(cert: CertificateRecord, where: Location): Finding[] {
  const out: Finding[] = [];
  if (cert.keyAlgorithm !== 'RSA') {
    out.push(finding('oauth.key', 'error',
      `The OAuthTokenIssuer certificate ${cert.thumbprint} has a ${cert.keyAlgorithm} key; SfB Certificates requires an RSA key of at least ${MIN_OAUTH_KEY_BITS} bits for it.`,
      where, `Use an RSA certificate of ${MIN_OAUTH_KEY_BITS} bits or more: ${REQUEST_OAUTH_CERTIFICATE}`, 'extension-rule'));
  } else if (cert.keySize < MIN_OAUTH_KEY_BITS) {
    // The procedure's requirement [S7]; no cmdlet is documented to refuse a shorter key, and the Lync 2013 Director
    // summary [S12] calls 1024 bits the minimum, with a warning: refusing it is this tool's check (reference C6).
    out.push(finding('oauth.key', 'error',
      `The OAuthTokenIssuer certificate must be at least ${MIN_OAUTH_KEY_BITS} bits; ${cert.thumbprint} has ${cert.keySize}. The procedure asks for ${MIN_OAUTH_KEY_BITS} bits; no cmdlet is documented to refuse a shorter key (Lync Server 2013 names 1024 bits the minimum, with a warning).`,
      where, `Use a certificate with a ${MIN_OAUTH_KEY_BITS}-bit (or longer) key, e.g. the Default certificate or one requested with -KeySize ${MIN_OAUTH_KEY_BITS}.`, 'extension-rule'));
  }
  if (!cert.hasPrivateKey) {
    out.push(finding('oauth.no-private-key', 'error',
      `The OAuthTokenIssuer certificate ${cert.thumbprint} has no private key here: tokens cannot be signed with it, and the Central Management store cannot deploy it to the Front Ends.`,
      where, 'Import it from a PFX file that contains the private key (Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path … -Password $pfxPassword).'));
  }
  return out;
}

/** A certificate that is to become current at `at` must be valid then. */
function rollValidityFinding(cert: CertificateRecord, use: CertUse, at: Date, where: Location): Finding | undefined {
  const why = Date.parse(cert.notBefore) > at.getTime() ? `it is not valid before ${day(cert.notBefore)}`
    : Date.parse(cert.notAfter) <= at.getTime() ? `it expires on ${day(cert.notAfter)}` : undefined;
  if (!why) return undefined;
  return finding('roll.not-valid-at-effective-date', 'error',
    `${cert.thumbprint} would become the current ${use} certificate on ${formatUsDateTime(at)}, but ${why}.`,
    where, 'Choose an effective date inside the new certificate\'s validity period, or a certificate valid on that date.');
}

/** Validity now (or, for a roll, at its effective date) and nearness of expiry. */
function validityFindings(cert: CertificateRecord, use: CertUse, now: Date, warnDays: number, where: Location, effectiveDate?: Date): Finding[] {
  const oauth = use === 'OAuthTokenIssuer';
  const notBefore = Date.parse(cert.notBefore);
  const notAfter = Date.parse(cert.notAfter);
  if (effectiveDate) {
    const invalid = rollValidityFinding(cert, use, effectiveDate, where);
    if (invalid) return [invalid];
  } else if (notAfter <= now.getTime()) {
    return [oauth
      ? finding('oauth.expired', 'error', `"The OAuthTokenIssuer certificate has expired": ${cert.thumbprint} expired on ${day(cert.notAfter)}. Server-to-server authentication (e.g. with Exchange) fails.`, where,
        `Assign a valid certificate: ${setGlobalOAuth()}`)
      : finding('cert.expired', 'error', `The ${use} certificate ${cert.thumbprint} expired on ${day(cert.notAfter)}.`, where,
        `Assign a valid certificate: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', type: [use], thumbprint: '<thumbprint>' })}`)];
  } else if (notBefore > now.getTime()) {
    return [finding(oauth ? 'oauth.not-yet-valid' : 'cert.not-yet-valid', oauth ? 'error' : 'warning',
      `The ${use} certificate ${cert.thumbprint} is not valid before ${day(cert.notBefore)}.`, where,
      oauth ? `Stage it instead, to take over once it is valid: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: [use], thumbprint: cert.thumbprint, effectiveDate: new Date(notBefore + DAY_MS), roll: true })}` : undefined,
      oauth ? 'extension-rule' : 'product')];
  }
  const left = notAfter - now.getTime();
  if (left <= 0 || left >= warnDays * DAY_MS) return [];
  const days = Math.floor(left / DAY_MS);
  return [finding(oauth ? 'oauth.expiring' : 'cert.expiring', 'warning',
    `"The following certificate(s) are near expiry: ${cert.thumbprint}" — the ${use} certificate expires on ${day(cert.notAfter)} (${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}).`,
    where, oauth
      ? `Stage its successor at least 24 hours before then: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: [use], thumbprint: '<new thumbprint>', effectiveDate: new Date(notAfter - 2 * DAY_MS), roll: true })}`
      : `Assign a renewed certificate: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', type: [use], thumbprint: '<new thumbprint>' })}`)];
}

/** DNS names of the Subject's CN(s), from its parsed RDNs (a CN inside a quoted O value is not a CN). */
function subjectNames(cert: CertificateRecord): string[] {
  return subjectCommonNames(cert).map((n) => n.trim().toLowerCase());
}

function covers(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

function sipDomainFindings(cert: CertificateRecord, sipDomains: SipDomain[], where: Location): Finding[] {
  const primary = sipDomains.find((d) => d.isDefault) ?? sipDomains[0];
  if (!primary) return [];
  const domain = primary.name.toLowerCase();
  const inSubject = subjectNames(cert);
  const inSans = cert.subjectAlternativeNames.filter((s) => s.type === 'dns').map((s) => s.value.toLowerCase());
  const out: Finding[] = [];
  if (!inSubject.some((n) => covers(n, domain)) && !inSans.some((n) => covers(n, domain))) {
    out.push(finding('oauth.sip-domain', 'warning',
      `Neither the Subject (${cert.subject || 'empty'}) nor the alternative names of ${cert.thumbprint} include the SIP domain ${domain}. ` +
      `The docs accept the Default certificate (Subject: the pool FQDN; alternative names: pool FQDN, server FQDN, sip.${domain}) or a web server certificate with the SIP domain in its Subject.`,
      where, `Use the Default certificate or one with CN=${domain}: ${REQUEST_OAUTH_CERTIFICATE}`));
  }
  const names = [...inSubject, ...inSans];
  const missing = sipDomains.filter((d) => d !== primary && !names.some((n) => covers(n, d.name.toLowerCase()))).map((d) => d.name);
  if (missing.length) {
    out.push(finding('oauth.additional-sip-domains', 'info',
      `Additional SIP domains are listed in the OAuth certificate's alternative names; ${cert.thumbprint} lacks ${missing.join(', ')}. (The OAuth realm is the default SIP domain, ${domain}.)`,
      where, 'Request the certificate with -AllSipDomain so every SIP domain is in its alternative names.'));
  }
  return out;
}

const SERVER_AUTHENTICATION_EKU = '1.3.6.1.5.5.7.3.1';

/**
 * "All server certificates must contain a CRL Distribution Point (CDP)": the Skype for Business Server 2015
 * environmental requirements [S26] and the 2019 system requirements [S26b] (reference C10) both say so, so every
 * assigned certificate is judged, in either version. A record read before the model kept CRL distribution points
 * (the field absent) is not judged.
 */
export function crlDistributionPointFinding(cert: CertificateRecord, where: Location, use?: CertUse): Finding | undefined {
  if (cert.crlDistributionPoints?.length !== 0) return undefined;
  const what = use ? `The ${use} certificate ${cert.thumbprint}${where.serverFqdn ? ` on ${where.serverFqdn}` : ''}` : cert.thumbprint;
  return finding('cert.crl-distribution-point', 'warning',
    `${what} has no CRL distribution point, which the Skype for Business Server 2015 and 2019 certificate requirements ask of every server certificate (so its revocation can be checked).`,
    where, 'Request the certificate from a certification authority that publishes a CRL distribution point in the certificates it issues (an enterprise CA does by default), then assign the new one.');
}

/**
 * The Skype for Business Server 2019 system requirements [S26b] (reference C10): server certificates carry the
 * Server Authentication EKU and a CRL distribution point, and RSASSA-PSS signatures are not supported. Warnings,
 * with the source in the text. A record read before the model kept CRL distribution points (the field absent) is
 * not judged on them.
 */
export function platformRequirementFindings(cert: CertificateRecord, where: Location): Finding[] {
  const out: Finding[] = [];
  if (!cert.enhancedKeyUsages.some((u) => u.oid === SERVER_AUTHENTICATION_EKU)) {
    out.push(finding('cert.server-eku', 'warning',
      `${cert.thumbprint} lacks the Server Authentication enhanced key usage (${SERVER_AUTHENTICATION_EKU}), which the Skype for Business Server 2019 system requirements ask of server certificates.`,
      where, 'Request the certificate from a template with Server Authentication (the Web Server template, or Request-CsCertificate).'));
  }
  const crl = crlDistributionPointFinding(cert, where);
  if (crl) out.push(crl);
  if (/PSS/i.test(cert.signatureAlgorithm)) {
    out.push(finding('cert.rsassa-pss', 'warning',
      `${cert.thumbprint} is signed with RSASSA-PSS (${cert.signatureAlgorithm}), which the Skype for Business Server 2019 system requirements list as unsupported.`,
      where, 'Have the CA sign it with a PKCS #1 v1.5 signature (e.g. sha256RSA).'));
  }
  return out;
}

/**
 * The checks a certificate must pass before it becomes the OAuthTokenIssuer certificate. Errors (key shorter
 * than 2048 bits or not RSA, no private key, not valid) refuse the assignment; warnings (SIP domain) do not.
 */
export function checkOAuthCandidate(record: CertificateRecord, sipDomains: SipDomain[], now: Date, options: CandidateOptions = {}): Finding[] {
  const where = options.where ?? { path: OAUTH_GLOBAL_PATH, thumbprint: record.thumbprint, use: 'OAuthTokenIssuer' };
  const warnDays = options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
  return [
    ...oauthKeyFindings(record, where),
    ...validityFindings(record, 'OAuthTokenIssuer', now, warnDays, where, options.effectiveDate),
    ...sipDomainFindings(record, sipDomains, where),
    ...platformRequirementFindings(record, where),
  ];
}

/**
 * Microsoft's procedure requests the OAuthTokenIssuer certificate with an exportable private key [S8] (reference
 * C8); a key that cannot be exported cannot be copied to another server by hand. A warning when such a certificate
 * becomes the OAuthTokenIssuer certificate.
 */
export function oauthExportableFinding(cert: StoredCertificate, where: Location = { path: OAUTH_GLOBAL_PATH, thumbprint: cert.thumbprint, use: 'OAuthTokenIssuer' }): Finding | undefined {
  if (!cert.hasPrivateKey || cert.exportable) return undefined;
  return finding('oauth.key-not-exportable', 'warning',
    `The private key of ${cert.thumbprint} is not exportable. Microsoft's procedure for the OAuthTokenIssuer certificate ("Stage AV and OAuth certificates") requests it with an exportable private key.`,
    where, 'Request the certificate with an exportable key (Request-CsCertificate -New -Type OAuthTokenIssuer -PrivateKeyExportable $True …), or import its PFX.');
}

// ---------------------------------------------------------------------------------------------
// One slot: pending roll and previous certificate
// ---------------------------------------------------------------------------------------------

export type Lookup = (thumbprint: string) => StoredCertificate | undefined;

/**
 * A staged roll: the new certificate must be valid at the effective date, the current one must not expire before
 * it (a gap with no valid certificate), and for uses with a coexistence window the effective date should lead the
 * old certificate's expiry by the recommended time (24 h for OAuth, 8 h for A/V) [S8].
 */
export function checkPendingRoll(slot: Slot, use: CertUse, lookup: Lookup, slotPath: string, serverFqdn?: string): Finding[] {
  const pending = slot.pending;
  if (!pending) return [];
  const where: Location = { path: `${slotPath}.pending`, thumbprint: pending.thumbprint, use, serverFqdn };
  const next = lookup(pending.thumbprint);
  if (!next) {
    return [finding('roll.not-in-store', 'error', `The ${use} roll stages ${pending.thumbprint}, which is not in the store.`, where, 'Import the certificate, then stage the roll again.')];
  }
  const at = new Date(pending.effectiveDate);
  const invalid = rollValidityFinding(next, use, at, where);
  const out = invalid ? [invalid] : [];
  const current = slot.current && lookup(slot.current.thumbprint);
  if (!current) return out;
  const overlap = Date.parse(current.notAfter) - at.getTime();
  const lead = certUseFacts(use).leadTimeHours;
  if (overlap < 0) {
    out.push(finding('roll.gap', 'error',
      `The current ${use} certificate ${current.thumbprint} expires on ${day(current.notAfter)}, before the roll's effective date ${formatUsDateTime(at)}: in between there is no valid certificate.`,
      where, `Stage the roll again with an earlier -EffectiveDate${lead ? `, at least ${lead} hours before ${day(current.notAfter)}` : ''}.`));
  } else if (lead !== undefined && overlap < lead * HOUR_MS) {
    out.push(finding('roll.lead-time', 'warning',
      `The roll takes effect ${formatUsDateTime(at)}, less than ${lead} hours before the current ${use} certificate expires (${day(current.notAfter)}). ` +
      (use === 'OAuthTokenIssuer' ? 'Microsoft recommends at least 24 hours, because Exchange keeps OAuth key material longer.' : `Microsoft recommends at least ${lead} hours (the default A/V token lifetime).`),
      where, `Stage it again with -EffectiveDate "${formatUsDateTime(new Date(Date.parse(current.notAfter) - lead * HOUR_MS - DAY_MS))}" or earlier.`));
  }
  return out;
}

/** After a roll, remove the previous certificate once it has expired [S8]. */
export function previousFindings(slot: Slot, use: CertUse, lookup: Lookup, now: Date, slotPath: string, removeCommand: string, serverFqdn?: string): Finding[] {
  const previous = slot.previous && lookup(slot.previous.thumbprint);
  if (!previous || Date.parse(previous.notAfter) > now.getTime()) return [];
  return [finding('previous.expired', 'warning',
    `The previous ${use} certificate ${previous.thumbprint} expired on ${day(previous.notAfter)} and is still kept${serverFqdn ? ` on ${serverFqdn}` : ''}; it no longer validates anything.`,
    { path: `${slotPath}.previous`, thumbprint: previous.thumbprint, use, serverFqdn }, removeCommand)];
}

/**
 * The checks for a certificate serving `use`: OAuthTokenIssuer → checkOAuthCandidate; any other use → validity,
 * private key, a CRL distribution point [S26][S26b] and key length (1024 bits is supported, 2048 recommended).
 */
export function checkCertificateForUse(cert: CertificateRecord, use: CertUse, sipDomains: SipDomain[], now: Date, options: CandidateOptions = {}): Finding[] {
  const where = options.where ?? { path: '', thumbprint: cert.thumbprint, use };
  if (use === 'OAuthTokenIssuer') return checkOAuthCandidate(cert, sipDomains, now, { ...options, where });
  const on = where.serverFqdn ? ` on ${where.serverFqdn}` : '';
  const out = validityFindings(cert, use, now, options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS, where, options.effectiveDate);
  if (!cert.hasPrivateKey) {
    out.push(finding('cert.no-private-key', 'error',
      `The ${use} certificate ${cert.thumbprint}${on} has no private key in the store: the certificate cannot be used (a certificate without its key shows as not valid).`,
      where, `Import it again from a PFX that contains the private key: ${renderPowerShell({ cmdlet: 'Import-CsCertificate', path: 'C:\\Certificates\\<file>.pfx', password: '', privateKeyExportable: true })}`));
  }
  // What this use needs of the certificate (its names) before what every server certificate needs (a CRL
  // distribution point): a picker shows the first warning.
  if (options.server && options.pool) out.push(...roleNameFindings(cert, use, options.server, options.pool, sipDomains, where));
  const crl = crlDistributionPointFinding(cert, where, use);
  if (crl) out.push(crl);
  if (cert.keyAlgorithm === 'RSA' && cert.keySize < MIN_OAUTH_KEY_BITS) {
    out.push(finding('cert.key-size', 'info',
      `The ${use} certificate ${cert.thumbprint}${on} has a ${cert.keySize}-bit key; 1024 bits is supported, 2048 or more is recommended.`,
      where, `Request its replacement with -KeySize ${MIN_OAUTH_KEY_BITS}.`));
  }
  return out;
}
