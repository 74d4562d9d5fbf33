// Requirement checks → findings. Each finding has a stable rule id, a severity, a message, a fix (the PowerShell
// line where there is one) and `where`: the JSON path into the store file. Wording in quotes is Microsoft's own
// (its Skype for Business diagnostics [S15]); the rest is ours. Runs in one pass over the servers, so it stays
// fast on 12,000 of them.
import { subjectCommonNames } from './certificates/subjectNames';
import { UNCONFIRMED_RULE } from './errors';
import { roleNameFindings } from './roleNames';
import { formatUsDateTime } from './calendar';
import { certUseFacts, renderPowerShell } from './cmdlets';
import type { CertificateRecord, CertUse, Deployment, Finding, Location, Pool, Server, SipDomain, Slot, StoredCertificate } from './model';
import { receivesGlobalCertificates, serverPath } from './topology';

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
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function finding(rule: string, severity: Finding['severity'], message: string, where: Location, fix?: string, unconfirmed?: boolean): Finding {
  const f: Finding = { rule, severity, message: unconfirmed ? `${message} ${UNCONFIRMED_RULE}` : message, where };
  if (fix) f.fix = fix;
  if (unconfirmed) f.unconfirmed = true;
  return f;
}

function day(iso: string): string {
  return formatUsDateTime(new Date(iso));
}

function setGlobalOAuth(thumbprint = '$x'): string {
  return renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint });
}

const ASSIGN_OAUTH_FIX = `$x = (Get-CsCertificate -Type Default).Thumbprint; ${setGlobalOAuth()}  — or import one: ${renderPowerShell({
  cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\ServerToServerAuth.pfx', password: '',
})}`;

// ---------------------------------------------------------------------------------------------
// One certificate
// ---------------------------------------------------------------------------------------------

function oauthKeyFindings(cert: CertificateRecord, where: Location): Finding[] {
  const out: Finding[] = [];
  if (cert.keyAlgorithm !== 'RSA') {
    out.push(finding('oauth.key', 'error',
      `The OAuthTokenIssuer certificate ${cert.thumbprint} has a ${cert.keyAlgorithm} key; SfB Certificates requires an RSA key of at least ${MIN_OAUTH_KEY_BITS} bits for it.`,
      where, `Use an RSA certificate of ${MIN_OAUTH_KEY_BITS} bits or more: ${REQUEST_OAUTH_CERTIFICATE}`, true));
  } else if (cert.keySize < MIN_OAUTH_KEY_BITS) {
    // The procedure's requirement [S7]; no cmdlet is documented to refuse a shorter key, and the Lync 2013 Director
    // summary [S12] calls 1024 bits the minimum, with a warning: refusing it is this tool's check (reference C6).
    out.push(finding('oauth.key', 'error',
      `The OAuthTokenIssuer certificate must be at least ${MIN_OAUTH_KEY_BITS} bits; ${cert.thumbprint} has ${cert.keySize}. The procedure asks for ${MIN_OAUTH_KEY_BITS} bits; no cmdlet is documented to refuse a shorter key (Lync Server 2013 names 1024 bits the minimum, with a warning), so the refusal is SfB Certificates' check.`,
      where, `Use a certificate with a ${MIN_OAUTH_KEY_BITS}-bit (or longer) key, e.g. the Default certificate or one requested with -KeySize ${MIN_OAUTH_KEY_BITS}.`, true));
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
      oauth)];
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
 * The Skype for Business Server 2019 system requirements [S26b] (reference C10): server certificates carry the
 * Server Authentication EKU, and RSASSA-PSS signatures are not supported. Warnings, with the source in the text.
 * (The requirement of a CRL distribution point is not checked: the model keeps no certificate extensions beyond
 * these.)
 */
