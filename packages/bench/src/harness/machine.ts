import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { REPOSITORY_ROOT } from '@integration-graph/common';
import { Client } from 'pg';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  os: string;
  /** The commit measured, "+ changes" when the work tree differs from it (read-only git commands). */
  revision: string;
}

function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPOSITORY_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

export async function machineInfo(adminUrl: string): Promise<MachineInfo> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  let postgres = 'unknown';
  try {
    postgres = (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    revision: revision(),
  };
}
