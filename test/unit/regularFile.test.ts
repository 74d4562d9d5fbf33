// Reading a file the user named: regular files only, a size cap, typed errors; and the command line on special files
// (a device that never ends, a FIFO without a writer that would block forever), which must answer at once.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { certificateCommands } from '../../src/cli/certificateCommands';
import { deploymentCommands } from '../../src/cli/deploymentCommands';
import { UsageError } from '../../src/cli/io';
import { CERTIFICATE_FILE_MAX_BYTES } from '../../src/core';
import { readRegularFile } from '../../src/node/regularFile';

const unix = process.platform !== 'win32';

describe('reading a file the user named', () => {
  let dir: string;
  const at = (name: string) => path.join(dir, name);
  const read = (file: string, maxBytes?: number) => readRegularFile(file, { what: 'certificate file', maxBytes });
  const refused = (file: string, maxBytes?: number) => {
    const result = read(file, maxBytes);
    assert.ok(!result.ok, `${file} was read`);
    return result.error;
  };

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-files-'));
    fs.writeFileSync(at('small.cer'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]));
    fs.writeFileSync(at('exactly-cap.pem'), Buffer.alloc(CERTIFICATE_FILE_MAX_BYTES, 0x41));
    fs.writeFileSync(at('over-cap.pem'), Buffer.alloc(CERTIFICATE_FILE_MAX_BYTES + 1, 0x41));
    fs.mkdirSync(at('folder.pfx'));
    if (unix) {
      assert.equal(spawnSync('mkfifo', [at('fifo.pfx')]).status, 0, 'mkfifo');
      fs.symlinkSync(at('small.cer'), at('link.cer'));
      fs.symlinkSync('/dev/zero', at('zero-link.pfx'));
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file whole, up to the cap included', () => {
    const small = read(at('small.cer'), CERTIFICATE_FILE_MAX_BYTES);
    assert.ok(small.ok);
    assert.deepEqual([...small.bytes], [0x30, 0x03, 0x02, 0x01, 0x00]);
    const full = read(at('exactly-cap.pem'), CERTIFICATE_FILE_MAX_BYTES);
    assert.ok(full.ok && full.bytes.length === CERTIFICATE_FILE_MAX_BYTES);
    const uncapped = read(at('over-cap.pem'));
    assert.ok(uncapped.ok && uncapped.bytes.length === CERTIFICATE_FILE_MAX_BYTES + 1);
  });

  it('refuses a file over the cap, a folder and a missing file, saying what to do', () => {
    const large = refused(at('over-cap.pem'), CERTIFICATE_FILE_MAX_BYTES);
    assert.equal(large.code, 'too-large');
    assert.match(`${large.message} ${large.fix}`, /over-cap\.pem is larger than 1 MiB, far larger than any certificate file\. Check that you chose the certificate file/);
    assert.deepEqual([refused(at('folder.pfx')).code, refused(at('folder.pfx')).fix], ['folder', 'Name the certificate file itself.']);
    const missing = refused(at('missing.pfx'));
    assert.deepEqual([missing.code, missing.message, missing.fix], ['not-found', `No such file: ${at('missing.pfx')}.`, 'Check the path.']);
    const shown = readRegularFile(at('missing.pfx'), { what: 'certificate file', shown: 'missing.pfx' });
    assert.equal(!shown.ok && shown.error.message, 'No such file: missing.pfx.');
  });

  it('never opens a device or waits on a FIFO; follows a symbolic link to a regular file only', function () {
    if (!unix) this.skip();
    for (const [file, kind] of [['/dev/zero', 'a device'], ['/dev/null', 'a device'], [at('fifo.pfx'), 'a named pipe \\(FIFO\\)'], [at('zero-link.pfx'), 'a device']]) {
      const error = refused(file, CERTIFICATE_FILE_MAX_BYTES);
      assert.equal(error.code, 'not-a-regular-file', file);
      assert.match(error.message, new RegExp(`is ${kind}, not a file: reading it could wait forever or never end\\.$`), file);
      assert.equal(error.fix, 'Choose the certificate file itself, saved as an ordinary file.');
    }
    assert.ok(read(at('link.cer')).ok);
  });

  it('sfb-cert inspect and check-oauth answer a device, a FIFO and an oversized file with a usage error (exit 2), at once', function () {
    if (!unix) this.skip();
    const commands = [
      (file: string) => certificateCommands.inspect.run([file]),
      (file: string) => deploymentCommands['check-oauth'].run([file, '--sip-domain', 'contoso.com']),
    ];
    const cases: [string, RegExp][] = [
      ['/dev/zero', /^\/dev\/zero is a device, not a file: .* Choose the certificate file.* itself, saved as an ordinary file\.$/],
      [at('fifo.pfx'), /fifo\.pfx is a named pipe \(FIFO\), not a file/],
      [at('over-cap.pem'), /over-cap\.pem is larger than 1 MiB/],
      [at('folder.pfx'), /folder\.pfx is a folder\. Name the certificate file/],
    ];
    for (const command of commands) {
      for (const [file, message] of cases) {
        assert.throws(() => command(file), (e: unknown) => e instanceof UsageError && message.test(e.message), file);
      }
    }
  });
});