export function platformRequirementFindings(cert: CertificateRecord, where: Location): Finding[] {
  const out: Finding[] = [];
  if (!cert.enhancedKeyUsages.some((u) => u.oid === SERVER_AUTHENTICATION_EKU)) {
    out.push(finding('cert.server-eku', 'warning',
      `${cert.thumbprint} lacks the Server Authentication enhanced key usage (${SERVER_AUTHENTICATION_EKU}), which the Skype for Business Server 2019 system requirements ask of server certificates.`,
      where, 'Request the certificate from a template with Server Authentication (the Web Server template, or Request-CsCertificate).'));
  }
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

type Lookup = (thumbprint: string) => StoredCertificate | undefined;

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
function previousFindings(slot: Slot, use: CertUse, lookup: Lookup, now: Date, slotPath: string, removeCommand: string, serverFqdn?: string): Finding[] {
  const previous = slot.previous && lookup(slot.previous.thumbprint);
  if (!previous || Date.parse(previous.notAfter) > now.getTime()) return [];
  return [finding('previous.expired', 'warning',
    `The previous ${use} certificate ${previous.thumbprint} expired on ${day(previous.notAfter)} and is still kept${serverFqdn ? ` on ${serverFqdn}` : ''}; it no longer validates anything.`,
    { path: `${slotPath}.previous`, thumbprint: previous.thumbprint, use, serverFqdn }, removeCommand)];
}

// ---------------------------------------------------------------------------------------------
// The whole deployment
// ---------------------------------------------------------------------------------------------

function lookupIn(store: StoredCertificate[]): Lookup {
  return (thumbprint) => store.find((c) => c.thumbprint === thumbprint);
}

interface FrontEnd {
  server: Server;
  path: string;
  /** Thumbprint of its local OAuthTokenIssuer slot's current certificate. */
  oauth?: string;
}

export function evaluateRules(state: Deployment, now: Date, options: RuleOptions = {}): Finding[] {
  const warnDays = options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
  const findings: Finding[] = [];
  const frontEnds: FrontEnd[] = [];
  state.pools.forEach((pool, poolIndex) => pool.servers.forEach((server, serverIndex) => {
    const path = serverPath({ poolIndex, serverIndex });
    if (receivesGlobalCertificates(pool)) frontEnds.push({ server, path, oauth: server.assignments.OAuthTokenIssuer?.current?.thumbprint });
    serverFindings(state, pool, server, path, now, warnDays, findings);
  }));
  const globalSlot = state.cms.assignments.OAuthTokenIssuer;
  if (globalSlot) {
    globalSlotFindings(state, globalSlot, now, warnDays, findings);
    for (const fe of frontEnds) frontEndOAuthFindings(state, fe, findings);
  } else manualPathFindings(frontEnds, findings);
  return findings;
}

/** The global OAuthTokenIssuer slot itself: assigned, its certificate fit, its roll and previous certificate. */
function globalSlotFindings(state: Deployment, slot: Slot, now: Date, warnDays: number, out: Finding[]): void {
  const lookup = lookupIn(state.cms.certificates);
  const expected = slot.current?.thumbprint;
  if (!expected) {
    out.push(finding('oauth.missing', 'error',
      `"Unable to locate a OAuthTokenIssuer certificate": none is assigned at global scope${slot.pending ? `; the staged one becomes current only on ${day(slot.pending.effectiveDate)}` : ''}. Server-to-server authentication needs one.`,
      { path: OAUTH_GLOBAL_PATH, use: 'OAuthTokenIssuer' }, ASSIGN_OAUTH_FIX));
  } else {
    const index = state.cms.certificates.findIndex((c) => c.thumbprint === expected);
    if (index < 0) {
      out.push(finding('oauth.thumbprint-not-found', 'error',
        `"The OAuthTokenIssuer does not have a valid thumbprint": ${expected} is not among the certificates the Central Management store holds.`,
        { path: `${OAUTH_GLOBAL_PATH}.current`, thumbprint: expected, use: 'OAuthTokenIssuer' }, `Assign it again: ${setGlobalOAuth()}`));
    } else {
      const cert = state.cms.certificates[index];
      const findings = checkOAuthCandidate(cert, state.sipDomains, now, { expiryWarningDays: warnDays, where: { path: `cms.certificates[${index}]`, thumbprint: expected, use: 'OAuthTokenIssuer' } });
      // A roll staged before the expiry answers the expiry warning; checkPendingRoll judges whether it comes early enough.
      const rollBeforeExpiry = slot.pending !== undefined && Date.parse(slot.pending.effectiveDate) < Date.parse(cert.notAfter);
      out.push(...(rollBeforeExpiry ? findings.filter((f) => f.rule !== 'oauth.expiring') : findings));
    }
  }
  out.push(...checkPendingRoll(slot, 'OAuthTokenIssuer', lookup, OAUTH_GLOBAL_PATH));
  out.push(...previousFindings(slot, 'OAuthTokenIssuer', lookup, now, OAUTH_GLOBAL_PATH, renderPowerShell({ cmdlet: 'Remove-CsCertificate', type: ['OAuthTokenIssuer'], previous: true })));
}

/** Whether one Front End holds what the global OAuthTokenIssuer slot says (depends on that server and the CMS only). */
function frontEndOAuthFindings(state: Deployment, fe: FrontEnd, out: Finding[]): void {
  const expected = state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint;
  const where: Location = { path: `${fe.path}.assignments.OAuthTokenIssuer`, serverFqdn: fe.server.fqdn, thumbprint: fe.oauth, use: 'OAuthTokenIssuer' };
  if (fe.oauth === expected) {
    if (expected && !fe.server.certificates.some((c) => c.thumbprint === expected && c.hasPrivateKey)) {
      out.push(finding('oauth.fe-no-private-key', 'error',
        `${fe.server.fqdn} is assigned the OAuthTokenIssuer certificate ${expected} but its store has no private key for it, so it cannot sign tokens.`,
        where, renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: fe.server.fqdn })));
    }
    return;
  }
  const r = fe.server.replica;
  const has = fe.oauth ? `still uses ${fe.oauth}` : 'has no OAuthTokenIssuer certificate';
  const wants = expected ? `the global one is ${expected}` : 'the global assignment was removed';
  if (r.unreachable) {
    out.push(finding('oauth.replication-failed', 'error',
      `${fe.server.fqdn} ${has}, but ${wants}: replication to it fails (the replica is unreachable). Every Front End and Director must use the same certificate.`,
      where, `Restore the connection, then: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: fe.server.fqdn })}`));
  } else if (r.appliedVersion < state.cms.version) {
    out.push(finding('oauth.replication-pending', 'warning',
      `${fe.server.fqdn} ${has}; ${wants}. Its replica is at version ${r.appliedVersion} of ${state.cms.version}: replication has not deployed it yet.`,
      where, renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: fe.server.fqdn })));
  } else {
    out.push(finding('oauth.fe-mismatch', 'error',
      `${fe.server.fqdn} ${has} although its replica is up to date and ${wants}. Every Front End and Director must use the same OAuthTokenIssuer certificate.`,
      where, `Let replication set it again: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: fe.server.fqdn })}`));
  }
}

