// Benchmark: reading PFX files with this module (warm, in-process), with `openssl pkcs12 -nodes` (a whole process, as
// an administrator runs it) and with plain node-forge (pkcs12FromAsn1, which does its key derivation and ciphers in
// pure JS). Prints, per fixture, the median times in ms and ours ÷ openssl, against the target of ≤ 0.5 for OpenSSL 3
// and Windows-style files. Asserts nothing.
//   npx tsc -p tsconfig.test.json && node out/test/bench/certificates.bench.js
import { spawnSync } from 'node:child_process';
import * as forge from 'node-forge';
import { readCertificateFile } from '../../src/core';
import { makeFixtures, requireOpenssl, type Fixture } from '../fixtures/makeFixtures';
import { medianMs } from './measure';

const TARGET = 0.5;
const TARGETED_STYLES = ['openssl3', 'windows'];
const RUNS = { ours: 41, openssl: 21, forge: 11 };

/** Median of `runs` timed runs after one warm-up, in ms; undefined when the work throws. */
function time(work: () => unknown, runs: number): number | undefined {
  try {
    work();
  } catch {
    return undefined;
  }
  return medianMs(work, runs);
}

function ours(fixture: Fixture): () => void {
  return () => {
    const result = readCertificateFile(fixture.bytes, { password: fixture.password });
    if (!result.ok) throw new Error(result.error.message);
  };
}

function opensslProcess(fixture: Fixture): () => void {
  const args = ['pkcs12', '-in', fixture.file, '-nodes', '-passin', fixture.password === undefined ? 'pass:' : 'env:SFB_BENCH_PASSWORD', ...(fixture.legacy ? ['-legacy'] : [])];
  const env = { ...process.env, SFB_BENCH_PASSWORD: fixture.password ?? '' };
  return () => {
    const run = spawnSync('openssl', args, { env });
    if (run.status !== 0) throw new Error(run.stderr.toString());
  };
}

function forgeOnly(fixture: Fixture): () => void {
  const binary = fixture.bytes.toString('binary');
  return () => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(binary), fixture.password ?? '');
}

function cell(ms: number | undefined, width: number): string {
  return (ms === undefined ? 'n/a' : ms.toFixed(2)).padStart(width);
}

function main(): void {
  const version = requireOpenssl();
  const fixtures = makeFixtures();
  try {
    console.log(`Node ${process.version}, ${version}; medians of ${RUNS.ours} (ours), ${RUNS.openssl} (openssl), ${RUNS.forge} (forge) runs\n`);
    console.log(`${'fixture'.padEnd(26)} ${'ours ms'.padStart(8)} ${'openssl ms'.padStart(11)} ${'forge ms'.padStart(9)} ${'ours÷openssl'.padStart(13)}  target`);
    const verdicts: boolean[] = [];
    for (const fixture of fixtures.list.filter((f) => f.name.endsWith('.pfx') && f.expect === 'ok' && !f.fuzzSeed)) {
      (globalThis as { gc?: () => void }).gc?.();
      const oursMs = time(ours(fixture), RUNS.ours);
      const opensslMs = time(opensslProcess(fixture), RUNS.openssl);
      const forgeMs = time(forgeOnly(fixture), RUNS.forge);
      const ratio = oursMs !== undefined && opensslMs !== undefined ? oursMs / opensslMs : undefined;
      let target = '';
      if (TARGETED_STYLES.includes(fixture.style)) {
        const pass = ratio !== undefined && ratio <= TARGET;
        verdicts.push(pass);
        target = `≤ ${TARGET}  ${pass ? 'PASS' : 'MISS'}`;
      }
      console.log(`${fixture.name.padEnd(26)} ${cell(oursMs, 8)} ${cell(opensslMs, 11)} ${cell(forgeMs, 9)} ${cell(ratio, 13)}  ${target}`);
    }
    console.log(`\ntarget ≤ ${TARGET} for OpenSSL-3 and Windows-style files: ${verdicts.filter(Boolean).length} of ${verdicts.length} PASS${verdicts.every(Boolean) ? '' : ' (MISS)'}`);
    console.log('forge ms: node-forge alone (pkcs12FromAsn1); n/a where node-forge cannot read the file.');
  } finally {
    fixtures.dispose();
  }
}

main();
