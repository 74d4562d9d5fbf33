// Benchmark: a generated deployment of 12,000 servers holding 50,000 certificates.
// Measures one global Set-CsCertificate plus the replication bookkeeping over every Front End (target ≤ 50 ms),
// rule evaluation, and the other whole-deployment passes. Prints PASS/MISS against that target, and every time also as
// a ratio to a reference measured in the same run (JSON.stringify of the deployment, as a save does); asserts nothing.
//   npx tsc -p tsconfig.test.json && node out/test/bench/operations.bench.js
import { applyDueRolls, fixedClock } from '../../src/core/clock';
import type { OperationOk, OperationOutcome } from '../../src/core/model';
import { runOperation } from '../../src/core/operations';
import { evaluateRules } from '../../src/core/rules';
import { countOf, largeDeployment, thumbprint } from './largeDeployment';
import { medianMs } from './measure';

const NOW = new Date('2026-03-01T12:00:00Z');
const clock = fixedClock(NOW);

function time(work: () => unknown, runs = 9): number {
  return medianMs(work, runs);
}

/** Machine speed in this run: serializing the whole deployment, as saving the store file does. */
let referenceMs = 1;

/** One row: the median time, its ratio to the reference and, where the issue sets one, the target it must meet. */
function report(name: string, ms: number, targetMs?: number): boolean {
  const pass = targetMs === undefined || ms <= targetMs;
  const verdict = targetMs === undefined ? '    ' : pass ? 'PASS' : 'MISS';
  const target = targetMs === undefined ? ''.padEnd(31) : `≤ ${String(targetMs).padStart(3)} ms: ${(ms / targetMs).toFixed(2)} of target`;
  console.log(`${verdict}  ${name.padEnd(62)} ${ms.toFixed(1).padStart(7)} ms  ${target}  ${(ms / referenceMs).toFixed(3)} × reference`);
  return pass;
}

function must<R>(outcome: OperationOutcome<R>): OperationOk<R> {
  if (!outcome.ok) throw new Error(`operation failed: ${outcome.error.message}`);
  return outcome;
}

function main(): void {
  const built = process.hrtime.bigint();
  const state = largeDeployment();
  const { servers, certificates } = countOf(state);
  console.log(`Deployment: ${state.pools.length} pools, ${servers} servers, ${certificates} certificates (generated in ${(Number(process.hrtime.bigint() - built) / 1e6).toFixed(0)} ms)`);
  referenceMs = time(() => JSON.stringify(state), 5);
  console.log(`Node ${process.version}; reference (JSON.stringify of the deployment, as a save does): ${referenceMs.toFixed(1)} ms\n`);

  const set = { cmdlet: 'Set-CsCertificate' as const, identity: 'global' as const, type: ['OAuthTokenIssuer' as const], thumbprint: thumbprint(2), computer: 'fe0.contoso.com' };
  const afterSet = must(runOperation(state, set, clock)).state;
  report('Set-CsCertificate -Identity global (CMS copy, slot, version)', time(() => runOperation(state, set, clock)));
  report('Invoke-CsManagementStoreReplication over 12,000 replicas', time(() => runOperation(afterSet, { cmdlet: 'Invoke-CsManagementStoreReplication' }, clock)));
  const targetMet = report('one global Set + replication bookkeeping (together)', time(() => {
    const s = must(runOperation(state, set, clock)).state;
    return runOperation(s, { cmdlet: 'Invoke-CsManagementStoreReplication' }, clock);
  }), 50);
  report('evaluateRules (every Front End in step)', time(() => evaluateRules(state, NOW)));
  report('evaluateRules while replication is pending (12,000 findings)', time(() => evaluateRules(afterSet, NOW)));
  report('applyDueRolls scan (nothing due)', time(() => applyDueRolls(state, NOW)));
  report('Get-CsManagementStoreReplicationStatus (all replicas)', time(() => runOperation(afterSet, { cmdlet: 'Get-CsManagementStoreReplicationStatus' }, clock)));
  report('Get-CsCertificate -Type OAuthTokenIssuer (one computer)', time(() => runOperation(state, { cmdlet: 'Get-CsCertificate', computer: 'fe11999.contoso.com', type: ['OAuthTokenIssuer'] }, clock)));

  const findings = evaluateRules(afterSet, NOW);
  console.log(`\nFindings after the Set, before replication: ${findings.length} (${[...new Set(findings.map((f) => f.rule))].join(', ')})`);
  console.log(targetMet ? 'Target met: one global Set + replication bookkeeping ≤ 50 ms.' : 'Target MISSED: one global Set + replication bookkeeping ≤ 50 ms.');
}

main();
