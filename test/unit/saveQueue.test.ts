// The live deployment's saves: one at a time, coalesced, nothing lost — by closing during a save (flush) or by the
// process being killed in the middle of one (the file on disk is always a whole version that loads).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDeployment, saveDeployment, type Deployment } from '../../src/core';
import { SaveQueue } from '../../src/ui/saveQueue';
import { largeDeployment } from '../bench/largeDeployment';

/** A writer whose writes finish when the test says so. */
function gatedWriter() {
  const written: number[] = [];
  const gates: (() => void)[] = [];
  let failNext: Error | undefined;
  const write = (state: number) => new Promise<void>((resolve, reject) => {
    gates.push(() => {
      if (failNext) {
        const e = failNext;
        failNext = undefined;
        reject(e);
        return;
      }
      written.push(state);
      resolve();
    });
  });
  return { written, write, open: () => gates.shift()?.(), failWith: (e: Error) => { failNext = e; }, get waiting() { return gates.length; } };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SaveQueue (the live deployment\'s saves)', () => {
  it('runs one save at a time and writes the changes made meanwhile once, the newest', async () => {
    const w = gatedWriter();
    const q = new SaveQueue<number>(w.write);
    const first = q.save(1);
    const later = [q.save(2), q.save(3), q.save(4)];
    await tick();
    assert.equal(w.waiting, 1, 'the second save waits for the first');
    w.open();
    await first;
    await tick();
    assert.equal(w.waiting, 1, 'the three changes made during it are one save');
    w.open();
    await Promise.all(later);
    assert.deepEqual(w.written, [1, 4]);
    assert.equal(q.busy, false);
  });

  it('flush (on deactivate, when VS Code closes) waits for the running save and the one queued behind it', async () => {
    const w = gatedWriter();
    const q = new SaveQueue<number>(w.write);
    void q.save(1);
    void q.save(2);
    let flushed = false;
    const flushing = q.flush().then(() => { flushed = true; });
    await tick();
    assert.equal(flushed, false);
    w.open();
    await tick();
    await tick();
    assert.equal(flushed, false, 'the queued save still runs');
    w.open();
    await flushing;
    assert.deepEqual(w.written, [1, 2], 'nothing lost');
  });

  it('reports a failed save to the callers whose change it held, and goes on with the next', async () => {
    const w = gatedWriter();
    const q = new SaveQueue<number>(w.write);
    const first = q.save(1);
    await tick();
    w.failWith(new Error('disk full'));
    w.open();
    await assert.rejects(first, /disk full/);
    const second = q.save(2);
    await tick();
    w.open();
    await second;
    assert.deepEqual(w.written, [2]);
  });

  it('leaves a whole, loadable version on disk when the process is killed during saves', async function () {
    this.timeout(120000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-kill-'));
    try {
      const file = path.join(dir, 'sfb-deployment.json');
      const base = largeDeployment(600); // about 9 MB: a save takes long enough to be cut in the middle
      saveDeployment(fs, file, base);
      // A child process saves versions 1, 2, 3, … through a SaveQueue as fast as it can; it is killed mid-way.
      const child = spawn(process.execPath, ['-e', `
        const fs = require('node:fs');
        const { saveDeployment } = require(${JSON.stringify(path.resolve(__dirname, '../../src/core/index.js'))});
        const { SaveQueue } = require(${JSON.stringify(path.resolve(__dirname, '../../src/ui/saveQueue.js'))});
        const base = JSON.parse(fs.readFileSync(${JSON.stringify(file)}, 'utf8'));
        const q = new SaveQueue(async (d) => { saveDeployment(fs, ${JSON.stringify(file)}, d); process.stdout.write(d.name + '\\n'); });
        let n = 0;
        const more = () => { n++; void q.save({ ...base, name: 'version ' + n }); setImmediate(more); };
        more();
      `], { stdio: ['ignore', 'pipe', 'inherit'] });
      let saved = '';
      child.stdout.on('data', (c) => { saved += String(c); });
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (saved.split('\n').length > 4) {
            clearInterval(check);
            setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 37);
          }
        }, 5);
      });
      await new Promise((r) => child.on('exit', r));
      const parsed = parseDeployment(fs.readFileSync(file, 'utf8'));
      assert.ok(parsed.ok, 'the file loads');
      const name = (parsed.deployment as Deployment).name;
      assert.match(name, /^version \d+$/);
      const reported = saved.trim().split('\n');
      const n = Number(name.split(' ')[1]);
      assert.ok(n >= Number(reported.at(-1)!.split(' ')[1]), `the file holds the last completed save or a later one (${name}; last reported ${reported.at(-1)})`);
      assert.ok(parseDeployment(fs.readFileSync(`${file}.bak`, 'utf8')).ok, 'and so does its .bak');
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp-')).length <= 1, true, 'at most the one temporary file of the interrupted save is left');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
