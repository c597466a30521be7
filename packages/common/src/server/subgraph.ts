import fs from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLSchema } from 'graphql';
import { DataSource, EntityManager, EntitySchema, Logger as TypeOrmLogger, MixedList } from 'typeorm';
import { ConfigurationError, DEFAULT_SHUTDOWN_TIMEOUT_MS, exitWithParent, loadServiceConfig, ServiceConfig, SubgraphSettings } from '../config';
import { createDataSource } from '../db/data-source';
import { migrate } from '../db/migrate';
import { startAuditChainer } from '../audit/chainer';
import { createLogger, Logger } from '../logger';
import { shutdownTracing } from '../observability/tracing';
import { waitUntil } from './interval-job';
import { RunningServer, startSubgraphServer } from './subgraph-server';

/** Everything that makes one subgraph; each service exports one of these. */
export interface SubgraphDefinition {
  name: string;
  defaultPort: number;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  buildSchema(): Promise<GraphQLSchema>;
  /** Work the process does besides answering requests (e.g. delivering an outbox); stopped before the pool closes. */
  startBackgroundJobs?(dataSource: DataSource, logger: Logger): BackgroundJobs;
  /** Inserts the demo data; must be idempotent (runs as the owner role on every start with SEED_DEMO_DATA). */
  seedDemoData?(manager: EntityManager, logger: Logger): Promise<void>;
}

export interface BackgroundJobs {
  /**
   * Starts no new work and waits for the work in flight; `deadline` (a Date.now() value), when given, bounds the
   * wait (the caller bounds it anyway: work still running then is cut off when the pool closes, and rolls back).
   */
  stop(deadline?: number): Promise<void>;
}

export interface StopOutcome {
  /** Requests in flight that did not finish within the timeout and were cut off. */
  cutOffRequests: number;
  /** Background work (jobs, the audit chainer's last round) still running at the deadline, cut off. */
  cutOffJobs: boolean;
}

export interface StartedSubgraph {
  server: RunningServer;
  dataSource: DataSource;
  /**
   * Stops in order, all within timeoutMs (default SHUTDOWN_TIMEOUT_MS, 10 s): the background jobs start nothing new
   * (at once); the HTTP server takes no new connections, closes idle ones and answers the requests in flight; the
   * jobs' work in flight and the audit chainer's last round finish; the pool closes.
   */
  stop(timeoutMs?: number): Promise<StopOutcome>;
}

/** Migrates (and seeds) as the owner role when configured, then serves as the application role. */
export async function startSubgraph(
  definition: SubgraphDefinition,
  config: ServiceConfig,
  logger: Logger,
  queryLogger?: TypeOrmLogger,
): Promise<StartedSubgraph> {
  if (config.migrationDatabaseUrl) {
    const owner = createDataSource({
      url: config.migrationDatabaseUrl,
      applicationName: `${definition.name}-migrations`,
      entities: definition.entities,
      migrations: definition.migrations,
      poolSize: 1,
    });
    await owner.initialize();
    try {
      await migrate(owner, logger);
      if (config.seedDemoData && definition.seedDemoData) {
        await owner.transaction((manager) => definition.seedDemoData!(manager, logger));
        logger.info('demo data seeded');
      }
    } finally {
      await owner.destroy();
    }
  }
  const dataSource = createDataSource({
    url: config.databaseUrl,
    applicationName: definition.name,
    entities: definition.entities,
    migrations: definition.migrations,
    poolSize: config.poolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    logger: queryLogger,
  });
  await dataSource.initialize();
  const schema = await definition.buildSchema();
  const server = await startSubgraphServer({ config, schema, dataSource, logger });
  const jobs = definition.startBackgroundJobs?.(dataSource, logger);
  const chainer = startAuditChainer(dataSource, logger.child({ job: 'audit-chainer' }));
  return {
    server,
    dataSource,
    async stop(timeoutMs = config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      // Told at once, so that no job starts a round while the requests finish; awaited (bounded) after them.
      const jobsStopped = jobs?.stop(deadline);
      jobsStopped?.catch(() => undefined);
      const { cutOff } = await server.close(timeoutMs);
      logger.debug({ cutOff }, 'stopping: requests finished');
      let cutOffJobs = !(await waitUntil(jobsStopped, deadline));
      logger.debug({ cutOffJobs }, 'stopping: background jobs stopped');
      // After the requests: what they wrote to the audit trail is chained before the process goes.
      const chainerStopped = chainer.stop(deadline);
      chainerStopped.catch(() => undefined);
      cutOffJobs = !(await waitUntil(chainerStopped, deadline)) || cutOffJobs;
      logger.debug({ cutOffJobs }, 'stopping: audit chained');
      await dataSource.destroy();
      logger.debug('stopping: database pool closed');
      return { cutOffRequests: cutOff, cutOffJobs };
    },
  };
}

