// Entry point the VS Code extension host loads (extensionTestsPath): runs every test/host/*.test.js with
// mocha and writes {passed, failed, pending, failures} to EXT_TEST_RESULT_FILE, because the workbench reports
// exit code 0 even when the extension host crashes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  const grep = process.env.SFB_HOST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const counts = { passed: 0, failed: 0, pending: 0, tests: [] as string[], failures: [] as { title: string; message: string }[] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.EXT_TEST_RESULT_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify(counts, null, 2));
      console.log(`MOCHA-RESULT: ${counts.passed} passed, ${counts.failed} failed`);
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => { counts.passed++; counts.tests.push(t.fullTitle()); });
    runner.on('pending', () => { counts.pending++; });
    runner.on('fail', (t, err) => {
      counts.failed++;
      counts.failures.push({ title: t.fullTitle(), message: String((err as Error)?.stack || err) });
    });
  });
}
