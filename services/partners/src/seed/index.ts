import { Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { seedContacts } from './contacts';
import { seedCooperation } from './cooperation';
import { seedDirectory } from './directory';
import { seedOrganizations } from './organizations';
import { seedInternal } from './internal';

/**
 * Demo data of the partner directory, in dependency order. Every step is idempotent: it inserts what is missing
 * and never overwrites what users changed.
 */
export async function seedDemoData(manager: EntityManager, logger: Logger): Promise<void> {
  await seedOrganizations(manager, logger);
  await seedDirectory(manager, logger);
  await seedInternal(manager, logger);
  await seedContacts(manager, logger);
  await seedCooperation(manager, logger);
}
