// Import Topology… on hostile and damaged files, inside the real extension host: each shows a clear message (the
// file's name, what is wrong, what to do; never a crash logged with a stack) and leaves sfb-deployment.json and its
// .bak exactly as they were.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SfbCertificatesApi } from '../../src/extension';
import { CONTOSO, publishedTopology } from '../fixtures/topologyXml';
import { api, openSample, storeFile, withAnswers, workspaceDir } from './helpers';

/** Runs `fn` and returns the error messages the extension showed meanwhile. */
async function shownErrors(fn: () => Promise<unknown>): Promise<string[]> {
  const shown: string[] = [];
  const original = vscode.window.showErrorMessage;
  (vscode.window as { showErrorMessage: unknown }).showErrorMessage = (message: string) => {
    shown.push(message);
    return Promise.resolve(undefined);
  };
  try {
    await fn();
  } finally {
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
  }
  return shown;
}

const published = publishedTopology(CONTOSO);
const HOSTILE: [string, string | Buffer, RegExp][] = [
  ['an external entity', published.replace('?>\n', '?>\n<!DOCTYPE Topology [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'), /declares an external entity.*Remove the <!DOCTYPE/],
  ['a billion laughs', published.replace('?>\n', `?>\n<!DOCTYPE Topology [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i || ''};`.repeat(10)}">`).join('')}]>\n`), /declares 10 entities/],
  ['5,000 levels of nesting', `<Topology>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Topology>`, /nests elements more than 100 levels deep/],
  ['an element named __proto__', published.replace('<Sites>', '<__proto__ /><Sites>'), /an element named "__proto__"/],
  ['invalid UTF-8', Buffer.concat([Buffer.from(published.slice(0, 300)), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from(published.slice(300))]), /is not valid UTF-8/],
  ['an encoding it cannot read', published.replace('encoding="utf-8"', 'encoding="x-made-up"'), /declares encoding="x-made-up"/],
  ['an undefined entity', published.replace('<Name>Dublin</Name>', '<Name>Dubl&iacute;n</Name>'), /uses the entity &iacute;/],
];

describe('Import Topology… on hostile files', () => {
  let a: SfbCertificatesApi;
  before(async () => {
    a = await api();
    await openSample(a);
  });

  for (const [what, content, message] of HOSTILE) {
    it(`${what}: a clear message, and the deployment file untouched`, async () => {
      const file = path.join(workspaceDir(), 'hostile.xml');
      fs.writeFileSync(file, content);
      const before = fs.readFileSync(storeFile());
      const bak = fs.existsSync(`${storeFile()}.bak`) ? fs.readFileSync(`${storeFile()}.bak`) : undefined;
      const state = a.live.state;
      try {
        const errors = await shownErrors(() => withAnswers(a, [file], () => vscode.commands.executeCommand('sfbCertificates.importTopology')));
        assert.equal(errors.length, 1, `one message: ${errors.join(' | ')}`);
        assert.match(errors[0], /^hostile\.xml\b/, 'it names the file');
        assert.match(errors[0], message);
        assert.doesNotMatch(errors[0], /\[SECURITY\]|Maximum|internal error|at .*\.js:\d+/);
        assert.deepEqual(fs.readFileSync(storeFile()), before, 'the deployment file is untouched');
        if (bak) assert.deepEqual(fs.readFileSync(`${storeFile()}.bak`), bak, 'and so is its .bak');
        assert.equal(a.live.state, state, 'the loaded deployment is the same');
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  }

  it('refuses a folder chosen as the topology file', async () => {
    const folder = path.join(workspaceDir(), 'not-a-topology.xml');
    fs.mkdirSync(folder, { recursive: true });
    const before = fs.readFileSync(storeFile());
    try {
      const errors = await shownErrors(() => withAnswers(a, [folder], () => vscode.commands.executeCommand('sfbCertificates.importTopology')));
      assert.equal(errors.length, 1);
      assert.match(errors[0], /not-a-topology\.xml is not a regular file/);
      assert.deepEqual(fs.readFileSync(storeFile()), before);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
