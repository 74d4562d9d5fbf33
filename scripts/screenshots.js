#!/usr/bin/env node
// `npm run screenshots`: the README's screenshots, from the UI tier's. Run the UI tier first (`npm test -- ui`; it
// saves test/ui/screenshots/*.png), then this: it copies the ones the README shows to media/screenshots/ under the
// README's names, and shrinks them so the VSIX stays under 1 MB (VS Code's extension page shows the README, so the
// VSIX carries its images): the colours are reduced to 64 (upng-js; a workbench screenshot is flat colours and
// anti-aliased text, which 64 colours keep crisp) and the result is written as lossless WebP (sharp), which packs
// such an image about twice as small as a PNG. A screenshot the UI tier did not save this time is left as it is.
// Look at the results before committing them: the text must stay readable.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { root } = require('./bootstrap');

/** The UI tier's screenshot (test/ui/screenshots/NAME.png) → the README's (media/screenshots/NAME.webp). */
const README_SCREENSHOTS = {
  '03-tooltip': 'tree',
  '01-welcome': 'welcome',
  dryrun: 'dryrun',
  'inventory-02-drift': 'inventory-drift',
  'layout-wizard-store-1280': 'wizard-certificate-store',
  'wizard-07-executing-commands': 'wizard-executing-commands',
  'wizard-20-certificate-wizard-buttons': 'wizard-certificate-wizard',
  'wizard-21-request-summary': 'wizard-request-summary',
  'wizard-edge-2015-summary': 'wizard-edge-2015',
  'wizard-13-dark': 'wizard-dark',
  'timeline-light': 'timeline-light',
  'timeline-dark': 'timeline-dark',
  '08-walkthrough-assigned': 'walkthrough',
  '08-management-shell': 'management-shell',
};
const COLOURS = 64;

async function shrink(sharp, UPNG, file) {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  // UPNG.encode with a colour count quantizes (no dithering) and writes a palette PNG; sharp turns it into WebP.
  const palette = Buffer.from(UPNG.encode([data.buffer.slice(data.byteOffset, data.byteOffset + data.length)], info.width, info.height, COLOURS));
  return sharp(palette).removeAlpha().webp({ lossless: true, effort: 6 }).toBuffer();
}

async function main() {
  const sharp = require('sharp');
  const UPNG = require('upng-js');
  const from = path.join(root, 'test', 'ui', 'screenshots');
  const to = path.join(root, 'media', 'screenshots');
  fs.mkdirSync(to, { recursive: true });
  let total = 0;
  const missing = [];
  for (const [source, name] of Object.entries(README_SCREENSHOTS)) {
    const src = path.join(from, `${source}.png`);
    const dest = path.join(to, `${name}.webp`);
    if (fs.existsSync(src)) {
      const before = fs.statSync(src).size;
      fs.writeFileSync(dest, await shrink(sharp, UPNG, src));
      fs.rmSync(path.join(to, `${name}.png`), { force: true }); // the README's former PNG of it
      process.stdout.write(`${source}.png ${Math.round(before / 1024)} KB → media/screenshots/${name}.webp ${Math.round(fs.statSync(dest).size / 1024)} KB\n`);
    } else {
      missing.push(`${source}.png`);
    }
    if (fs.existsSync(dest)) total += fs.statSync(dest).size;
  }
  if (missing.length) process.stdout.write(`Not saved by the UI tier this time (kept as they were): ${missing.join(', ')}\n`);
  process.stdout.write(`The README's ${Object.keys(README_SCREENSHOTS).length} screenshots: ${Math.round(total / 1024)} KB\n`);
}

module.exports = { README_SCREENSHOTS };

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`screenshots: ${e.stack || e.message}\n`);
    process.exitCode = 1;
  });
}
