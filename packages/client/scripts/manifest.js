#!/usr/bin/env node
// Writes packages/client/persisted-operations.json, the trusted-documents manifest (hash -> document) of every
// operation of the SDK, from the compiled SDK (npm run manifest -w packages/client builds it first).
//   node scripts/manifest.js --check    exits 1 when the checked-in manifest is not up to date
const fs = require('node:fs');
const path = require('node:path');

const FILE = path.resolve(__dirname, '..', 'persisted-operations.json');
const { manifestJson } = require('../dist/manifest');
const text = manifestJson();
if (process.argv.includes('--check')) {
  if (!fs.existsSync(FILE) || fs.readFileSync(FILE, 'utf8') !== text) {
    console.error('packages/client/persisted-operations.json is not up to date: run npm run manifest -w packages/client');
    process.exit(1);
  }
  console.log('packages/client/persisted-operations.json is up to date');
} else {
  fs.writeFileSync(FILE, text);
  console.log(`wrote packages/client/persisted-operations.json (${Object.keys(JSON.parse(text)).length} operations)`);
}