/** After SHUTDOWN_TIMEOUT_MS and this, a stopping process exits whatever it is still doing. */
export const FORCED_EXIT_GRACE_MS = 3_000;

/** The last resort of a stop: exit with code 1 after `ms`, whatever is still running (a hung pool, a flush). */
export function exitAfter(logger: Logger, ms: number): void {
  setTimeout(() => {
    logger.error({ ms }, 'stop did not complete in time: exiting');
    process.exit(1);
  }, ms).unref();
}

/**
 * Stops a process whose configuration is wrong: every problem on stderr as plain text (for the operator reading
 * `docker logs` or the terminal) and as one JSON log line, exit code 78 (EX_CONFIG).
 */
export function exitOnInvalidConfiguration(logger: Logger, error: unknown): never {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
    logger.fatal({ problems: error.problems }, 'invalid configuration');
  } else {
    logger.fatal({ err: error }, 'invalid configuration');
  }
  process.exit(78);
}

/**
 * Entry point of a subgraph process: configuration from the environment, checked at once (`settings` adds the
 * service's own), graceful stop on SIGTERM/SIGINT. Call initTracing first (see services/<name>/src/main.ts).
 */
export function runSubgraph(definition: SubgraphDefinition, settings?: SubgraphSettings): void {
  const logger = createLogger(definition.name);
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(definition.name, definition.defaultPort, settings);
  } catch (error) {
    exitOnInvalidConfiguration(logger, error);
  }
  startSubgraph(definition, config, logger).then(
    (started) => {
      logger.info({ url: started.server.url }, `${definition.name} subgraph ready`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        const timeoutMs = config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
        const begun = Date.now();
        logger.info({ signal, timeoutMs }, 'stopping: finishing requests in flight');
        exitAfter(logger, timeoutMs + FORCED_EXIT_GRACE_MS);
        started
          .stop(timeoutMs)
          .then(async (outcome) => {
            await shutdownTracing();
            return outcome;
          })
          .then(
            (outcome) => {
              const clean = outcome.cutOffRequests === 0 && !outcome.cutOffJobs;
              if (clean) logger.info({ ms: Date.now() - begun }, 'stopped');
              else logger.warn({ ms: Date.now() - begun, ...outcome }, `stopped: work still running after SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms) was cut off`);
              process.exit(clean ? 0 : 1);
            },
            (error) => {
              logger.error({ err: error }, 'unclean stop');
              process.exit(1);
            },
          );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      exitWithParent(() => stop('parent gone'));
    },
    (error) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}

/** The subgraph's SDL as checked in at services/<name>/schema.graphql. */
export async function printSubgraphSdl(definition: SubgraphDefinition): Promise<string> {
  return printSubgraphSchema(await definition.buildSchema()).trimEnd() + '\n';
}

export async function writeSubgraphSdl(definition: SubgraphDefinition, file: string): Promise<void> {
  fs.writeFileSync(file, await printSubgraphSdl(definition));
}
