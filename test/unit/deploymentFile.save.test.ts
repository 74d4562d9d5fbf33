// Saving the deployment file: identity kept (a symbolic link stays a link, the mode stays, a read-only file is refused),
// orphaned temporary files cleaned on load, and the asynchronous save — same text and guarantees as the synchronous
// one, writing in slices, and losing nothing when any step fails.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deployment } from '../../src/core/model';
import {
  DEFAULT_DEPLOYMENT_FILE, DeploymentFileError, formatProblem, loadDeployment, parseDeployment, saveDeployment, saveDeploymentAsync, serializeDeployment,
  serializeInPieces, type DeploymentFsAsync, type ParseResult, type WritableFile,
} from '../../src/core/deploymentFile';
import { createSampleDeployment } from '../../src/core/sample';
import { AT, fullDeployment } from '../fixtures/deployment';
import { PEM_KEYS } from '../fixtures/privateKeys';

function nameOf(result: ParseResult): string {
  if (!result.ok) assert.fail(`expected the file to load: ${result.errors.map(formatProblem).join('; ')}`);
  return result.deployment.name;
}

const named = (name: string): Deployment => ({ ...fullDeployment(), name });
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const asRoot = process.getuid?.() === 0;

function wrap(handle: fs.promises.FileHandle): WritableFile {
  return {
    write: (b, o, l) => handle.write(b, o, l),
    sync: () => handle.sync(),
    chmod: (m) => handle.chmod(m),
    close: () => handle.close(),
  };
}

