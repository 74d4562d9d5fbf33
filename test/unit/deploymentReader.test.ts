// The deployment file read in a worker thread (src/ui/deploymentReader.ts, src/node/deploymentWorker.ts) gives what
// the in-thread read gives: the same deployment, the same refusals with the same positions and paths, the same text;
// no file is no deployment; and a worker that cannot start leaves the read to the thread.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCHEMA_VERSION, serializeDeployment } from '../../src/core';
import { readInThread, workerReader, type DeploymentRead } from '../../src/ui/deploymentReader';
import { FileText } from '../../src/ui/fileText';
import { largeDeployment } from '../bench/largeDeployment';
import { fullDeployment } from '../fixtures/deployment';

/** The worker as tsc compiles it next to this test (out/src/node/); the extension starts dist/deployment-worker.js. */
const WORKER = path.join(__dirname, '..', '..', 'src', 'node', 'deploymentWorker.js');

const textOf = (read: DeploymentRead) => (read.text instanceof FileText ? read.text.toString() : read.text);

describe('reading the deployment file in a worker thread', function () {
  this.timeout(60000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-reader-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const valid = serializeDeployment(fullDeployment());
  /** [what, the file, does it load] */
  const files: [string, string | Buffer, boolean][] = [
    ['a valid deployment', valid, true],
    ['a large one (its servers come in several batches)', serializeDeployment(largeDeployment(300)), true],
    ['non-ASCII text and a byte order mark', `\uFEFF${valid.replace('"name": "', '"name": "Contoso Zürich – ')}`, true],
    ['a syntax error', valid.replace('"pools": [', '"pools": [,'), false],
    ['a duplicate key', valid.replace('"name": ', '"name": "x", "name": '), false],
    ['invalid UTF-8', Buffer.concat([Buffer.from(valid.slice(0, 200)), Buffer.from([0xff, 0xfe]), Buffer.from(valid.slice(200))]), false],
    ['a newer schema version', valid.replace(`"schemaVersion": ${SCHEMA_VERSION}`, `"schemaVersion": ${SCHEMA_VERSION + 1}`), false],
    ['a shape problem', valid.replace(/"keySize": \d+/, '"keySize": "big"'), false],
    ['an unknown field (dropped with a warning)', valid.replace('"name": ', '"colour": "blue", "name": '), true],
    ['an empty file', '', false],
  ];
  for (const [what, content, loads] of files) {
    it(`${what}: the same result as the in-thread read`, async () => {
      const file = path.join(dir, 'sfb-deployment.json');
      fs.writeFileSync(file, content);
      const fallbacks: string[] = [];
      const inWorker = (await workerReader(WORKER, (why) => fallbacks.push(why))(file))!;
      const inThread = (await readInThread(file))!;
      assert.deepEqual(fallbacks, []);
      assert.equal(inWorker.by, 'worker');
      assert.equal(inWorker.parsed.ok, loads);
      assert.deepEqual(inWorker.parsed, inThread.parsed);
      assert.equal(textOf(inWorker), textOf(inThread));
    });
  }

  it('no file: no deployment (undefined), as in the thread', async () => {
    const missing = path.join(dir, 'none.json');
    assert.equal(await workerReader(WORKER)(missing), undefined);
    assert.equal(await readInThread(missing), undefined);
  });

  it('a file smaller than the size from which a worker is worth starting: read in the thread', async () => {
    const file = path.join(dir, 'sfb-deployment.json');
    fs.writeFileSync(file, valid);
    assert.equal((await workerReader(WORKER, undefined, valid.length + 1)(file))!.by, 'thread');
    assert.equal((await workerReader(WORKER, undefined, valid.length)(file))!.by, 'worker');
  });

  it('a worker that cannot start: the thread reads the file, and the reason is told', async () => {
    const file = path.join(dir, 'sfb-deployment.json');
    fs.writeFileSync(file, valid);
    const fallbacks: string[] = [];
    const read = (await workerReader(path.join(dir, 'no-such-worker.js'), (why) => fallbacks.push(why))(file))!;
    assert.equal(read.by, 'thread');
    assert.ok(read.parsed.ok);
    assert.equal(fallbacks.length, 1);
    assert.match(fallbacks[0], /reading worker/);
  });
});
