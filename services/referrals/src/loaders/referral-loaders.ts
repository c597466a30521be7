import { byKeys, groupByKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { callSubgraph } from '../clients/subgraph-client';
import { Referral } from '../entities/referral';
import { ReferralEvent } from '../entities/referral-event';

/** Referrals by id, as far as the caller may see them: N lookups cost one SELECT. */
export const referralById: LoaderFactory<string, Referral | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Referral, { where: { id: In(ids.filter(isUuid)) } });
    return byKeys(ids, rows, (row) => row.id);
  });

/** The referrals of each case, newest first: the referrals of N cases cost one SELECT. */
export const referralsByCaseId: LoaderFactory<string, Referral[]> = (context) =>
  new DataLoader(async (caseIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Referral, { where: { caseId: In(caseIds.filter(isUuid)) }, order: { createdAt: 'DESC', id: 'ASC' } });
    return groupByKeys(caseIds, rows, (row) => row.caseId);
  });

/** The history of each referral, oldest step first. */
export const eventsByReferralId: LoaderFactory<string, ReferralEvent[]> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(ReferralEvent, { where: { referralId: In(ids.filter(isUuid)) }, order: { occurredAt: 'ASC', id: 'ASC' } });
    return groupByKeys(ids, rows, (row) => row.referralId);
  });

/**
 * Whether the data-sharing consents behind referrals still hold, asked of the cases subgraph with the caller's
 * token (cases works out the caller's organisation and kind itself): one call per request for a whole inbox, never
 * remembered across requests.
 */
export const consentStillValid: LoaderFactory<string, boolean> = (context) =>
  new DataLoader(async (consentIds) => {
    const { consentsStillValid } = await callSubgraph<{ consentsStillValid: boolean[] }>(
      'cases',
      context,
      `query($ids: [ID!]!) { consentsStillValid(consentIds: $ids) }`,
      { ids: [...consentIds] },
    );
    return consentsStillValid;
  });
