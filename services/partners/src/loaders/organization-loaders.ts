import { byKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Organization } from '../entities/organization';

/** Organisations by id: N lookups in one request cost one SELECT. */
export const organizationById: LoaderFactory<string, Organization | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Organization, { where: { id: In(ids.filter(isUuid)) } });
    return byKeys(ids, rows, (row) => row.id);
  });
