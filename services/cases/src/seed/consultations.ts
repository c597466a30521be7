import { demoId, DEMO_USERS, Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { seedCases } from './cases';

const MODES = ['office', 'office', 'home_visit', 'phone', 'accompaniment', 'video', 'group'];
const AREAS = [['language'], ['work', 'language'], ['housing'], ['residence'], ['childcare', 'school'], ['health'], ['finances'], ['leisure_clubs', 'social_participation']];
const NOTES = ['Termin beim Jobcenter vorbereitet.', 'Fragen zum Mietvertrag geklärt.', 'Anmeldung zum Integrationskurs besprochen.', null];

/** A few counselling contacts per seeded case, after its opening. Idempotent. */
export async function seedConsultations(manager: EntityManager, logger: Logger): Promise<void> {
  let inserted = 0;
  for (const [i, seed] of seedCases().entries()) {
    const recorder = DEMO_USERS.find((u) => u.organizationId === seed.ownerOrganizationId)?.id ?? 'seed';
    const opened = Date.parse(seed.openedAt);
    for (let k = 0; k < 2 + (i % 5); k++) {
      const occurredAt = new Date(Math.min(opened + (k + 1) * 23 * 86_400_000, Date.now() - (k + 1) * 3_600_000));
      const result = await manager.query(
        `INSERT INTO consultations (id, owner_organization_id, case_id, occurred_at, duration_minutes, mode, life_areas, interpreter_used, interpreter_language, note, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING RETURNING 1`,
        [
          demoId('consultation', `${seed.id}:${k}`),
          seed.ownerOrganizationId,
          seed.id,
          occurredAt,
          30 + ((i + k) % 4) * 15,
          MODES[(i + k) % MODES.length],
          AREAS[(i * 3 + k) % AREAS.length],
          (i + k) % 3 === 0,
          (i + k) % 3 === 0 ? 'ar' : null,
          NOTES[(i + k) % NOTES.length],
          recorder,
        ],
      );
      inserted += result.length;
    }
  }
  logger.info({ inserted }, 'cases demo consultations');
}
