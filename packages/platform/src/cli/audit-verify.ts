import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databasePlan, env, ownerUrl, REPOSITORY_ROOT, verifyAuditChain } from '@integration-graph/common';
import { Client } from 'pg';
import { DEFAULT_PORTS, SERVICES } from '../stack';

const USAGE = `Verifies the hash chain of the audit trail in every subgraph database.

  npm run audit:verify                                   the databases of npm start (DATA_DIR, default .data)
  npm run audit:verify -- --database-url <url> ...       any databases, as their owner role (repeat the option)
  npm run audit:verify -- --no-chain                     verify what is chained, without chaining the latest entries first
  npm run audit:verify -- --expect-head <service>=<seq>:<hash>
                                                         also check a head printed by an earlier run (finds entries
                                                         removed from the end)

Prints each database's entries, head and problems; exits 1 when a chain is broken, 2 on other errors.`;

interface Target {
  name: string;
  url: string;
}

/** The owner-role URLs of the local platform's databases (the passwords npm start generated in DATA_DIR). */
function localTargets(): Target[] {
  const dataDir = path.resolve(REPOSITORY_ROOT, env('DATA_DIR', '.data')!);
  const file = path.join(dataDir, 'credentials.json');
  if (!fs.existsSync(file)) throw new Error(`No ${file}: start the platform once (npm start), or give --database-url`);
  const credentials = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { owner: string; app: string }>;
  const server = env('ADMIN_DATABASE_URL') ?? `postgres://postgres@127.0.0.1:${env('EMBEDDED_POSTGRES_PORT', String(DEFAULT_PORTS.postgres))}/postgres`;
  return SERVICES.map((name) => ({ name, url: ownerUrl(server, databasePlan(name, credentials[name])) }));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string', multiple: true },
      'expect-head': { type: 'string', multiple: true },
      'no-chain': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const targets = values['database-url']?.length
    ? values['database-url'].map((url) => ({ name: new URL(url).pathname.slice(1) || url, url }))
    : localTargets();
  const expected = new Map<string, { seq: string; hash: string }>();
  for (const head of values['expect-head'] ?? []) {
    const match = /^([^=]+)=(\d+):([0-9a-f]{64})$/.exec(head);
    if (!match) throw new Error(`--expect-head ${head}: expected <database>=<seq>:<sha256 hex>`);
    expected.set(match[1], { seq: match[2], hash: match[3] });
  }
  let broken = 0;
  for (const target of targets) {
    const client = new Client({ connectionString: target.url });
    await client.connect();
    try {
      // Entries are chained a moment after they are written (every subgraph does it every second); chain what is
      // pending now, so that the check covers everything written so far.
      if (!values['no-chain']) {
        while ((await client.query(`SELECT audit_chain_pending(10000) AS chained`)).rows[0].chained === 10000);
      }
      let lastReport = 0;
      const result = await verifyAuditChain(async (sql, parameters) => (await client.query(sql, parameters)).rows, {
        expectedHead: expected.get(target.name),
        onProgress: (checked, total) => {
          if (Date.now() - lastReport > 1000 || checked === total) {
            lastReport = Date.now();
            process.stderr.write(`  ${target.name}: ${checked}/${total} entries checked\n`);
          }
        },
      });
      const pending = result.pending ? ` (${result.pending} more not chained yet)` : '';
      console.log(`${target.name}: ${result.entries} entries${pending}, head ${target.name}=${result.head.seq}:${result.head.hash} — ${result.ok ? 'chain intact' : 'CHAIN BROKEN'}`);
      for (const problem of result.problems) console.log(`  entry ${problem.seq}: ${problem.problem}`);
      if (!result.ok) broken++;
    } finally {
      await client.end();
    }
  }
  return broken > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
