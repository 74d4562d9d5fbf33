// The parts of node-forge this project uses: ASN.1, X.509 / PKCS #10 (pki), RC2 (legacy PKCS #12 encryption), the
// byte buffers and the digests X.509 names. Its index would also load TLS, SSH, Ed25519, KEM and more, none of which
// is used. scripts/build.js bundles this module as a file of its own (dist/forge.js), loaded on first use only.
/* eslint-disable @typescript-eslint/no-require-imports -- forge's parts register themselves on the object lib/forge returns */
import type * as Forge from 'node-forge';

const forge = require('node-forge/lib/forge') as typeof Forge;
require('node-forge/lib/util');
require('node-forge/lib/asn1');
require('node-forge/lib/md.all');
require('node-forge/lib/rc2');
require('node-forge/lib/pki');

export = forge;