describe('deployment file: saving', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-save-'));
    file = path.join(dir, DEFAULT_DEPLOYMENT_FILE);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const listing = (at = dir) => fs.readdirSync(at).sort();

  describe('file identity (class 10)', () => {
    for (const save of ['sync', 'async'] as const) {
      const write = (target: string, d: Deployment): Promise<string> => (save === 'sync' ? new Promise((resolve) => { resolve(saveDeployment(fs, target, d)); }) : saveDeploymentAsync(fs.promises, target, d).then((r) => r.text));

      it(`${save}: a symbolic link stays a link and its target is updated (also a relative link into another folder)`, async () => {
        const elsewhere = fs.mkdtempSync(path.join(dir, 'shared-'));
        const real = path.join(elsewhere, 'contoso.json');
        fs.writeFileSync(real, serializeDeployment(named('first')));
        fs.symlinkSync(path.relative(dir, real), file);
        await write(file, named('second'));
        await write(file, named('third'));
        assert.ok(fs.lstatSync(file).isSymbolicLink(), 'still a link');
        assert.equal(fs.readlinkSync(file), path.relative(dir, real));
        assert.equal(nameOf(parseDeployment(fs.readFileSync(real))), 'third');
        assert.equal(nameOf(loadDeployment(fs, `${file}.bak`)), 'second');
        assert.deepEqual(listing(elsewhere), ['contoso.json'], 'no temporary file left next to the target');
      });

      for (const kept of [0o600, 0o640, 0o660]) {
        it(`${save}: mode ${kept.toString(8)} is kept for the file and its .bak, whatever the umask`, async () => {
          fs.writeFileSync(file, serializeDeployment(named('first')));
          fs.chmodSync(file, kept);
          const umask = process.umask(0o077);
          try {
            await write(file, named('second'));
            await write(file, named('third'));
          } finally {
            process.umask(umask);
          }
          assert.equal(mode(file), kept);
          assert.equal(mode(`${file}.bak`), kept);
          assert.equal(nameOf(loadDeployment(fs, file)), 'third');
        });
      }

      it(`${save}: a read-only file (0444) is refused with a clear message and left as it is`, async () => {
        fs.writeFileSync(file, serializeDeployment(named('first')));
        fs.chmodSync(file, 0o444);
        const before = fs.readFileSync(file);
        await assert.rejects(write(file, named('second')), (e: unknown) => {
          assert.ok(e instanceof DeploymentFileError);
          assert.equal(e.reason, 'read-only');
          assert.match(e.message, /sfb-deployment\.json is read-only \(mode 0444\), so SfB Certificates does not replace it and nothing was saved\. Make it writable/);
          return true;
        });
        assert.deepEqual(fs.readFileSync(file), before);
        assert.equal(mode(file), 0o444);
        assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE]);
      });

      it(`${save}: a dangling link or a folder in the file's place is refused, nothing written`, async () => {
        fs.symlinkSync(path.join(dir, 'gone.json'), file);
        await assert.rejects(write(file, named('x')), (e: unknown) => e instanceof DeploymentFileError && e.reason === 'not-a-file' && /symbolic link to a file that does not exist/.test(e.message));
        fs.unlinkSync(file);
        fs.mkdirSync(file);
        await assert.rejects(write(file, named('x')), (e: unknown) => e instanceof DeploymentFileError && /not a regular file/.test(e.message));
        assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE]);
      });
    }

    if (!asRoot) {
      it('a file the user cannot write because of its folder fails with the file-system error and is left as it is', () => {
        fs.writeFileSync(file, serializeDeployment(named('first')));
        fs.chmodSync(dir, 0o555);
        try {
          assert.throws(() => saveDeployment(fs, file, named('second')), { code: 'EACCES' });
        } finally {
          fs.chmodSync(dir, 0o755);
        }
        assert.equal(nameOf(loadDeployment(fs, file)), 'first');
      });
    }
  });

  describe('orphaned temporary files (class 10)', () => {
    const deadPid = 2 ** 22 + 12345; // above the default pid_max: no such process

    it('are removed on the next load: both naming schemes, of the file and of its .bak', () => {
      saveDeployment(fs, file, named('first'));
      const orphans = [`${DEFAULT_DEPLOYMENT_FILE}.tmp-${deadPid}-0123456789ab`, `${DEFAULT_DEPLOYMENT_FILE}.tmp-a1b2c3d4e5f6`, `${DEFAULT_DEPLOYMENT_FILE}.bak.tmp-${deadPid}-ffffffffffff`, `${DEFAULT_DEPLOYMENT_FILE}.tmp-${process.pid}-00000000000a`];
      for (const o of orphans) fs.writeFileSync(path.join(dir, o), '{ half a save');
      const unrelated = ['other.json.tmp-0123456789ab', `${DEFAULT_DEPLOYMENT_FILE}.tmp-notes`, `${DEFAULT_DEPLOYMENT_FILE}.tmp-${process.ppid}-0123456789ab`];
      for (const u of unrelated) fs.writeFileSync(path.join(dir, u), 'keep');
      assert.equal(nameOf(loadDeployment(fs, file)), 'first');
      assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE, ...unrelated].sort(), 'orphans gone; another live process\'s save and unrelated files kept');
    });

    it('next to the target of a linked file too', () => {
      const elsewhere = fs.mkdtempSync(path.join(dir, 'shared-'));
      const real = path.join(elsewhere, 'contoso.json');
      fs.writeFileSync(real, serializeDeployment(named('first')));
      fs.symlinkSync(real, file);
      fs.writeFileSync(`${real}.tmp-${deadPid}-0123456789ab`, '{');
      loadDeployment(fs, file);
      assert.deepEqual(listing(elsewhere), ['contoso.json']);
    });

    it('a save in progress in this process is not taken for an orphan', async () => {
      saveDeployment(fs, file, named('first'));
      const slow = { ...fs.promises, open: async (f: string, flags: string, m?: number) => {
        const handle = await fs.promises.open(f, flags, m);
        return { ...wrap(handle), write: async (b: Uint8Array, o: number, l: number) => { loadDeployment(fs, file); return handle.write(b, o, l); } };
      } } as unknown as DeploymentFsAsync;
      await saveDeploymentAsync(slow, file, named('second'), { sliceMs: 0 });
      assert.equal(nameOf(loadDeployment(fs, file)), 'second');
      assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE, `${DEFAULT_DEPLOYMENT_FILE}.bak`]);
    });
  });

  describe('the asynchronous save (#18)', () => {
    let sample: Deployment;
    before(async function () {
      this.timeout(60_000);
      sample = JSON.parse(JSON.stringify((await createSampleDeployment(new Date(AT))).deployment));
    });

    it('writes in pieces the same text as serializeDeployment', () => {
      for (const d of [fullDeployment(), sample, { ...fullDeployment(), pools: [], history: [], simulatedNow: undefined }]) {
        assert.equal([...serializeInPieces(d)].join(''), serializeDeployment(d));
      }
    });

    it('saves like the synchronous save: the file, one .bak, the text and a stamp; the event loop runs between slices', async () => {
      let turns = 0;
      const ticker = setInterval(() => turns++, 0);
      try {
        const first = await saveDeploymentAsync(fs.promises, file, sample, { sliceMs: 0 });
        assert.equal(first.text, serializeDeployment(sample));
        assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE]);
        const second = await saveDeploymentAsync(fs.promises, file, named('second'), { unchangedSince: first.stamp, sliceMs: 0 });
        assert.equal(fs.readFileSync(file, 'utf8'), second.text);
        assert.equal(fs.readFileSync(`${file}.bak`, 'utf8'), first.text);
        assert.equal(second.stamp.size, fs.statSync(file).size);
      } finally {
        clearInterval(ticker);
      }
      assert.ok(turns > 2, `the event loop ran between slices (${turns} timer turns)`);
    });

    it('re-validates a file that changed since its stamp, and refuses one that no longer loads', async () => {
      const { stamp } = await saveDeploymentAsync(fs.promises, file, named('first'));
      fs.writeFileSync(file, '{ "schemaVersion": 1, "pools": [ }');
      await assert.rejects(saveDeploymentAsync(fs.promises, file, named('second'), { unchangedSince: stamp }), (e: unknown) => e instanceof DeploymentFileError && e.reason === 'on-disk');
      assert.equal(fs.readFileSync(file, 'utf8'), '{ "schemaVersion": 1, "pools": [ }');
    });

    it('refuses to write what the load would refuse (a private key), leaving the file as it was', async () => {
      await saveDeploymentAsync(fs.promises, file, named('first'));
      const before = fs.readFileSync(file);
      const d: any = JSON.parse(JSON.stringify(fullDeployment()));
      d.sites[0].name = PEM_KEYS.pkcs8;
      await assert.rejects(saveDeploymentAsync(fs.promises, file, d), (e: unknown) => e instanceof DeploymentFileError && e.reason === 'would-not-load' && /sites\[0\]\.name: a PEM private key block/.test(e.message));
      assert.deepEqual(fs.readFileSync(file), before);
      assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE]);
    });

    type Step = 'open' | 'chmod' | 'write' | 'sync' | 'close' | 'rename' | 'readFile' | 'lstat';
    type Stage = 'the new content' | 'the .bak';
    const stageOf = (f: string): Stage => (/\.bak(\.tmp-|$)/.test(f) ? 'the .bak' : 'the new content');

    /** node:fs/promises with `step` failing while it works on `stage`'s file (a full disk writes half, then fails). */
    function failing(step: Step, stage: Stage): DeploymentFsAsync {
      const boom = () => Object.assign(new Error(`injected failure in ${step}`), { code: step === 'write' ? 'ENOSPC' : 'EIO' });
      const real = fs.promises;
      return {
        readFile: async (f) => (step === 'readFile' && stage === 'the new content' ? Promise.reject(boom()) : real.readFile(f)),
        lstat: async (f) => (step === 'lstat' && stageOf(f) === stage ? Promise.reject(boom()) : real.lstat(f)),
        realpath: (f) => real.realpath(f),
        unlink: (f) => real.unlink(f),
        rename: async (from, to) => {
          if (step === 'rename' && stageOf(to) === stage) throw boom();
          return real.rename(from, to);
        },
        open: async (f, flags, m) => {
          if (step === 'open' && stageOf(f) === stage) throw boom();
          const handle = await real.open(f, flags, m);
          const file = wrap(handle);
          if (stageOf(f) !== stage) return file;
          return {
            ...file,
            chmod: async (mm) => { if (step === 'chmod') throw boom(); return file.chmod(mm); },
            write: async (b, o, l) => {
              if (step !== 'write') return file.write(b, o, l);
              await handle.write(b, o, Math.floor(l / 2));
              throw boom();
            },
            sync: async () => { if (step === 'sync') throw boom(); return file.sync(); },
            close: async () => {
              if (step !== 'close') return file.close();
              await file.close();
              throw boom();
            },
          };
        },
      };
    }

    for (const stage of ['the new content', 'the .bak'] as const) {
      for (const step of ['open', 'chmod', 'write', 'sync', 'close', 'rename', 'readFile', 'lstat'] as const) {
        if ((step === 'readFile') && stage === 'the .bak') continue;
        it(`a failure in ${step} for ${stage} loses nothing: the file, a whole .bak, no temporary file`, async () => {
          await saveDeploymentAsync(fs.promises, file, named('first'));
          await saveDeploymentAsync(fs.promises, file, named('second'));
          fs.chmodSync(file, 0o600);
          const before = fs.readFileSync(file, 'utf8');
          let failed = false;
          try {
            await saveDeploymentAsync(failing(step, stage), file, named('third'), { sliceMs: 0 });
          } catch (e) {
            failed = true;
            assert.match((e as Error).message, /injected failure/);
          }
          assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE, `${DEFAULT_DEPLOYMENT_FILE}.bak`], 'no temporary file left');
          const now = nameOf(loadDeployment(fs, file));
          const bak = nameOf(loadDeployment(fs, `${file}.bak`));
          if (failed) {
            assert.equal(fs.readFileSync(file, 'utf8'), before, 'the file is intact');
            // The .bak is replaced before the final rename, so after a failure there it already holds "second".
            assert.equal(bak, stage === 'the .bak' || step !== 'rename' ? 'first' : 'second');
          } else {
            // Only the stamp read after the rename can fail late (lstat of the new file): then the save is complete.
            assert.deepEqual([now, bak], ['third', 'second']);
          }
        });
      }
    }
  });
});
