import { RequestContext } from '@integration-graph/common';
import { Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { MAX_LABEL_LENGTH, optionalText, requireContactValue } from '../contact-validation';
import { ContactKind, ContactPoint, ContactVisibility } from '../entities/contact-point';
import { Organization } from '../entities/organization';
import { contactPointsByOrganization } from '../loaders/contact-loaders';
import { findOwnedRowForEdit, lockForEdit, requireOrganizationForEdit, saveNewVersion } from './directory-editing';

const VALUE_DESCRIPTION = 'E-mail address, phone number ("+49 781 805-0", "0781 805-0") or web address ("https://...")';

@InputType({ description: 'A new way to reach an organisation' })
export class AddContactPointInput {
  @Field(() => ID)
  organizationId: string;

  @Field(() => ContactKind)
  kind: ContactKind;

  @Field({ description: VALUE_DESCRIPTION })
  value: string;

  @Field(() => String, { nullable: true, description: 'What it is for, e.g. "Beratungstelefon"' })
  label?: string | null;

  @Field(() => ContactVisibility, { description: 'PUBLIC for everyone, INTERNAL for professionals of the network only' })
  visibility: ContactVisibility;
}

@InputType({ description: 'Changes to a contact point; omitted fields stay as they are, a null or empty label removes it' })
export class UpdateContactPointInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; CONFLICT if the contact point changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true, description: `${VALUE_DESCRIPTION}, of the contact point's kind` })
  value?: string | null;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => ContactVisibility, { nullable: true })
  visibility?: ContactVisibility | null;
}

const WHAT = "the organisation's contact points";

/** Contact points (HSDS: contact, phone) of organisations, and editing them. */
@Resolver(() => Organization)
export class ContactPointResolver {
  @FieldResolver(() => [ContactPoint], {
    description: 'Phone numbers, e-mail addresses and websites in the order the organisation set. Public callers and municipal apps see PUBLIC ones only; people who work in the cooperation also INTERNAL ones.',
  })
  contactPoints(@Root() organization: Organization, @Ctx() context: RequestContext): Promise<ContactPoint[]> {
    return context.loaders.get(contactPointsByOrganization).load(organization.id);
  }

  @Mutation(() => ContactPoint, { description: "Adds a contact point after the organisation's others (the organisation's org_admins and leads, or a coordinator)" })
  async addContactPoint(@Arg('input', () => AddContactPointInput) input: AddContactPointInput, @Ctx() context: RequestContext): Promise<ContactPoint> {
    const organization = await requireOrganizationForEdit(context, 'input.organizationId', input.organizationId, WHAT);
    const value = requireContactValue('input.value', input.kind, input.value);
    const label = optionalText('input.label', input.label, MAX_LABEL_LENGTH) ?? null;
    const manager = await context.tx.manager();
    const [{ next }]: { next: number }[] = await manager.query(
      `SELECT COALESCE(MAX(position) + 1, 0)::int AS next FROM contact_points WHERE organization_id = $1`,
      [organization.id],
    );
    const saved = await manager.save(
      manager.create(ContactPoint, { organizationId: organization.id, kind: input.kind, value, label, visibility: input.visibility, position: next }),
    );
    context.loaders.get(contactPointsByOrganization).clear(organization.id);
    return saved;
  }

  @Mutation(() => ContactPoint, { description: 'Changes the value, label or visibility of a contact point (its kind stays), guarded by expectedVersion' })
  async updateContactPoint(@Arg('input', () => UpdateContactPointInput) input: UpdateContactPointInput, @Ctx() context: RequestContext): Promise<ContactPoint> {
    const existing = await findOwnedRowForEdit(context, ContactPoint, 'ContactPoint', 'input.id', input.id, WHAT);
    const changes: Partial<Pick<ContactPoint, 'value' | 'label' | 'visibility'>> = {};
    if (input.value !== undefined) changes.value = requireContactValue('input.value', existing.kind, input.value ?? '');
    if (input.label !== undefined) changes.label = optionalText('input.label', input.label, MAX_LABEL_LENGTH) ?? null;
    if (input.visibility) changes.visibility = input.visibility;
    const manager = await context.tx.manager();
    await lockForEdit(manager, ContactPoint, 'ContactPoint', existing.id, input.expectedVersion);
    const saved = await saveNewVersion(manager, ContactPoint, existing.id, changes);
    context.loaders.get(contactPointsByOrganization).clear(existing.organizationId);
    return saved;
  }

  @Mutation(() => ID, { description: 'Removes a contact point; returns its id' })
  async removeContactPoint(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<string> {
    const existing = await findOwnedRowForEdit(context, ContactPoint, 'ContactPoint', 'id', id, WHAT);
    const manager = await context.tx.manager();
    await manager.delete(ContactPoint, { id: existing.id });
    context.loaders.get(contactPointsByOrganization).clear(existing.organizationId);
    return existing.id;
  }
}
