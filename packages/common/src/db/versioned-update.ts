import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { conflict, notFound } from '../errors';

/**
 * Optimistic concurrency for an UPDATE: the expected version is part of the WHERE clause and the affected row count
 * is checked (TypeORM's @VersionColumn alone counts the version up but guards nothing). CONFLICT when someone
 * changed the row since the caller read it, NOT_FOUND when it does not exist or is not visible; nothing is written
 * in either case. The version column counts up by one.
 */
export async function updateWithVersion<T extends ObjectLiteral & { id: string; version: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  name: string,
  id: string,
  expectedVersion: number,
  changes: QueryDeepPartialEntity<T>,
): Promise<T> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set(changes)
    .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
    .execute();
  const current = await manager.findOne(entity, { where: { id } as never });
  if (!current) throw notFound(name, id);
  if (result.affected !== 1) throw conflict(name, id, expectedVersion, current.version);
  return current;
}
