import fs from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLSchema } from 'graphql';
import { DataSource, EntityManager, EntitySchema, Logger as TypeOrmLogger, MixedList } from 'typeorm';
import { ConfigurationError, exitWithParent, loadServiceConfig, ServiceConfig, SubgraphSettings } from '../config';
import { createDataSource } from '../db/data-source';
import { migrate } from '../db/migrate';
import { startAuditChainer } from '../audit/chainer';
import { createLogger, Logger } from '../logger';
import { shutdownTracing } from '../observability/tracing';
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
  stop(): Promise<void>;
}

export interface StartedSubgraph {
  server: RunningServer;
  dataSource: DataSource;
  stop(): Promise<void>;
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
    async stop() {
      await server.close();
      await jobs?.stop();
      await chainer.stop();
      await dataSource.destroy();
    },
  };
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
        logger.info({ signal }, 'stopping: finishing requests in flight');
        started.stop().then(() => shutdownTracing()).then(
          () => process.exit(0),
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
