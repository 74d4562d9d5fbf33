// The rules over a whole deployment → findings: every server's per-computer assignments, the global
// OAuthTokenIssuer slot, whether each Front End and Director holds it, and each replica's replication. The checks of
// one certificate and one slot are in certificateChecks.ts. Runs in one pass over the servers, so it stays fast on
// 12,000 of them.
import { roleNameFindings } from './roleNames';
import { renderPowerShell } from './cmdlets';
import {
  DEFAULT_EXPIRY_WARNING_DAYS, OAUTH_GLOBAL_PATH, checkCertificateForUse, checkOAuthCandidate, checkPendingRoll, previousFindings,
  type Lookup, type RuleOptions,
} from './certificateChecks';
import { day, finding, setGlobalOAuth } from './findings';
import { POOL_KIND_LABELS, type CertUse, type Deployment, type Finding, type Location, type Pool, type Server, type Slot, type StoredCertificate } from './model';
import { deploymentVersion, productName, receivesGlobalCertificates, serverPath, serverVersion, useMissingFromVersion } from './topology';

const ASSIGN_OAUTH_FIX = `$x = (Get-CsCertificate -Type Default).Thumbprint; ${setGlobalOAuth()}  — or import one: ${renderPowerShell({
  cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\ServerToServerAuth.pfx', password: '',
})}`;


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
  const behind: Replica[] = [];
  state.pools.forEach((pool, poolIndex) => pool.servers.forEach((server, serverIndex) => {
    const path = serverPath({ poolIndex, serverIndex });
    if (receivesGlobalCertificates(pool)) frontEnds.push({ server, path, oauth: server.assignments.OAuthTokenIssuer?.current?.thumbprint });
    if (isBehind(state, server)) behind.push({ server, pool, path });
    serverFindings(state, pool, server, path, now, warnDays, findings);
  }));
  const globalSlot = state.cms.assignments.OAuthTokenIssuer;
  if (globalSlot) {
    globalSlotFindings(state, globalSlot, now, warnDays, findings);
    for (const fe of frontEnds) frontEndOAuthFindings(state, fe, findings);
  } else manualPathFindings(frontEnds, findings);
  replicaFindings(state, behind, findings);
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Replication of the Central Management store to every replica
// ---------------------------------------------------------------------------------------------

interface Replica {
  server: Server;
  pool: Pool;
  path: string;
}

/**
 * Get-CsManagementStoreReplicationStatus would say UpToDate False [S5]: the replica lags the CMS, or cannot be
 * reached. A replica the model has never seen replicate (version 0, no status report, as a topology import leaves
 * every server) is not known to lag: the model cannot tell.
 */
function isBehind(state: Deployment, server: Server): boolean {
  const r = server.replica;
  if (r.unreachable) return true;
  if (r.appliedVersion >= state.cms.version) return false;
  return r.appliedVersion > 0 || r.lastStatusReport !== undefined || r.lastUpdateCreation !== undefined;
}

/**
 * Every replica that has not applied the Central Management store's latest version (UpToDate False [S5]): Edge,
 * Mediation and Director servers as well as Front Ends. A Front End or Director whose lag already shows as its
 * OAuthTokenIssuer finding (oauth.replication-pending / -failed) gets no second one. One rule per cause (behind,
 * unreachable), so the Problems panel groups hundreds of them into one entry each.
 */
function replicaFindings(state: Deployment, behind: readonly Replica[], out: Finding[]): void {
  if (!behind.length) return;
  const covered = new Set<string>();
  for (const f of out) if (f.where.serverFqdn && (f.rule === 'oauth.replication-pending' || f.rule === 'oauth.replication-failed')) covered.add(f.where.serverFqdn);
  for (const { server, pool, path } of behind) {
    if (covered.has(server.fqdn)) continue;
    const r = server.replica;
    const where: Location = { path: `${path}.replica`, serverFqdn: server.fqdn };
    const what = `${server.fqdn} (${POOL_KIND_LABELS[pool.kind]} ${pool.fqdn})`;
    const invoke = renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: server.fqdn });
    out.push(r.unreachable
      ? finding('replica.unreachable', 'warning',
        `${what} has not applied the latest Central Management store version: replication to it fails (the replica is unreachable; it is at version ${r.appliedVersion} of ${state.cms.version}). Configuration changes, certificate assignments included, do not reach it.`,
        where, `Restore the connection, then: ${invoke}`)
      : finding('replica.behind', 'info',
        `${what} has not applied the latest Central Management store version: its replica is at version ${r.appliedVersion} of ${state.cms.version} (UpToDate False).`,
        where, `Wait for replication, or force it: ${invoke}`));
  }
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
    { path: OAUTH_GLOBAL_PATH, use: 'OAuthTokenIssuer' }, `Assign it once at global scope and let replication deploy it: ${setGlobalOAuth(assigned[0].oauth)}`, 'extension-rule'));
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
    if (slot.current || slot.pending) versionFinding(state, server, use as CertUse, slotPath, out);
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
 * An assignment of a use the server's product version does not have: XMPPServer on Skype for Business Server 2019,
 * where XMPP is no longer available [S53] (an inventory of an upgraded Edge, or a file edited by hand). The fix is
 * the Remove-CsCertificate line for that use on that server.
 */
