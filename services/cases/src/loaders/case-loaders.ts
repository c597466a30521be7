import { byKeys, groupByKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Case } from '../entities/case';
import { CaseAssignment } from '../entities/case-assignment';
import { Client } from '../entities/client';
import { CounsellingProgram } from '../entities/program';

/** Cases by id, as far as the caller may see them (row-level security): N lookups cost one SELECT. */
export const caseById: LoaderFactory<string, Case | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Case, { where: { id: In(ids.filter(isUuid)) } });
    return byKeys(ids, rows, (row) => row.id);
  });

/** Clients by id (the organisation's case staff only). */
export const clientById: LoaderFactory<string, Client | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(Client, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });

/** Assigned integration managers of each case, earliest first. */
export const assignmentsByCase: LoaderFactory<string, CaseAssignment[]> = (context) =>
  new DataLoader(async (caseIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(CaseAssignment, { where: { caseId: In(caseIds.filter(isUuid)) }, order: { assignedAt: 'ASC', userId: 'ASC' } });
    return groupByKeys(caseIds, rows, (row) => row.caseId);
  });

/** Funding programs (a handful of rows). */
export const programById: LoaderFactory<string, CounsellingProgram | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(CounsellingProgram, { where: { id: In([...ids]) } }), (row) => row.id);
  });
