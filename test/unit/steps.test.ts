// src/ui/steps.ts: long work in steps lets other work run between two steps, reports each step, and a stop between
// two steps ends the run there (nothing after it is done).
import * as assert from 'node:assert/strict';
import { StepsStopped, inSteps } from '../../src/ui/steps';

function* counted(log: string[], n: number): Generator<number, string, void> {
  for (let i = 0; i < n; i++) {
    log.push(`step ${i}`);
    yield i;
  }
  log.push('end');
  return 'done';
}

describe('inSteps (src/ui/steps.ts)', () => {
  it('lets other work run between two steps and reports each step', async () => {
    const log: string[] = [];
    let ticks = 0;
    let ticking = true;
    const tick = () => { ticks++; log.push('other work'); if (ticking) setImmediate(tick); };
    setImmediate(tick);
    const seen: number[] = [];
    const result = await inSteps(counted(log, 3), { onStep: (i) => seen.push(i) });
    ticking = false;
    assert.equal(result, 'done');
    assert.deepEqual(seen, [0, 1, 2]);
    // Other work ran between every two steps, not only after the last one.
    for (let i = 0; i < 2; i++) assert.ok(log.indexOf(`step ${i + 1}`) > log.indexOf('other work', log.indexOf(`step ${i}`)), log.join(', '));
    assert.ok(ticks >= 3);
  });

  it('stops between two steps when asked, without doing the rest', async () => {
    const log: string[] = [];
    let asked = 0;
    await assert.rejects(inSteps(counted(log, 5), { stop: () => ++asked === 2 }), StepsStopped);
    assert.deepEqual(log, ['step 0', 'step 1']);
  });
});
