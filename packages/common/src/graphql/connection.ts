import { Max, Min } from 'class-validator';
import { ArgsType, ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { invalidInput } from '../errors';

export const DEFAULT_CONNECTION_SIZE = 20;
export const MAX_CONNECTION_SIZE = 500;

/** Cursor pagination (Relay connections): `first` items after the opaque cursor `after`. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { defaultValue: DEFAULT_CONNECTION_SIZE, description: `Page size, 1 to ${MAX_CONNECTION_SIZE}.` })
  @Min(1)
  @Max(MAX_CONNECTION_SIZE)
  first: number = DEFAULT_CONNECTION_SIZE;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page; omit for the first page' })
  after?: string | null;
}

/** Relay's PageInfo; shareable so that every subgraph can return connections. */
@Directive('@shareable')
@ObjectType({ description: 'Where a page stands in its list' })
export class PageInfo {
  @Field({ description: 'Whether another page follows' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page' })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionResult<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Declares `<Name>Edge` and `<Name>Connection` for a node type. Call it in the subgraph that serves the type, or
 * once in common with `shareable` when several subgraphs return the same connection (e.g. AuditEntryConnection).
 */
export function connectionType<T extends object>(name: string, node: ClassType<T>, options: { shareable?: boolean } = {}) {
  const directives = options.shareable ? [Directive('@shareable')] : [];

  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Opaque position of this item' })
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items` })
  class ConnectionType implements ConnectionResult<T> {
    @Field(() => [EdgeType])
    edges: Edge<T>[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'Number of items matching the filter, across all pages' })
    totalCount: number;
  }
  for (const directive of directives) {
    directive(EdgeType);
    directive(ConnectionType);
  }
  return ConnectionType;
}

/** The opaque cursor of an item: its sort value and id (see paginate). */
export function encodeCursor(value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string | number, string] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && ['string', 'number'].includes(typeof decoded[0]) && typeof decoded[1] === 'string') {
      return decoded as [string | number, string];
    }
  } catch {
    // fall through
  }
  throw invalidInput('after', 'validCursor', 'not a cursor returned by this list; use pageInfo.endCursor of the previous page');
}

export interface KeysetOptions<T> {
  /** SQL expression the list is sorted by; must never be NULL (use COALESCE) so that keyset comparison works. */
  sortExpression: string;
  direction: 'ASC' | 'DESC';
  /**
   * The same value as the sort expression, read from an item. Timestamps: PostgreSQL keeps microseconds and a
   * JavaScript Date milliseconds, so sort by date_trunc('milliseconds', column) or items at a page boundary repeat.
   */
  sortValue: (item: T) => string | number;
  /** The id column, for example "o.id"; the tie-breaker that makes the order stable. */
  idColumn: string;
  idOf: (item: T) => string;
  /**
   * Take the cursor's sort value from the database as text instead of from the item (sortValue is then unused): for
   * a timestamptz column sorted as is, so that the column's index serves the page (no date_trunc) and the cursor
   * keeps PostgreSQL's microseconds.
   */
  exactSortValue?: boolean;
}

/**
 * One page of a keyset-paginated list: stable under inserts (no skipped or repeated items as with offsets), one
 * SELECT for the page and one COUNT for totalCount.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  args: ConnectionArgs,
  options: KeysetOptions<T>,
): Promise<ConnectionResult<T>> {
  const totalCount = await query.clone().getCount();
  const comparison = options.direction === 'ASC' ? '>' : '<';
  if (args.after) {
    const [value, id] = decodeCursor(args.after);
    query.andWhere(`(${options.sortExpression}, ${options.idColumn}) ${comparison} (:cursorValue, :cursorId)`, { cursorValue: value, cursorId: id });
  }
  query.orderBy(options.sortExpression, options.direction).addOrderBy(options.idColumn, options.direction).limit(args.first + 1);
  let rows: T[];
  let sortValues: (string | number)[];
  if (options.exactSortValue) {
    const { entities, raw } = await query.addSelect(`(${options.sortExpression})::text`, 'keyset_sort_value').getRawAndEntities();
    rows = entities;
    sortValues = raw.map((row: { keyset_sort_value: string }) => row.keyset_sort_value);
    if (sortValues.length !== rows.length) throw new Error('paginate: exactSortValue needs a query without joins that multiply rows');
  } else {
    rows = await query.getMany();
    sortValues = rows.map((row) => options.sortValue(row));
  }
  const page = rows.slice(0, args.first);
  const edges = page.map((node, i) => ({ node, cursor: encodeCursor(sortValues[i], options.idOf(node)) }));
  return {
    edges,
    totalCount,
    pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}
