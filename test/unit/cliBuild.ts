// The bundled command line (dist/cli.js) for the tests that run it as a process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSampleDeployment, saveDeployment } from '../../src/core';

const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Builds dist/cli.js when it is missing or older than any source file. */
export function ensureBuilt(): void {
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
  if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= newest(path.join(ROOT, 'src'))) return;
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `node scripts/build.js failed:\n${build.stdout}${build.stderr}`);
}

/**
 * Writes the sample deployment (sfb-deployment.json and its sample certificate files) into a new temporary folder;
 * returns the folder and the deployment file. The caller removes the folder.
 */
export async function sampleOnDisk(prefix: string): Promise<{ dir: string; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'sfb-deployment.json');
  const sample = await createSampleDeployment(new Date());
  for (const f of sample.files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.bytes);
  }
  saveDeployment(fs, file, sample.deployment);
  return { dir, file };
}
