// Benchmark: the store file of a 12,000-server / 50,000-certificate deployment (about 170 MB of JSON).
// Target: load + validate takes at most 2.0 × a plain JSON.parse of the same text — measured from the text in
// memory, and from the file (where the reference reads the file too). Also reports serialize and save times (check
// the file on disk, write + fsync, .bak, rename). Medians of paired runs; prints PASS/MISS; asserts nothing.
//   npx tsc -p tsconfig.test.json && node --expose-gc out/test/bench/store.bench.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDeployment, parseDeployment, saveDeployment, serializeDeployment } from '../../src/core/deploymentFile';
import { countOf, largeDeployment } from './largeDeployment';
import { median, once } from './measure';

const TARGET_RATIO = 2.0;

/**
 * Runs the reference and each measured task back to back, `runs` times after a warm-up, and returns median times
 * and median ratios to the reference: pairing each run with its own reference keeps the ratios steady on a busy machine.
 */
function measure(reference: () => unknown, tasks: Record<string, () => unknown>, runs: number): { reference: number; times: Record<string, number>; ratios: Record<string, number> } {
  reference();
  for (const task of Object.values(tasks)) task();
  const refs: number[] = [];
  const samples: Record<string, { time: number[]; ratio: number[] }> = {};
  for (let i = 0; i < runs; i++) {
    const ref = once(reference);
    refs.push(ref);
    for (const [name, task] of Object.entries(tasks)) {
      const t = once(task);
      samples[name] ??= { time: [], ratio: [] };
      samples[name].time.push(t);
      samples[name].ratio.push(t / ref);
    }
  }
  const times: Record<string, number> = {};
  const ratios: Record<string, number> = {};
  for (const [name, s] of Object.entries(samples)) {
    times[name] = median(s.time);
    ratios[name] = median(s.ratio);
  }
  return { reference: median(refs), times, ratios };
}

function ms(value: number): string {
  return `${value.toFixed(0).padStart(6)} ms`;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-store-bench-'));
  try {
    const deployment = largeDeployment();
    const file = path.join(dir, 'sfb-deployment.json');
    const text = serializeDeployment(deployment);
    fs.writeFileSync(file, text);
    const { servers, certificates } = countOf(deployment);
    console.log(`Store file: ${servers} servers, ${certificates} certificates, ${(text.length / 1e6).toFixed(1)} MB · Node ${process.version}\n`);

    const check = loadDeployment(fs, file);
    if (!check.ok) throw new Error(`the generated file does not load: ${check.errors[0].path}: ${check.errors[0].message}`);

    const fromText = measure(() => JSON.parse(text), { parse: () => parseDeployment(text) }, 9);
    const fromFile = measure(() => JSON.parse(fs.readFileSync(file, 'utf8')), { load: () => loadDeployment(fs, file) }, 9);
    const uneven = measure(() => JSON.parse(text), { load: () => loadDeployment(fs, file) }, 5);
    const write = measure(() => JSON.parse(text), { serialize: () => serializeDeployment(deployment), save: () => saveDeployment(fs, file, deployment) }, 5);

    const verdict = (ratio: number): string => (ratio <= TARGET_RATIO ? 'PASS' : 'MISS');
    console.log(`JSON.parse(text) (reference)                        ${ms(fromText.reference)}`);
    console.log(`parseDeployment(text): parse + validate             ${ms(fromText.times.parse)}   ${fromText.ratios.parse.toFixed(2)} × reference`);
    console.log(`JSON.parse(readFileSync(file)) (reference)          ${ms(fromFile.reference)}`);
    console.log(`loadDeployment(file): read + parse + validate       ${ms(fromFile.times.load)}   ${fromFile.ratios.load.toFixed(2)} × reference`);
    console.log(`serializeDeployment                                 ${ms(write.times.serialize)}   ${write.ratios.serialize.toFixed(2)} × JSON.parse(text)`);
    console.log(`saveDeployment: check old file, write + fsync, .bak ${ms(write.times.save)}   ${write.ratios.save.toFixed(2)} × JSON.parse(text)`);
    console.log(`\nTarget: load + validate ≤ ${TARGET_RATIO.toFixed(1)} × plain JSON.parse of the same text (medians of paired runs)`);
    console.log(`${verdict(fromText.ratios.parse)}  from the text: ${fromText.ratios.parse.toFixed(2)} ×`);
    console.log(`${verdict(fromFile.ratios.load)}  from the file (both sides read it): ${fromFile.ratios.load.toFixed(2)} ×`);
    console.log(`      (loadDeployment(file) ÷ JSON.parse(text), reading the ${(text.length / 1e6).toFixed(0)} MB file on one side only: ${uneven.ratios.load.toFixed(2)} ×)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
