#!/usr/bin/env node
// Removes compiled files whose TypeScript source was moved or deleted. `tsc -b` never deletes outputs, and a stale
// dist/seed.js would shadow a new dist/seed/index.js at run time. Runs before every build; plain JS, no build needed.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// The TypeScript projects of `tsc -b` (root tsconfig.json references); apps built by other tools (apps/console, Vite)
// keep their own dist/.
const workspaces = require(path.join(root, 'tsconfig.json')).references.map((reference) => reference.path);
let removed = 0;

function walk(dir, visit) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else visit(full);
  }
}

for (const workspace of workspaces) {
  const dist = path.join(root, workspace, 'dist');
  const src = path.join(root, workspace, 'src');
  if (!fs.existsSync(dist)) continue;
  walk(dist, (file) => {
    const match = /^(.*?)(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/.exec(path.relative(dist, file));
    if (!match) return;
    const source = path.join(src, `${match[1]}.ts`);
    if (!fs.existsSync(source)) {
      fs.rmSync(file);
      removed += 1;
    }
  });
}
if (removed) console.log(`removed ${removed} compiled files without a source`);
