import { byKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Case } from '../entities/case';

/** Cases by id, as far as the caller may see them (row-level security): N lookups cost one SELECT. */
export const caseById: LoaderFactory<string, Case | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Case, { where: { id: In(ids.filter(isUuid)) } });
    return byKeys(ids, rows, (row) => row.id);
  });