/**
 * No global assignment has ever been made: either nothing is assigned, or the manual path was used (Certificates
 * MMC export/import plus an assignment on each Front End [S7]), which nothing replicates — so check that every
 * Front End ended up with the same certificate.
 */
function manualPathFindings(frontEnds: FrontEnd[], out: Finding[]): void {
  const assigned = frontEnds.filter((fe) => fe.oauth);
  if (!assigned.length) {
    out.push(finding('oauth.missing', 'error',
      '"Unable to locate a OAuthTokenIssuer certificate": none is assigned. Server-to-server authentication (e.g. with Exchange or SharePoint) needs one.',
      { path: OAUTH_GLOBAL_PATH, use: 'OAuthTokenIssuer' }, ASSIGN_OAUTH_FIX));
    return;
  }
  out.push(finding('oauth.local-assignment', 'warning',
    `The OAuthTokenIssuer certificate is assigned on each Front End separately (${assigned.map((fe) => fe.server.fqdn).join(', ')}): Skype for Business Server does not replicate it, so every Front End must be kept in step by hand.`,
    { path: OAUTH_GLOBAL_PATH, use: 'OAuthTokenIssuer' }, `Assign it once at global scope and let replication deploy it: ${setGlobalOAuth(assigned[0].oauth)}`, true));
  const counts = new Map<string, number>();
  for (const fe of assigned) counts.set(fe.oauth!, (counts.get(fe.oauth!) ?? 0) + 1);
  const [common] = [...counts.entries()].reduce((best, e) => (e[1] > best[1] ? e : best));
  const holders = assigned.filter((fe) => fe.oauth === common).map((fe) => fe.server.fqdn).join(', ');
  for (const fe of frontEnds) {
    if (fe.oauth === common) continue;
    const where: Location = { path: `${fe.path}.assignments.OAuthTokenIssuer`, serverFqdn: fe.server.fqdn, thumbprint: fe.oauth, use: 'OAuthTokenIssuer' };
    const inStore = fe.server.certificates.some((c) => c.thumbprint === common);
    const fix = inStore
      ? `On ${fe.server.fqdn}: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', type: ['OAuthTokenIssuer'], thumbprint: common })} — or assign it once globally: ${setGlobalOAuth(common)}`
      : `Export ${common} with its private key (Certificates MMC) and import it on ${fe.server.fqdn}, then assign it there — or assign it once globally: ${setGlobalOAuth(common)}`;
    out.push(fe.oauth
      ? finding('oauth.fe-mismatch', 'error', `${fe.server.fqdn} uses the OAuthTokenIssuer certificate ${fe.oauth}, while ${holders} use ${common}. Every Front End and Director must use the same certificate.`, where, fix)
      : finding('oauth.fe-missing', 'error', `${fe.server.fqdn} has no OAuthTokenIssuer certificate, while ${holders} use ${common}. Every Front End and Director must use the same certificate; the manual (MMC) path is not replicated.`, where, fix));
  }
}

