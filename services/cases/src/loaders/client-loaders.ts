import { byKeys, groupByKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Case } from '../entities/case';
import { Client } from '../entities/client';
import { Consent } from '../entities/consent';
import { Household, HouseholdChild } from '../entities/household';

/**
 * Per-request DataLoaders for clients, households and consents: N parents cost one SELECT per relation. Row-level
 * security decides what each caller sees (the organisation's case staff; a case restricted to its assigned
 * managers, and what hangs off it, only for them and the leads).
 */

/** The visible cases of each client, newest first. */
export const casesByClient: LoaderFactory<string, Case[]> = (context) =>
  new DataLoader(async (clientIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Case, { where: { clientId: In(clientIds.filter(isUuid)) }, order: { openedAt: 'DESC', id: 'ASC' } });
    return groupByKeys(clientIds, rows, (row) => row.clientId!);
  });

/** Households by id. */
export const householdById: LoaderFactory<string, Household | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(Household, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });

/** The clients of each household, by family name, given name, id. */
export const membersByHousehold: LoaderFactory<string, Client[]> = (context) =>
  new DataLoader(async (householdIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Client, {
      where: { householdId: In(householdIds.filter(isUuid)) },
      order: { familyName: 'ASC', givenName: 'ASC', id: 'ASC' },
    });
    return groupByKeys(householdIds, rows, (row) => row.householdId!);
  });

/** The children of each household, oldest first. */
export const childrenByHousehold: LoaderFactory<string, HouseholdChild[]> = (context) =>
  new DataLoader(async (householdIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(HouseholdChild, {
      where: { householdId: In(householdIds.filter(isUuid)) },
      order: { dateOfBirth: 'ASC', id: 'ASC' },
    });
    return groupByKeys(householdIds, rows, (row) => row.householdId);
  });

/**
 * The consents of each case, newest first (given on, then recorded). For display only: the data-sharing check
 * never reads through a loader (see consent/consent-check.ts), so a cached list can never hide a revocation.
 */
export const consentsByCase: LoaderFactory<string, Consent[]> = (context) =>
  new DataLoader(async (caseIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Consent, {
      where: { caseId: In(caseIds.filter(isUuid)) },
      order: { givenOn: 'DESC', createdAt: 'DESC', id: 'ASC' },
    });
    return groupByKeys(caseIds, rows, (row) => row.caseId);
  });
