import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { appUrl, createDataSource, createLogger, databasePlan, env, REPOSITORY_ROOT } from '@integration-graph/common';
import { CaseRetentionJob } from '../rights/retention-job';

const USAGE = `Runs the retention job of the cases subgraph once: anonymises every client whose cases are all closed, the last
one longer than CASE_RETENTION_MONTHS (36) ago (docs/cases.md). Prints client ids, case ids and counts, never a
value of a person.

  npm run retention -- --dry-run                 what would be anonymised now, in the database of npm start
  npm run retention -- --dry-run --months 24     ... with another retention period
  npm run retention                              anonymise them (as the job does every RETENTION_INTERVAL_MS)
  npm run retention -- --database-url <url>      another database, as its application role (default: DATABASE_URL,
                                                 else the cases database of npm start in DATA_DIR)`;

/** The application role's URL of the local platform's cases database (the passwords npm start generated in DATA_DIR). */
function localUrl(): string {
  const file = path.join(path.resolve(REPOSITORY_ROOT, env('DATA_DIR', '.data')!), 'credentials.json');
  if (!fs.existsSync(file)) throw new Error(`No ${file}: start the platform once (npm start), or give --database-url`);
  const credentials = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { owner: string; app: string }>;
  const server = env('ADMIN_DATABASE_URL') ?? `postgres://postgres@127.0.0.1:${env('EMBEDDED_POSTGRES_PORT', '54329')}/postgres`;
  return appUrl(server, databasePlan('cases', credentials.cases));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      months: { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const months = values.months === undefined ? undefined : Number(values.months);
  if (months !== undefined && (!Number.isInteger(months) || months < 0)) throw new Error(`--months ${values.months}: a whole number of months`);
  const dataSource = createDataSource({ url: values['database-url'] ?? env('DATABASE_URL') ?? localUrl(), applicationName: 'cases-retention-cli', entities: [], poolSize: 1 });
  await dataSource.initialize();
  try {
    const job = new CaseRetentionJob(dataSource, createLogger('cases-retention'), { retentionMonths: months });
    const dryRun = values['dry-run'] ?? false;
    let anonymised = 0;
    for (;;) {
      const result = await job.runOnce({ dryRun });
      console.log(
        JSON.stringify({
          dryRun,
          retentionMonths: job.retentionMonths,
          cutoff: result.cutoff,
          expired: result.expired,
          anonymised: result.anonymised.map((r) => ({ clientId: r.clientId, caseIds: r.caseIds, consentsRevoked: r.consentsRevoked, cleared: r.cleared })),
          skipped: result.skipped,
        }),
      );
      anonymised += result.anonymised.length;
      if (dryRun || result.expired.length < job.batchSize || !result.anonymised.length) break;
    }
    if (!dryRun) console.error(`${anonymised} client(s) anonymised`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    console.error(USAGE);
    process.exit(2);
  },
);
