#!/usr/bin/env node
// `npm run schema`: writes schemas/sfb-deployment.schema.json from the deployment file's shapes
// (src/core/deploymentFile/shape.ts and descriptions.ts) and schemas/sfb-inventory.schema.json from the inventory's
// (src/core/inventory/shape.ts and schema.ts). A unit test fails while a shipped file differs.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { run, root } = require('./bootstrap');

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (run(process.execPath, [tsc, '-p', 'tsconfig.test.json']) !== 0) process.exit(1);
const { deploymentJsonSchemaText } = require(path.join(root, 'out', 'src', 'core', 'deploymentFile', 'schema.js'));
const { inventoryJsonSchemaText } = require(path.join(root, 'out', 'src', 'core', 'inventory', 'schema.js'));
for (const [name, text] of [['sfb-deployment.schema.json', deploymentJsonSchemaText()], ['sfb-inventory.schema.json', inventoryJsonSchemaText()]]) {
  const file = path.join(root, 'schemas', name);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) console.log(`${path.relative(root, file)} is up to date.`);
  else {
    fs.writeFileSync(file, text);
    console.log(`Wrote ${path.relative(root, file)}.`);
  }
}