/** Per-computer assignments: each certificate in use must be in the store, valid, with its private key. */
function serverFindings(state: Deployment, pool: Pool, server: Server, path: string, now: Date, warnDays: number, out: Finding[]): void {
  const lookup = lookupIn(server.certificates);
  const globalSlot = state.cms.assignments.OAuthTokenIssuer;
  const checked: string[] = [];
  for (const use in server.assignments) {
    const slot = server.assignments[use as CertUse];
    // A replicated copy of the global slot is judged once, at the CMS (globalFindings).
    if (!slot || (use === 'OAuthTokenIssuer' && globalSlot && receivesGlobalCertificates(pool))) continue;
    const slotPath = `${path}.assignments.${use}`;
    const current = slot.current;
    if (current) {
      const index = server.certificates.findIndex((c) => c.thumbprint === current.thumbprint);
      if (index < 0) {
        out.push(finding('cert.not-in-store', 'error', `${use} on ${server.fqdn} is assigned ${current.thumbprint}, which is not in the computer's certificate store.`,
          { path: `${slotPath}.current`, serverFqdn: server.fqdn, thumbprint: current.thumbprint, use: use as CertUse },
          `Import the certificate on ${server.fqdn} (Import-CsCertificate -Path … -Password $pfxPassword), or assign another: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', type: [use as CertUse], thumbprint: '<thumbprint>' })}`));
      } else {
        const cert = server.certificates[index];
        const where: Location = { path: `${path}.certificates[${index}]`, serverFqdn: server.fqdn, thumbprint: cert.thumbprint, use: use as CertUse };
        if (!checked.includes(current.thumbprint)) {
          checked.push(current.thumbprint);
          out.push(...checkCertificateForUse(cert, use as CertUse, state.sipDomains, now, { expiryWarningDays: warnDays, where, server, pool }));
        } else {
          // Validity and key are judged once per certificate; the names each use needs, for every use.
          out.push(...roleNameFindings(cert, use as CertUse, server, pool, state.sipDomains, where));
        }
      }
    }
    out.push(...checkPendingRoll(slot, use as CertUse, lookup, slotPath, server.fqdn));
    out.push(...previousFindings(slot, use as CertUse, lookup, now, slotPath, `On ${server.fqdn}: ${renderPowerShell({ cmdlet: 'Remove-CsCertificate', type: [use as CertUse], previous: true })}`, server.fqdn));
  }
}

/**
 * The checks for a certificate serving `use`: OAuthTokenIssuer → checkOAuthCandidate; any other use → validity,
 * private key and key length (1024 bits is supported, 2048 recommended).
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
  if (options.server && options.pool) out.push(...roleNameFindings(cert, use, options.server, options.pool, sipDomains, where));
  if (cert.keyAlgorithm === 'RSA' && cert.keySize < MIN_OAUTH_KEY_BITS) {
    out.push(finding('cert.key-size', 'info',
      `The ${use} certificate ${cert.thumbprint}${on} has a ${cert.keySize}-bit key; 1024 bits is supported, 2048 or more is recommended.`,
      where, `Request its replacement with -KeySize ${MIN_OAUTH_KEY_BITS}.`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The same evaluation, recomputing only what changed
// ---------------------------------------------------------------------------------------------

interface ServerMemo {
  path: string;
  /** Its pool receives the global certificates (Front End or Standard Edition). */
  frontEnd: boolean;
  /** The server's own findings (its per-computer assignments). */
  own: Finding[];
  /** Whether it holds what the global OAuthTokenIssuer slot says, for `oauthKey`. */
  oauth?: Finding[];
  oauthKey?: string;
}

