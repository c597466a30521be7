import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildManifest, manifestJson } from '../src/manifest';
import { OPERATIONS } from '../src/operations';

const PACKAGE_DIR = path.resolve(__dirname, '..');

describe('generated files are up to date (checked in)', () => {
  it('src/generated.ts is what GraphQL Code Generator makes of the supergraph and operations/*.graphql', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-codegen-'));
    try {
      const out = path.join(dir, 'generated.ts');
      // A child process: the code generator's ESM dependencies load in Node.js, not in Jest's module system.
      execFileSync(process.execPath, [path.join(PACKAGE_DIR, 'scripts', 'codegen.js'), '--out', out], { stdio: 'pipe' });
      const expected = fs.readFileSync(out, 'utf8');
      const actual = fs.readFileSync(path.join(PACKAGE_DIR, 'src', 'generated.ts'), 'utf8');
      if (actual !== expected) throw new Error('packages/client/src/generated.ts is not up to date: run npm run codegen -w packages/client');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('persisted-operations.json lists every operation of the SDK by the SHA-256 of its exact text', () => {
    const file = fs.readFileSync(path.join(PACKAGE_DIR, 'persisted-operations.json'), 'utf8');
    if (file !== manifestJson()) throw new Error('packages/client/persisted-operations.json is not up to date: run npm run manifest -w packages/client');
    const manifest = JSON.parse(file) as Record<string, string>;
    expect(Object.keys(manifest)).toHaveLength(Object.keys(OPERATIONS).length);
    for (const [hash, text] of Object.entries(manifest)) {
      expect(crypto.createHash('sha256').update(text, 'utf8').digest('hex')).toBe(hash);
    }
    expect(Object.values(buildManifest()).map((text) => /(?:query|mutation) (\w+)/.exec(text)?.[1])).toEqual(
      expect.arrayContaining(['DistrictComparison', 'IncomingReferrals', 'AcceptReferral', 'MyCaseload', 'CaseDetail', 'RecordConsultation', 'SendReferral', 'DataSharingConsent', 'Offerings', 'SearchMunicipalities']),
    );
  });

  it('every operation in operations/*.graphql has a name and is in the SDK', () => {
    const names = fs
      .readdirSync(path.join(PACKAGE_DIR, 'operations'))
      .flatMap((file) => [...fs.readFileSync(path.join(PACKAGE_DIR, 'operations', file), 'utf8').matchAll(/^(?:query|mutation)\s+(\w+)/gm)].map((m) => m[1]));
    expect(names.sort()).toEqual(Object.keys(OPERATIONS).sort());
  });
});
