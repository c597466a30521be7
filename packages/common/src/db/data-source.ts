import { DataSource, EntitySchema, MixedList } from 'typeorm';

export interface DataSourceOptions {
  url: string;
  applicationName: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  statementTimeoutMs?: number;
  /** TypeORM logger hook, for example to count statements in tests. */
  logger?: import('typeorm').Logger;
}

/** A TypeORM data source for PostgreSQL. Schema changes only through migrations: synchronize stays off. */
export function createDataSource(options: DataSourceOptions): DataSource {
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
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      idle_in_transaction_session_timeout: (options.statementTimeoutMs ?? 10_000) * 3,
      connectionTimeoutMillis: 5_000,
    },
  });
}
