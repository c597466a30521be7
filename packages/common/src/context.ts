import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { AuditLog } from './audit/audit-log';
import { Principal } from './auth/principal';
import { RequestTransaction } from './db/request-transaction';
import { Logger } from './logger';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** Keeps a request id that the gateway (or a client) sent if it is well-formed, otherwise makes one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}

/** Builds a DataLoader for one request. */
export type LoaderFactory<K, V> = (context: RequestContext) => DataLoader<K, V>;

/** Per-request DataLoaders, created on first use and keyed by their factory. */
export class Loaders {
  private readonly loaders = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown>>();

  constructor(private readonly context: () => RequestContext) {}

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(factory as LoaderFactory<unknown, unknown>);
    if (!loader) {
      loader = factory(this.context()) as DataLoader<unknown, unknown>;
      this.loaders.set(factory as LoaderFactory<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** What every resolver of every subgraph receives. Built by the subgraph itself from the verified token. */
export interface RequestContext {
  requestId: string;
  principal: Principal | null;
  /** The caller's verified bearer token, to call another subgraph on the caller's behalf. */
  token?: string;
  /** The request's database transaction, scoped to the caller for row-level security. */
  tx: RequestTransaction;
  loaders: Loaders;
  logger: Logger;
  /** The request's audit entries (reads of personal data, changes), written as the request's last statement. */
  audit: AuditLog;
}

/** DataLoader results in the order of the keys: the row for each key, or null. */
export function byKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/** DataLoader results in the order of the keys: all rows of each key (in the rows' order). */
export function groupByKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