/** Servers evaluated between two steps of IncrementalRules.evaluateSteps. */
const EVALUATION_SLICE = 200;

/**
 * evaluateRules with a memory: a server's findings are kept while the server is the same object (operations never
 * change a deployment in place; they copy what they change, so an untouched server keeps its identity) at the same
 * place, and the inputs it is judged against are the same (now, the warning window, the SIP domains, whether a global
 * OAuthTokenIssuer slot exists, and for a Front End the global thumbprint and CMS version). The result equals
 * evaluateRules' for the same arguments, in the same order; a unit test checks that on random operation sequences.
 */
export class IncrementalRules {
  private memo = new WeakMap<Server, ServerMemo>();
  private contextKey: unknown[] = [];
  private global: { cms: Deployment['cms']; findings: Finding[] } | undefined;

  evaluate(state: Deployment, now: Date, options: RuleOptions = {}): Finding[] {
    const steps = this.evaluateSteps(state, now, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * evaluate() in steps of about EVALUATION_SLICE servers: a caller that must not block (the extension, loading a
   * large deployment) does other work between them. An evaluate() meanwhile is safe: if it starts over (another
   * minute, other settings), these steps finish in the memory they started with, which is then dropped.
   */
  *evaluateSteps(state: Deployment, now: Date, options: RuleOptions = {}): Generator<void, Finding[], void> {
    const warnDays = options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
    const globalSlot = state.cms.assignments.OAuthTokenIssuer;
    const context = [now.getTime(), warnDays, state.sipDomains, Boolean(globalSlot)];
    if (context.some((v, i) => v !== this.contextKey[i])) {
      this.memo = new WeakMap();
      this.global = undefined;
      this.contextKey = context;
    }
    const memos = this.memo;
    const findings: Finding[] = [];
    const frontEnds: { fe: FrontEnd; memo: ServerMemo }[] = [];
    let evaluated = 0;
    for (let poolIndex = 0; poolIndex < state.pools.length; poolIndex++) {
      const pool = state.pools[poolIndex];
      const frontEnd = receivesGlobalCertificates(pool);
      for (let serverIndex = 0; serverIndex < pool.servers.length; serverIndex++) {
        const server = pool.servers[serverIndex];
        const path = serverPath({ poolIndex, serverIndex });
        let memo = memos.get(server);
        if (!memo || memo.path !== path || memo.frontEnd !== frontEnd) {
          const own: Finding[] = [];
          serverFindings(state, pool, server, path, now, warnDays, own);
          memo = { path, frontEnd, own };
          memos.set(server, memo);
          if (++evaluated % EVALUATION_SLICE === 0) yield;
        }
        for (const f of memo.own) findings.push(f);
        if (frontEnd) frontEnds.push({ fe: { server, path, oauth: server.assignments.OAuthTokenIssuer?.current?.thumbprint }, memo });
      }
    }
    if (!globalSlot) {
      manualPathFindings(frontEnds.map((f) => f.fe), findings);
      return findings;
    }
    let global = this.global;
    if (global?.cms !== state.cms || memos !== this.memo) {
      global = { cms: state.cms, findings: [] };
      globalSlotFindings(state, globalSlot, now, warnDays, global.findings);
      if (memos === this.memo) this.global = global;
    }
    for (const f of global.findings) findings.push(f);
    const oauthKey = `${globalSlot.current?.thumbprint ?? ''}|${state.cms.version}`;
    for (const { fe, memo } of frontEnds) {
      if (memo.oauthKey !== oauthKey || !memo.oauth) {
        memo.oauth = [];
        frontEndOAuthFindings(state, fe, memo.oauth);
        memo.oauthKey = oauthKey;
        if (++evaluated % EVALUATION_SLICE === 0) yield;
      }
      for (const f of memo.oauth) findings.push(f);
    }
    return findings;
  }
}
