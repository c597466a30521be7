import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from '../config';

export interface DataSourceOptions {
  url: string;
  applicationName: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  /** DB_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a statement that runs longer (0: never). */
  statementTimeoutMs?: number;
  /** DB_CONNECT_TIMEOUT_MS: waiting longer for a connection (a new one, or a free one of the pool) fails. */
  connectTimeoutMs?: number;
  /** TypeORM logger hook, for example to count statements in tests. */
  logger?: import('typeorm').Logger;
}

/**
 * A TypeORM data source for PostgreSQL. Schema changes only through migrations: synchronize stays off.
 *
 * No call waits without bound (docs/operations.md, "Failures and shutdown"): PostgreSQL cancels a statement after
 * statementTimeoutMs and ends a transaction left idle after three times as long; a request waiting for a connection,
 * a new one or a free one of a busy pool, fails after connectTimeoutMs; TCP keep-alive notices a server that went
 * away without closing the connection. A connection that broke (the server restarted) is dropped by the pool, and
 * the next request opens a new one: the service reconnects by itself.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Failed statements surface as request errors and are logged there (structured, with the request id).
    logging: options.logger ? ['query'] : false,
    logger: options.logger,
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    extra: {
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: statementTimeoutMs * 3,
      // pg-pool: both connecting a new client and waiting in the queue for a free one.
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  });
}
