import { isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Referral } from '../entities/referral';

/** Referrals by id, as far as the caller may see them: N lookups cost one SELECT. */
export const referralById: LoaderFactory<string, Referral | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Referral, { where: { id: In(ids.filter(isUuid)) } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** The referrals of each case, newest first: the referrals of N cases cost one SELECT. */
export const referralsByCaseId: LoaderFactory<string, Referral[]> = (context) =>
  new DataLoader(async (caseIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Referral, {
      where: { caseId: In(caseIds.filter(isUuid)) },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
    const byCase = new Map<string, Referral[]>();
    for (const row of rows) byCase.set(row.caseId, [...(byCase.get(row.caseId) ?? []), row]);
    return caseIds.map((id) => byCase.get(id) ?? []);
  });
