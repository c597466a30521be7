import { DEMO_CASES, demoClientName, DEMO_ORGANIZATIONS, DEMO_USERS, demoId, Logger, organizationIdForAgs } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { Case } from '../entities/case';
import { CounsellingProgram } from '../entities/program';
import { createPlan } from '../plan/plan-store';
import { addMonths } from '../validation';

const ORIGINS: [nationality: string, languages: string[], status: string][] = [
  ['SY', ['ar'], 'recognised_refugee'],
  ['AF', ['fa', 'ps'], 'subsidiary_protection'],
  ['UA', ['uk', 'ru'], 'temporary_protection'],
  ['IQ', ['ar', 'ku'], 'national_deportation_ban'],
  ['ER', ['ti'], 'recognised_refugee'],
  ['TR', ['tr', 'ku'], 'asylum_procedure'],
];

/** Municipalities (AGS) where each provider's demo clients live: the district serves most, the others their own. */
const PLACES: Record<string, string[]> = {
  [DEMO_ORGANIZATIONS.ortenaukreis.id]: ['08317005', '08317034', '08317047', '08317021', '08317122', '08317151'],
  [DEMO_ORGANIZATIONS.offenburg.id]: ['08317096'],
  [DEMO_ORGANIZATIONS.diakonie.id]: ['08317089', '08317110'],
};

/** More cases besides the shared DEMO_CASES, so that lists and statistics have something to show. */
const EXTRA_CASES = 24;

export interface SeedCase {
  id: string;
  municipalityAgs?: string;
  clientId: string;
  ownerOrganizationId: string;
  status: string;
  openedAt: string;
}

/** Every seeded case with its client: the shared demo cases first, then the extra ones. */
export function seedCases(): SeedCase[] {
  const owners = [DEMO_ORGANIZATIONS.ortenaukreis.id, DEMO_ORGANIZATIONS.offenburg.id, DEMO_ORGANIZATIONS.diakonie.id];
  const extra = Array.from({ length: EXTRA_CASES }, (_, i) => ({
    id: demoId('case', `extra-${i}`),
    ownerOrganizationId: owners[i % 6 === 5 ? 2 : i % 3 === 2 ? 1 : 0],
    status: i % 7 === 6 ? 'paused' : i % 5 === 4 ? 'intake' : 'active',
    openedAt: `${2023 + (i % 4)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 11) % 27)).padStart(2, '0')}T09:00:00Z`,
  }));
  return [...DEMO_CASES, ...extra].map((c, i) => ({ ...c, clientId: demoId('client', `client-${i}`) }));
}

/** Idempotent: inserts the clients, cases, assignments and empty plans that are missing, never overwrites. */
export async function seedCasesAndClients(manager: EntityManager, logger: Logger): Promise<void> {
  const program = await manager.findOneByOrFail(CounsellingProgram, { id: 'bw-im-2023' });
  let inserted = 0;
  for (const [i, seed] of seedCases().entries()) {
    const [nationality, languages, residenceStatus] = ORIGINS[i % ORIGINS.length];
    const openedOn = seed.openedAt.slice(0, 10);
    const places = PLACES[seed.ownerOrganizationId] ?? PLACES[DEMO_ORGANIZATIONS.ortenaukreis.id];
    // The shared demo cases name their municipality (referrals use it too); the extra ones spread over the places.
    const municipalityId = organizationIdForAgs(('municipalityAgs' in seed && seed.municipalityAgs) || places[i % places.length]);
    await manager.query(
      `INSERT INTO clients (id, owner_organization_id, given_name, family_name, date_of_birth, gender, nationalities, languages, arrived_on,
                            residence_status, follow_up_accommodation, private_flat_since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
      [
        seed.clientId,
        seed.ownerOrganizationId,
        demoClientName(i).givenName,
        demoClientName(i).familyName,
        `${1970 + ((i * 3) % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-15`,
        i % 2 ? 'male' : 'female',
        [nationality],
        [...languages, ...(i % 3 === 0 ? ['en'] : [])],
        nationality === 'UA' ? '2022-04-10' : `${2015 + (i % 7)}-0${1 + (i % 9)}-20`,
        residenceStatus,
        i % 4 === 3 ? 'former' : 'current',
        i % 4 === 3 ? '2024-06-01' : null,
      ],
    );
    const result = await manager.query(
      `INSERT INTO cases (id, owner_organization_id, status, opened_at, client_id, municipality_id, program_id, period_ends_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [seed.id, seed.ownerOrganizationId, seed.status, seed.openedAt, seed.clientId, municipalityId, program.id, addMonths(openedOn, program.standardMonths)],
    );
    // Cases that existed before clients did (the foundation's demo cases) get their client now.
    await manager.query(`UPDATE cases SET client_id = $2, municipality_id = $3 WHERE id = $1 AND client_id IS NULL`, [seed.id, seed.clientId, municipalityId]);
    inserted += result.length;
    const staff = DEMO_USERS.find((u) => u.organizationId === seed.ownerOrganizationId && u.handle.endsWith('-caseworker'));
    if (staff) {
      await manager.query(`INSERT INTO case_assignments (case_id, user_id, owner_organization_id, assigned_by) VALUES ($1, $2, $3, 'seed') ON CONFLICT DO NOTHING`, [
        seed.id,
        staff.id,
        seed.ownerOrganizationId,
      ]);
    }
    const hasPlan = await manager.query(`SELECT 1 FROM integration_plans WHERE case_id = $1`, [seed.id]);
    if (!hasPlan.length) await createPlan(manager, await manager.findOneByOrFail(Case, { id: seed.id }), program, staff?.id ?? 'seed', openedOn);
  }
  logger.info({ inserted, total: seedCases().length }, 'cases demo data');
}
