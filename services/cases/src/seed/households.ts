import { demoId, Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { seedCases } from './cases';

export interface SeedHousehold {
  id: string;
  /** Clients (by their index in seedCases()) who belong to it; the first one gives the household its name. */
  memberIndexes: number[];
  children: { key: string; givenName: string; dateOfBirth: string; careStatus: string }[];
}

/**
 * Three families with children in daycare and school: one of the district (clients of ortenau-1 and of the first
 * extra case), one in Offenburg (offenburg-1), one of the Diakonie (diakonie-1). Children are under 18 until 2028
 * at least.
 */
export const SEED_HOUSEHOLDS: SeedHousehold[] = [
  {
    id: demoId('household', 'ortenau-1'),
    memberIndexes: [0, 6],
    children: [
      { key: 'ortenau-1-a', givenName: 'Lina', dateOfBirth: '2021-05-03', careStatus: 'daycare' },
      { key: 'ortenau-1-b', givenName: 'Karim', dateOfBirth: '2017-09-12', careStatus: 'primary_school' },
    ],
  },
  {
    id: demoId('household', 'offenburg-1'),
    memberIndexes: [3],
    children: [
      { key: 'offenburg-1-a', givenName: 'Sara', dateOfBirth: '2012-02-20', careStatus: 'secondary_school' },
      { key: 'offenburg-1-b', givenName: 'Adam', dateOfBirth: '2023-01-15', careStatus: 'at_home' },
    ],
  },
  {
    id: demoId('household', 'diakonie-1'),
    memberIndexes: [5],
    children: [
      { key: 'diakonie-1-a', givenName: 'Mila', dateOfBirth: '2022-08-30', careStatus: 'daycare' },
      { key: 'diakonie-1-b', givenName: 'Taras', dateOfBirth: '2010-06-11', careStatus: 'vocational_school' },
    ],
  },
];

/**
 * Idempotent: inserts the households that are missing, with their children, and puts their members into them (only
 * members without a household). Never overwrites.
 */
export async function seedHouseholds(manager: EntityManager, logger: Logger): Promise<void> {
  const cases = seedCases();
  let inserted = 0;
  for (const household of SEED_HOUSEHOLDS) {
    const members = household.memberIndexes.map((i) => cases[i]);
    const owner = members[0].ownerOrganizationId;
    if (members.some((member) => member.ownerOrganizationId !== owner)) throw new Error(`seed household ${household.id}: members of different organisations`);
    const [{ family_name: familyName }] = await manager.query(`SELECT family_name FROM clients WHERE id = $1`, [members[0].clientId]);
    const rows = await manager.query(`INSERT INTO households (id, owner_organization_id, name) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id`, [
      household.id,
      owner,
      `Familie ${familyName}`,
    ]);
    // Members and children only with a new household: what users changed later (someone left, a child was removed) stays.
    if (!rows.length) continue;
    inserted += 1;
    await manager.query(`UPDATE clients SET household_id = $1 WHERE id = ANY($2::uuid[]) AND household_id IS NULL AND owner_organization_id = $3`, [
      household.id,
      members.map((member) => member.clientId),
      owner,
    ]);
    for (const child of household.children) {
      await manager.query(
        `INSERT INTO household_children (id, owner_organization_id, household_id, given_name, date_of_birth, care_status)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [demoId('household-child', child.key), owner, household.id, child.givenName, child.dateOfBirth, child.careStatus],
      );
    }
  }
  logger.info({ inserted, total: SEED_HOUSEHOLDS.length }, 'households demo data');
}
