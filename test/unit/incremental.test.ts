// Incremental refresh equals a full one: IncrementalRules against evaluateRules, and what changeBetween reports
// against the servers that really differ, over random operation sequences (fixed seed, so a failure reproduces).
import * as assert from 'node:assert/strict';
import { applyDueRolls, changeBetween, clockFor, evaluateRules, IncrementalRules, oauthGroups, receivesGlobalCertificates, runOperation, updateSlot, type CertUse, type Deployment } from '../../src/core';
import { largeDeployment } from '../bench/largeDeployment';
import { random } from '../fixtures/fuzz';
import { randomRequest } from '../fixtures/randomOperations';

/** oauthGroups written plainly, over every server (the core remembers each pool's part). */
function plainOAuthGroups(state: Deployment): { key: string; servers: string[] }[] {
  const slot = state.cms.assignments.OAuthTokenIssuer;
  const key = (s: typeof slot) => `${s?.current?.thumbprint ?? ''}${s?.pending ? ` → ${s.pending.thumbprint} on ${s.pending.effectiveDate}` : ''}`;
  const groups = new Map<string, string[]>();
  for (const pool of state.pools) {
    if (!receivesGlobalCertificates(pool)) continue;
    for (const server of pool.servers) {
      const k = key(slot && !server.replica.unreachable ? slot : server.assignments.OAuthTokenIssuer);
      groups.set(k, [...(groups.get(k) ?? []), server.fqdn]);
    }
  }
  return [...groups].map(([k, servers]) => ({ key: k, servers })).sort((a, b) => b.servers.length - a.servers.length);
}

/** The servers' due rolls applied plainly, over every server (the core skips pools with none due). */
function plainServerRolls(state: Deployment, now: Date): Deployment {
  return {
    ...state,
    pools: state.pools.map((pool) => ({
      ...pool,
      servers: pool.servers.map((server) => {
        let assignments = server.assignments;
        for (const use of Object.keys(assignments) as CertUse[]) {
          const pending = assignments[use]?.pending;
          if (pending && !(Date.parse(pending.effectiveDate) > now.getTime())) assignments = updateSlot(assignments, use, { kind: 'roll' });
        }
        return { ...server, assignments };
      }),
    })),
  };
}

/** The FQDNs of the servers whose object differs between two states with the same topology. */
function differingServers(a: Deployment, b: Deployment): string[] {
  const out: string[] = [];
  a.pools.forEach((p, i) => p.servers.forEach((s, j) => { if (b.pools[i].servers[j] !== s) out.push(s.fqdn); }));
  return out;
}

describe('incremental refresh', () => {
  for (const [name, start] of [
    ['with a global OAuthTokenIssuer slot', () => largeDeployment(30)],
    ['on the manual (MMC) path, without one', () => { const d = largeDeployment(30); return { ...d, cms: { ...d.cms, assignments: {} } }; }],
  ] as const) {
    it(`findings equal a full evaluation after every step of random operation sequences, ${name}`, () => {
      const next = random(18);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
      let steps = 0;
      let changed = 0;
      let serverRolls = 0;
      for (let sequence = 0; sequence < 6; sequence++) {
        let state: Deployment = { ...start(), simulatedNow: '2026-01-01T00:00:00.000Z' };
        const rules = new IncrementalRules();
        for (let step = 0; step < 40; step++) {
          const before = state;
          const outcome = runOperation(state, randomRequest(state, next), clockFor(state));
          if (outcome.ok) state = outcome.state;
          const now = clockFor(state).now();
          const warn = { expiryWarningDays: next() < 0.9 ? 45 : 400 };
          assert.deepEqual(rules.evaluate(state, now, warn), evaluateRules(state, now, warn), `sequence ${sequence}, step ${step}`);
          const change = changeBetween(before, state);
          if (!change.all) {
            assert.deepEqual(change.servers, differingServers(before, state), `the servers it reports touched, step ${step}`);
            assert.equal(change.cms, before.cms !== state.cms);
          }
          assert.deepEqual(oauthGroups(state), plainOAuthGroups(state), `the Front Ends' OAuth end state, step ${step}`);
          const later = new Date(Date.parse(pick(['2025-01-01T00:00:00Z', '2027-05-25T00:00:00Z', '2027-06-01T00:00:00Z', '2030-01-01T00:00:00Z'])));
          const rolled = applyDueRolls(state, later).state;
          if (rolled.pools !== state.pools) serverRolls++;
          assert.deepEqual(rolled.pools, plainServerRolls({ ...state, cms: rolled.cms }, later).pools, `the servers' due rolls at ${later.toISOString()}, step ${step}`);
          if (state !== before) changed++;
          steps++;
        }
      }
      assert.ok(changed > steps / 3, `the sequences change the deployment often enough (${changed} of ${steps})`);
      assert.ok(serverRolls > steps / 10, `rolls staged on servers come due often enough (${serverRolls} of ${steps})`);
    });
  }

  it('recomputes only the servers an operation touched', () => {
    const state = largeDeployment(60);
    const rules = new IncrementalRules();
    const now = new Date('2027-05-01T00:00:00Z'); // every server's certificates near expiry: findings on each
    const first = rules.evaluate(state, now);
    const one = runOperation(state, { cmdlet: 'Simulate-ReplicaReachability', replicaFqdn: 'fe7.contoso.com', reachable: false }, clockFor(state));
    assert.ok(one.ok);
    const second = rules.evaluate(one.state, now);
    assert.deepEqual(second, evaluateRules(one.state, now));
    // Findings of untouched servers are the very same objects: nothing was computed for them again.
    const untouched = first.filter((f) => f.where.serverFqdn && f.where.serverFqdn !== 'fe7.contoso.com');
    assert.ok(untouched.length > 0);
    for (const f of untouched) assert.ok(second.includes(f), `${f.rule} on ${f.where.serverFqdn} reused`);
    assert.deepEqual(changeBetween(state, one.state), { all: false, cms: false, servers: ['fe7.contoso.com'] });
  });

  it('reports a new topology, clock or file as a change of everything', () => {
    const a = largeDeployment(24);
    assert.equal(changeBetween(undefined, a).all, true);
    assert.equal(changeBetween(a, { ...a, simulatedNow: '2026-01-01T00:00:00.000Z' }).all, true);
    assert.equal(changeBetween(a, { ...a, pools: a.pools.slice(1) }).all, true);
    assert.equal(changeBetween(a, largeDeployment(24)).all, true, 'a state read again from disk shares nothing');
    assert.deepEqual(changeBetween(a, a), { all: false, cms: false, servers: [] });
  });
});
