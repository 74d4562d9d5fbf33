// Injected by scripts/build.js into the CommonJS bundles: import.meta.url for packages that read it (web-tree-sitter).
export const __sfbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;
