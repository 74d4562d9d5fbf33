// Libraries loaded on first use, not when the extension (or the CLI) starts: node-forge (reading and writing
// certificates and PFX files) and fast-xml-parser (importing a topology). Activation needs neither, and loading them
// is most of what a cold start would otherwise spend. In the production build each one is a file of its own next to
// the bundle (scripts/build.js), so the extension's bundle stays small too.
/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous load on first use is the point */
import type * as Forge from 'node-forge';
import type * as FastXmlParser from 'fast-xml-parser';

let forgeModule: typeof Forge | undefined;
let xmlModule: typeof FastXmlParser | undefined;

/** node-forge (the parts listed in forgeParts.ts). */
export function forge(): typeof Forge {
  return (forgeModule ??= require('./forgeParts') as typeof Forge);
}

/** fast-xml-parser. */
export function xml(): typeof FastXmlParser {
  return (xmlModule ??= require('fast-xml-parser') as typeof FastXmlParser);
}