function versionFinding(state: Deployment, server: Server, use: CertUse, slotPath: string, out: Finding[]): void {
  const reading = serverVersion(state, server);
  const why = useMissingFromVersion(use, reading.version);
  if (!why) return;
  out.push(finding('use.not-in-version', 'warning',
    `${server.fqdn} has a certificate assigned to ${use}, but it runs ${productName(reading.version)} (${reading.basis}): ${why}, so nothing uses this assignment.`,
    { path: slotPath, serverFqdn: server.fqdn, thumbprint: server.assignments[use]?.current?.thumbprint, use },
    `Remove the assignment: on ${server.fqdn}, ${renderPowerShell({ cmdlet: 'Remove-CsCertificate', type: [use] })}`, reading.known ? 'product' : 'extension-rule'));
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

/** A pool's part of the evaluation, kept while the pool is the same object at the same place and the CMS version is the same. */
interface PoolMemo {
  poolIndex: number;
  frontEnd: boolean;
  cmsVersion: number;
  own: Finding[];
  behind: Replica[];
  frontEnds: { fe: FrontEnd; memo: ServerMemo }[];
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
  /** Per pool (an untouched pool keeps its identity too): its servers' parts, so 12,000 servers cost 1,000 look-ups. */
  private poolMemo = new WeakMap<Pool, PoolMemo>();
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
    // The deployment's product version decides which uses exist (versionFinding): set by hand, it changes no server.
    const context = [now.getTime(), warnDays, state.sipDomains, Boolean(globalSlot), deploymentVersion(state).version, deploymentVersion(state).from];
    if (context.some((v, i) => v !== this.contextKey[i])) {
      this.memo = new WeakMap();
      this.poolMemo = new WeakMap();
      this.global = undefined;
      this.contextKey = context;
    }
    const memos = this.memo;
    const poolMemos = this.poolMemo;
    const findings: Finding[] = [];
    const frontEnds: { fe: FrontEnd; memo: ServerMemo }[] = [];
    const behind: Replica[] = [];
    let evaluated = 0;
    for (let poolIndex = 0; poolIndex < state.pools.length; poolIndex++) {
      const pool = state.pools[poolIndex];
      const frontEnd = receivesGlobalCertificates(pool);
      const kept = poolMemos.get(pool);
      if (kept && kept.poolIndex === poolIndex && kept.frontEnd === frontEnd && kept.cmsVersion === state.cms.version) {
        for (const f of kept.own) findings.push(f);
        for (const b of kept.behind) behind.push(b);
        for (const x of kept.frontEnds) frontEnds.push(x);
        continue;
      }
      const part: PoolMemo = { poolIndex, frontEnd, cmsVersion: state.cms.version, own: [], behind: [], frontEnds: [] };
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
        for (const f of memo.own) part.own.push(f);
        if (isBehind(state, server)) part.behind.push({ server, pool, path });
        if (frontEnd) part.frontEnds.push({ fe: { server, path, oauth: server.assignments.OAuthTokenIssuer?.current?.thumbprint }, memo });
      }
      poolMemos.set(pool, part);
      for (const f of part.own) findings.push(f);
      for (const b of part.behind) behind.push(b);
      for (const x of part.frontEnds) frontEnds.push(x);
    }
    if (!globalSlot) {
      manualPathFindings(frontEnds.map((f) => f.fe), findings);
      replicaFindings(state, behind, findings);
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
    replicaFindings(state, behind, findings);
    return findings;
  }
}
