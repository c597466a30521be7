import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedClusterDir } from '../src';

describe('embedded PostgreSQL cluster folder', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-dir-'));
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('stays where asked when every parent folder is open to the server’s user', () => {
    fs.chmodSync(base, 0o755);
    expect(embeddedClusterDir(path.join(base, '.data', 'postgres'))).toBe(path.join(base, '.data', 'postgres'));
  });

  it('moves to a stable folder under /var/tmp when running as root below a closed folder', () => {
    fs.chmodSync(base, 0o700);
    const preferred = path.join(base, '.data', 'postgres');
    const chosen = embeddedClusterDir(preferred);
    if (process.getuid?.() === 0) {
      expect(chosen).toMatch(/^\/var\/tmp\/integration-graph-[0-9a-f]{12}\/postgres$/);
      expect(embeddedClusterDir(preferred)).toBe(chosen);
    } else {
      expect(chosen).toBe(preferred); // the server runs as this user, who can reach its own folders
    }
  });
});
