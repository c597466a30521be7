import { Logger as TypeOrmLogger } from 'typeorm';

/** Records every SQL statement a data source sends, so tests can assert how many a request costs. */
export class StatementLog implements TypeOrmLogger {
  readonly statements: string[] = [];
  /** The same statements with their parameters. */
  readonly calls: { query: string; parameters: unknown[] }[] = [];

  logQuery(query: string, parameters?: unknown[]): void {
    // The audit chainer's timer (every AUDIT_CHAIN_INTERVAL_MS) is not part of any request.
    if (query.includes('audit_chain_pending(')) return;
    // Nor is the statistics publication (every STATISTICS_PUBLISH_INTERVAL_MS).
    if (query.includes('statistics_publish(') || query.includes("set_config('statement_timeout'")) return;
    this.statements.push(query);
    this.calls.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  reset(): void {
    this.statements.length = 0;
    this.calls.length = 0;
  }

  /** Statements that read from the given table (SELECT ... FROM "table"). */
  selectsFrom(table: string): string[] {
    const pattern = new RegExp(`^\\s*SELECT[\\s\\S]*\\bFROM\\s+"?${table}"?[\\s"]`, 'i');
    return this.statements.filter((statement) => pattern.test(statement));
  }
}
