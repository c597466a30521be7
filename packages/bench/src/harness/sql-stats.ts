import { Client } from 'pg';

/** A database and the application role whose statements are counted (the role the subgraph runs as). */
export interface CountedDatabase {
  name: string;
  database: string;
  appRole: string;
}

export interface StatementEntry {
  database: string;
  queryid: string;
  query: string;
  calls: number;
  totalMs: number;
}

export type StatementSnapshot = Map<string, StatementEntry>;

export interface StatementDelta {
  /** Top-level statements of the application roles, per subgraph database (BEGIN, COMMIT and set_config included). */
  perDatabase: Record<string, number>;
  total: number;
  /** Changed statements, most calls first. */
  statements: (StatementEntry & { meanMs: number })[];
}

/**
 * Counts SQL statements from the database side: pg_stat_statements (loaded by the embedded server,
 * packages/common/src/db/embedded.ts; created here in each subgraph database), top-level statements only — a
 * statement inside a SQL or PL/pgSQL function is part of the call that ran it — of each subgraph's application role.
 */
export class StatementCounter {
  private constructor(
    private readonly client: Client,
    private readonly databases: CountedDatabase[],
  ) {}

  /** Null, with the reason, when pg_stat_statements is not loaded (an external server without it). */
  static async open(adminUrl: string, databases: CountedDatabase[]): Promise<StatementCounter | { unavailable: string }> {
    const { rows } = await withClient(adminUrl, (client) => client.query(`SELECT current_setting('shared_preload_libraries') AS libraries`));
    if (!String(rows[0].libraries).split(',').map((s) => s.trim()).includes('pg_stat_statements')) {
      return { unavailable: 'pg_stat_statements is not in shared_preload_libraries of this server' };
    }
    for (const db of databases) {
      await withClient(databaseUrl(adminUrl, db.database), (client) => client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
    }
    const client = new Client({ connectionString: databaseUrl(adminUrl, databases[0].database) });
    await client.connect();
    return new StatementCounter(client, databases);
  }

  async snapshot(): Promise<StatementSnapshot> {
    const { rows } = await this.client.query(
      `SELECT d.datname, s.queryid::text AS queryid, s.query, s.calls::bigint AS calls, s.total_exec_time AS total_ms
         FROM pg_stat_statements s
         JOIN pg_database d ON d.oid = s.dbid
         JOIN pg_roles r ON r.oid = s.userid
        WHERE s.toplevel AND d.datname = ANY($1::text[]) AND r.rolname = ANY($2::text[])`,
      [this.databases.map((db) => db.database), this.databases.map((db) => db.appRole)],
    );
    const snapshot: StatementSnapshot = new Map();
    for (const row of rows) {
      const key = `${row.datname}|${row.queryid}`;
      const previous = snapshot.get(key);
      // The same statement text can have several entries (roles); summed per database and queryid.
      snapshot.set(key, {
        database: row.datname,
        queryid: row.queryid,
        query: row.query,
        calls: Number(row.calls) + (previous?.calls ?? 0),
        totalMs: Number(row.total_ms) + (previous?.totalMs ?? 0),
      });
    }
    return snapshot;
  }

  delta(before: StatementSnapshot, after: StatementSnapshot): StatementDelta {
    const perDatabase: Record<string, number> = Object.fromEntries(this.databases.map((db) => [db.name, 0]));
    const nameOf = new Map(this.databases.map((db) => [db.database, db.name]));
    const statements: StatementDelta['statements'] = [];
    for (const [key, entry] of after) {
      const calls = entry.calls - (before.get(key)?.calls ?? 0);
      if (calls <= 0) continue;
      const totalMs = entry.totalMs - (before.get(key)?.totalMs ?? 0);
      const name = nameOf.get(entry.database) ?? entry.database;
      perDatabase[name] = (perDatabase[name] ?? 0) + calls;
      statements.push({ ...entry, database: name, calls, totalMs, meanMs: totalMs / calls });
    }
    statements.sort((a, b) => b.calls - a.calls || b.totalMs - a.totalMs);
    return { perDatabase, total: Object.values(perDatabase).reduce((a, b) => a + b, 0), statements };
  }

  /**
   * Waits until no connection of the application roles is busy (active or in a transaction) at two looks in a row,
   * at most `maxMs`: requests still in flight when the load stopped finish, and their statements are counted (and
   * divided by the requests sent), instead of landing in the next measurement.
   */
  async waitUntilQuiet(maxMs = 20_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let quietLooks = 0;
    while (Date.now() < deadline && quietLooks < 2) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      const { rows } = await this.client.query(
        `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE usename = ANY($1::text[]) AND state IS NOT NULL AND state <> 'idle'`,
        [this.databases.map((db) => db.appRole)],
      );
      quietLooks = rows[0].busy === 0 ? quietLooks + 1 : 0;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
