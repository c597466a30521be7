/**
 * Rows in PostgreSQL's COPY text format: columns separated by tabs, rows by newlines, NULL as \N, and backslash,
 * tab, newline and carriage return escaped with a backslash.
 */
import { isoInstant } from './time';

export const NULL = '\\N';

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value (or NULL). */
export function text(value: string | null | undefined): string {
  if (value === null || value === undefined) return NULL;
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : value;
}

/** A PostgreSQL array literal of text values, every element quoted. */
export function textArray(values: readonly string[]): string {
  if (!values.length) return '{}';
  return text(`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
}

/** A jsonb value (or NULL). */
export function json(value: unknown): string {
  return value === null || value === undefined ? NULL : text(JSON.stringify(value));
}

export function bool(value: boolean): string {
  return value ? 't' : 'f';
}

export function num(value: number | null | undefined): string {
  return value === null || value === undefined ? NULL : String(value);
}

/** A timestamptz from epoch milliseconds (or NULL). */
export function ts(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? NULL : isoInstant(ms);
}

/** A date "YYYY-MM-DD" (or NULL). */
export function date(day: string | null | undefined): string {
  return day ?? NULL;
}

/** The rows of one table for one district, as COPY text in chunks (joined as they fill, to keep memory low). */
export class TableRows {
  private readonly done: string[] = [];
  private pending: string[] = [];
  private rows = 0;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  add(...values: string[]): void {
    if (values.length !== this.columns.length) {
      throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
    }
    this.pending.push(values.join('\t'));
    this.rows++;
    if (this.pending.length === TableRows.CHUNK_ROWS) this.flush();
  }

  get count(): number {
    return this.rows;
  }

  /** The rows as COPY text, a few thousand rows per chunk, each ending with a newline. */
  chunks(): string[] {
    this.flush();
    return this.done;
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.done.push(`${this.pending.join('\n')}\n`);
    this.pending = [];
  }

  static readonly CHUNK_ROWS = 5_000;
}

/** The tables of one database for one district, in the order they are loaded (foreign keys first). */
export class DatabaseRows {
  private readonly tables = new Map<string, TableRows>();

  constructor(definitions: readonly TableDefinition[]) {
    for (const definition of definitions) this.tables.set(definition.table, new TableRows(definition.table, definition.columns));
  }

  get(table: string): TableRows {
    const rows = this.tables.get(table);
    if (!rows) throw new Error(`no table ${table}`);
    return rows;
  }

  all(): TableRows[] {
    return [...this.tables.values()];
  }

  get count(): number {
    let total = 0;
    for (const rows of this.tables.values()) total += rows.count;
    return total;
  }
}

export interface TableDefinition {
  table: string;
  columns: readonly string[];
}
