// The docs in the repo stay true to the code: every [Sn] source tag a comment cites is listed in docs/sources.md,
// and every source path docs/architecture.md names exists.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

function files(dir: string, ext: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

describe('docs', () => {
  it('lists every [Sn] source cited in the code in docs/sources.md', () => {
    const listed = new Set([...fs.readFileSync(path.join(root, 'docs', 'sources.md'), 'utf8').matchAll(/^\| (S\d+[a-z]?) \|/gm)].map((m) => m[1]));
    const cited = new Map<string, string>();
    for (const f of ['src', 'media', 'test'].flatMap((d) => files(path.join(root, d), /\.ts$/))) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/\[(S\d+[a-z]?)\]/g)) cited.set(m[1], path.relative(root, f));
    }
    assert.ok(cited.size > 5, 'the code cites its sources');
    for (const [tag, file] of cited) assert.ok(listed.has(tag), `${file} cites [${tag}], which docs/sources.md does not list`);
  });

  it('names only source files and folders that exist in docs/architecture.md', () => {
    const text = fs.readFileSync(path.join(root, 'docs', 'architecture.md'), 'utf8');
    const named = [...text.matchAll(/`((?:src|media|test|scripts)\/[\w./-]*)`/g)].map((m) => m[1]);
    assert.ok(named.length > 10, 'the architecture names its modules');
    for (const p of named) assert.ok(fs.existsSync(path.join(root, p)), `docs/architecture.md names ${p}, which does not exist`);
  });
});
