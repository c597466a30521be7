import { Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { seedCasesAndClients } from './cases';
import { seedPlans } from './plans';
import { seedConsultations } from './consultations';
import { seedConsentData } from './consents';
import { seedHouseholds } from './households';

/**
 * Demo data of the cases subgraph, in dependency order. Every step is idempotent: it inserts what is missing and
 * never overwrites what users changed.
 */
export async function seedDemoData(manager: EntityManager, logger: Logger): Promise<void> {
  await seedCasesAndClients(manager, logger);
  await seedConsultations(manager, logger);
  await seedHouseholds(manager, logger);
  await seedConsentData(manager, logger);
  await seedPlans(manager, logger);
}
