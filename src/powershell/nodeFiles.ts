// ShellFiles over a folder of the local disk (node:fs): the CLI's server drive, and a host for tests. Paths stay
// inside the folder: the interpreter resolves '..' before they get here, and anything escaping is refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ShellFiles } from './runtime';

export function nodeFiles(root: string): ShellFiles {
  const base = path.resolve(root);
  const inside = (rel: string) => {
    const target = path.resolve(base, ...rel.split('/').filter(Boolean));
    if (target !== base && !target.startsWith(base + path.sep)) throw new Error(`${rel} is outside the drive's folder`);
    return target;
  };
  return {
    read: async (rel) => new Uint8Array(await fs.promises.readFile(inside(rel))),
    write: async (rel, bytes) => {
      const target = inside(rel);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, bytes);
    },
    exists: async (rel) => fs.existsSync(inside(rel)),
    list: async (rel) => (await fs.promises.readdir(inside(rel), { withFileTypes: true })).map((e) => ({ name: e.name, isDirectory: e.isDirectory() })),
  };
}
