import { conflict, invalidInput, notFound, RequestContext, requireCooperationMember, requireUuid } from '@integration-graph/common';
import { arrayUnique } from 'class-validator';
import { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { requireEditor } from '../auth/directory-access';
import { Organization } from '../entities/organization';
import { TranslatableEntity } from '../entities/translation';
import { TranslationState } from '../i18n/language';
import { stateOf, TextInput } from '../i18n/text-input';
import { writeText } from '../i18n/texts';
import { organizationById } from '../loaders/organization-loaders';
import { translationsByEntity } from '../loaders/translation-loaders';

/**
 * Shared steps of the mutations that edit an organisation's directory entry (Verzeichniseintrag): find the row and
 * check the caller may edit it, lock it against concurrent edits, write texts in several languages.
 */

interface VersionedRow extends ObjectLiteral {
  id: string;
  version: number;
}

interface OwnedRow extends VersionedRow {
  organizationId: string;
}

/**
 * The organisation whose entry the caller wants to change: UNAUTHENTICATED without a token, FORBIDDEN for anyone but
 * its org_admins and leads and the coordinators, NOT_FOUND if it does not exist.
 */
export async function requireOrganizationForEdit(context: RequestContext, field: string, id: string, what: string): Promise<Organization> {
  requireCooperationMember(context.principal, `changing ${what}`);
  requireEditor(context, requireUuid(field, id), what);
  const organization = await context.loaders.get(organizationById).load(id);
  if (!organization) throw notFound('Organization', id);
  return organization;
}

/**
 * Reads a row that belongs to an organisation and checks that the caller may edit that organisation's entry:
 * UNAUTHENTICATED without a token, NOT_FOUND if there is no such row, FORBIDDEN for anyone but the organisation's
 * org_admins and leads and the coordinators. Read without a lock: a row the caller may not edit would not be
 * returned by SELECT ... FOR UPDATE under row-level security, and the caller should learn FORBIDDEN, not NOT_FOUND.
 */
export async function findOwnedRowForEdit<T extends OwnedRow>(
  context: RequestContext,
  entity: EntityTarget<T>,
  name: string,
  field: string,
  id: string,
  what: string,
): Promise<T> {
  requireCooperationMember(context.principal, `changing ${what}`);
  requireUuid(field, id);
  const manager = await context.tx.manager();
  const row = await manager.findOne(entity, { where: { id } as FindOptionsWhere<T> });
  if (!row) throw notFound(name, id);
  requireEditor(context, row.organizationId, what);
  return row;
}

/**
 * Optimistic concurrency: locks the row for the rest of the request and compares its version with the one the
 * caller edited. CONFLICT (with both versions) when someone changed it in between.
 */
export async function lockForEdit<T extends VersionedRow>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  name: string,
  id: string,
  expectedVersion: number,
): Promise<T> {
  const current = await manager.findOne(entity, { where: { id } as FindOptionsWhere<T>, lock: { mode: 'pessimistic_write' } });
  if (!current) throw notFound(name, id);
  if (current.version !== expectedVersion) throw conflict(name, id, expectedVersion, current.version);
  return current;
}

/**
 * Saves the changed columns and always counts up the version (and updated_at), also when only texts or opening
 * hours of the entry changed: a caller holding the old version must reload before changing it again.
 */
export async function saveNewVersion<T extends VersionedRow>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  changes: QueryDeepPartialEntity<T>,
): Promise<T> {
  await manager.createQueryBuilder().update(entity).set(changes).where('id = :id', { id }).execute();
  return manager.findOneOrFail(entity, { where: { id } as FindOptionsWhere<T> });
}

export interface TextOwner {
  entityType: TranslatableEntity;
  entityId: string;
  ownerOrganizationId: string;
}

/**
 * Writes the texts of one field in the given languages with writeText() (other languages stay as they are).
 * Originals are written first, so that a changed original marks the existing translations OUTDATED but not the
 * translations sent along with it.
 */
export async function writeTexts(
  context: RequestContext,
  owner: TextOwner,
  field: string,
  inputField: string,
  texts: TextInput[] | null | undefined,
): Promise<void> {
  if (!texts?.length) return;
  if (!arrayUnique(texts, (text: TextInput) => text.lang)) throw invalidInput(inputField, 'uniqueLanguage', 'gives a language more than once');
  const manager = await context.tx.manager();
  const isOriginal = (text: TextInput) => Number(stateOf(text) === TranslationState.ORIGINAL);
  const originalsFirst = [...texts].sort((a, b) => isOriginal(b) - isOriginal(a));
  for (const text of originalsFirst) {
    await writeText(manager, { ...owner, field, lang: text.lang, text: text.text, state: stateOf(text), userId: context.principal?.userId ?? null });
  }
  context.loaders.get(translationsByEntity).clear(`${owner.entityType}:${owner.entityId}`);
}
