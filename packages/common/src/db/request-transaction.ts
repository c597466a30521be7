import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { databaseFailure } from './availability';

/** Who the database should act for: written into transaction-local settings read by the RLS policies. */
export interface DbScope {
  organizationId: string | null;
  userId: string | null;
  roles: readonly string[];
}

export const ANONYMOUS_SCOPE: DbScope = { organizationId: null, userId: null, roles: [] };

/**
 * Who the retention work is in the database (cases and referrals): the role `retention-worker`, which their
 * migrations' policies admit to read and anonymise. Set by the services themselves, never from a token (token roles
 * are checked against Role). The jobs run without an organisation (every organisation's records); a lead's erasure
 * request runs as the same worker scoped to the lead's organisation.
 */
export const RETENTION_WORKER_ROLE = 'retention-worker';
export const RETENTION_WORKER_SCOPE: DbScope = { organizationId: null, userId: RETENTION_WORKER_ROLE, roles: [RETENTION_WORKER_ROLE] };

/**
 * One database transaction per GraphQL request, opened on first use. Every query of the request (resolvers and
 * DataLoaders alike) runs in it with the caller's settings, so row-level security sees who is asking. The server
 * commits it when the request succeeded and rolls it back otherwise, so a failed mutation changes nothing.
 */
export class RequestTransaction {
  private runner?: QueryRunner;
  private opening?: Promise<EntityManager>;
  private finished = false;
  /**
   * The first error that broke the connection (the database went away): every later query of the request fails with
   * it too, instead of TypeORM's "query runner already released", so that the caller sees one clear cause.
   */
  private broken?: unknown;

  constructor(
    readonly dataSource: DataSource,
    readonly scope: DbScope,
  ) {}

  get started(): boolean {
    return this.opening !== undefined;
  }

  manager(): Promise<EntityManager> {
    if (this.finished) return Promise.reject(new Error('The request transaction has already finished'));
    this.opening ??= this.open();
    return this.opening;
  }

  private async open(): Promise<EntityManager> {
    const runner = this.dataSource.createQueryRunner();
    this.runner = runner;
    serializeQueries(runner, (error) => {
      if (this.broken === undefined && databaseFailure(error) === 'unavailable') this.broken = error;
      return this.broken;
    });
    await runner.connect();
    await runner.startTransaction();
    await applyScope(runner, this.scope);
    return runner.manager;
  }

  /**
   * Commits or rolls back, and gives the connection back. A commit on a connection that broke fails with the error
   * that broke it; a rollback there is not needed (PostgreSQL rolls back what a lost session left open) and is skipped.
   */
  async finish(commit: boolean): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (!this.opening) return;
    const runner = this.runner!;
    try {
      await this.opening.catch(() => undefined);
      if (runner.isTransactionActive) {
        if (commit) {
          // The connection broke before the commit was sent: certainly nothing was saved.
          if (this.broken !== undefined || runner.isReleased) {
            throw Object.assign(new Error('Connection terminated before the commit: nothing was saved', { cause: this.broken }), { beforeCommit: true });
          }
          await runner.commitTransaction();
        } else if (this.broken === undefined && !runner.isReleased) {
          await runner.rollbackTransaction();
        }
      }
    } finally {
      if (!runner.isReleased) await runner.release();
    }
  }
}

/**
 * Resolvers and DataLoaders of one request query concurrently, but a connection runs one statement at a time (pg
 * queues them today and will refuse from pg 9 on): queue them here, in order. `failed` sees every error and returns
 * the one that broke the connection, if any: later queries fail with it at once.
 */
function serializeQueries(runner: QueryRunner, failed: (error: unknown) => unknown): void {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: unknown[]) => {
    const result = tail.then(() => {
      // TypeORM releases a runner whose connection broke while it was idle (between two queries of the request).
      const broken = failed(runner.isReleased && runner.isTransactionActive ? new Error('Connection terminated: the database connection broke during the request') : undefined);
      if (broken !== undefined) throw broken;
      return query(...args).catch((error: unknown) => {
        throw failed(error) ?? error;
      });
    });
    tail = result.catch(() => undefined);
    return result;
  }) as QueryRunner['query'];
}

export async function applyScope(runner: QueryRunner, scope: DbScope): Promise<void> {
  await runner.query(
    `SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true), set_config('app.roles', $3, true)`,
    [scope.organizationId ?? '', scope.userId ?? '', scope.roles.join(',')],
  );
}

/** Runs work in its own scoped transaction (outside a GraphQL request: jobs, scripts, tests). */
export async function withScope<T>(dataSource: DataSource, scope: DbScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const tx = new RequestTransaction(dataSource, scope);
  let ok = false;
  try {
    const result = await work(await tx.manager());
    ok = true;
    return result;
  } finally {
    await tx.finish(ok);
  }
}
