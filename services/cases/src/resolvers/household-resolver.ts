import { conflict, invalidInput, LocalDateScalar, notFound, RequestContext, requireUuid, updateWithVersion } from '@integration-graph/common';
import { ArrayMaxSize, ArrayNotEmpty, IsOptional, Length, Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { EntityManager, In } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { requireCaseStaff } from '../auth/case-access';
import { Client } from '../entities/client';
import { ChildCareStatus } from '../entities/enums';
import { Household, HouseholdChild } from '../entities/household';
import { childrenByHousehold, householdById, membersByHousehold } from '../loaders/client-loaders';
import { nullUnlessRestricted, refuseChangeIfRestricted, refuseIfAnonymised } from '../rights/restriction';
import { requireNotInFuture, todayInGermany } from '../validation';
import { ageOn } from '../eligibility';
import { requireNotBlank, requireNotNull } from './client-resolver';

@InputType({ description: 'A new household of clients of your organisation' })
export class CreateHouseholdInput {
  @Field({ description: 'How the household is called in the office, e.g. "Familie Haddad"' })
  @Length(1, 200)
  name: string;

  @Field(() => [ID], { description: 'The clients who belong to it; none of them may belong to another household yet (move them with joinHousehold)' })
  @ArrayNotEmpty()
  @ArrayMaxSize(30)
  memberClientIds: string[];
}

@InputType({ description: 'Moves a client into a household (out of the one the client belonged to, if any)' })
export class JoinHouseholdInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => ID)
  householdId: string;

  @Field(() => Int, { description: 'The client’s version you last read' })
  @Min(1)
  expectedVersion: number;
}

@InputType({ description: 'Takes a client out of their household' })
export class LeaveHouseholdInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => Int, { description: 'The client’s version you last read' })
  @Min(1)
  expectedVersion: number;
}

@InputType({ description: 'A child (under 18) of a household; children are counselled through their household' })
export class AddHouseholdChildInput {
  @Field(() => ID)
  householdId: string;

  @Field()
  @Length(1, 100)
  givenName: string;

  @Field(() => LocalDateScalar, { description: 'Not in the future; the child must be under 18 today' })
  dateOfBirth: string;

  @Field(() => ChildCareStatus)
  careStatus: ChildCareStatus;
}

@InputType({ description: 'Changes a child of a household; omitted fields keep their value' })
export class UpdateHouseholdChildInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; refused with CONFLICT if the child’s record changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  givenName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Not in the future; the child must be under 18 today' })
  dateOfBirth?: string | null;

  @Field(() => ChildCareStatus, { nullable: true })
  careStatus?: ChildCareStatus | null;
}

@InputType({ description: 'Removes a child from a household (e.g. moved out, or now an adult client of their own)' })
export class RemoveHouseholdChildInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;
}

/** A child's date of birth: not in the future, under 18 today. */
function requireChildBirthDate(field: string, dateOfBirth: string): void {
  const today = todayInGermany();
  requireNotInFuture(field, dateOfBirth, today);
  const age = ageOn(dateOfBirth, today);
  if (age >= 18) throw invalidInput(field, 'isChild', `the child would be ${age}; adults are clients of their own (add them with openCase and joinHousehold)`);
}

async function loadHousehold(manager: EntityManager, field: string, id: string): Promise<Household> {
  const household = await manager.findOneBy(Household, { id: requireUuid(field, id) });
  if (!household) throw notFound('Household', id);
  return household;
}

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => Household, { nullable: true, description: 'One household of your organisation; null if it does not exist or is not yours' })
  async household(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Household | null> {
    requireCaseStaff(context, 'read households');
    // The household of a restricted client is hidden from caseworkers (row-level security): FORBIDDEN with the reason.
    return nullUnlessRestricted(context, 'Household', id, await context.loaders.get(householdById).load(requireUuid('id', id)));
  }

  @FieldResolver(() => [Client], { description: 'The clients of the household, by family name, given name' })
  members(@Root() household: Household, @Ctx() context: RequestContext): Promise<Client[]> {
    return context.loaders.get(membersByHousehold).load(household.id);
  }

  @FieldResolver(() => [HouseholdChild], { description: 'The children of the household, oldest first' })
  children(@Root() household: Household, @Ctx() context: RequestContext): Promise<HouseholdChild[]> {
    return context.loaders.get(childrenByHousehold).load(household.id);
  }

  @Mutation(() => Household, { description: 'Creates a household of clients of your organisation' })
  async createHousehold(@Arg('input', () => CreateHouseholdInput) input: CreateHouseholdInput, @Ctx() context: RequestContext): Promise<Household> {
    const caller = requireCaseStaff(context, 'create households');
    requireNotBlank('input.name', input.name);
    const ids = [...new Set(input.memberClientIds.map((id) => requireUuid('input.memberClientIds', id)))];
    for (const id of ids) await refuseChangeIfRestricted(context, 'Client', 'input.memberClientIds', id);
    const manager = await context.tx.manager();
    // Locked, so that a client cannot join two new households at once.
    const members = await manager.find(Client, { where: { id: In(ids) }, lock: { mode: 'pessimistic_write' } });
    const missing = ids.find((id) => !members.some((member) => member.id === id));
    if (missing) throw notFound('Client', missing);
    for (const member of members) refuseIfAnonymised('input.memberClientIds', member);
    const taken = members.find((member) => member.householdId);
    if (taken) {
      throw invalidInput(
        'input.memberClientIds',
        'notInOtherHousehold',
        `client ${taken.id} already belongs to household ${taken.householdId}; move them with joinHousehold`,
      );
    }
    const household = await manager.save(manager.create(Household, { ownerOrganizationId: caller.organizationId, name: input.name.trim() }));
    await manager.createQueryBuilder().update(Client).set({ householdId: household.id }).where({ id: In(ids) }).execute();
    return household;
  }

  @Mutation(() => Client, { description: 'Moves a client into a household, guarded by the client’s expectedVersion' })
  async joinHousehold(@Arg('input', () => JoinHouseholdInput) input: JoinHouseholdInput, @Ctx() context: RequestContext): Promise<Client> {
    requireCaseStaff(context, 'change households');
    await refuseChangeIfRestricted(context, 'Client', 'input.clientId', requireUuid('input.clientId', input.clientId));
    await refuseChangeIfRestricted(context, 'Household', 'input.householdId', requireUuid('input.householdId', input.householdId));
    const manager = await context.tx.manager();
    const household = await loadHousehold(manager, 'input.householdId', input.householdId);
    const client = await manager.findOneBy(Client, { id: input.clientId });
    if (client) refuseIfAnonymised('input.clientId', client);
    // Moving out of a household changes it too.
    if (client?.householdId) await refuseChangeIfRestricted(context, 'Household', 'input.clientId', client.householdId);
    return updateWithVersion(manager, Client, 'Client', input.clientId, input.expectedVersion, { householdId: household.id });
  }

  @Mutation(() => Client, { description: 'Takes a client out of their household, guarded by the client’s expectedVersion' })
  async leaveHousehold(@Arg('input', () => LeaveHouseholdInput) input: LeaveHouseholdInput, @Ctx() context: RequestContext): Promise<Client> {
    requireCaseStaff(context, 'change households');
    await refuseChangeIfRestricted(context, 'Client', 'input.clientId', requireUuid('input.clientId', input.clientId));
    const manager = await context.tx.manager();
    const client = await manager.findOneBy(Client, { id: input.clientId });
    if (!client) throw notFound('Client', input.clientId);
    refuseIfAnonymised('input.clientId', client);
    if (client.householdId) await refuseChangeIfRestricted(context, 'Household', 'input.clientId', client.householdId);
    if (!client.householdId) throw invalidInput('input.clientId', 'inHousehold', 'the client does not belong to a household');
    return updateWithVersion(manager, Client, 'Client', client.id, input.expectedVersion, { householdId: null });
  }

  @Mutation(() => HouseholdChild, { description: 'Adds a child (under 18) to a household' })
  async addHouseholdChild(@Arg('input', () => AddHouseholdChildInput) input: AddHouseholdChildInput, @Ctx() context: RequestContext): Promise<HouseholdChild> {
    requireCaseStaff(context, 'change households');
    requireNotBlank('input.givenName', input.givenName);
    requireChildBirthDate('input.dateOfBirth', input.dateOfBirth);
    await refuseChangeIfRestricted(context, 'Household', 'input.householdId', requireUuid('input.householdId', input.householdId));
    const manager = await context.tx.manager();
    const household = await loadHousehold(manager, 'input.householdId', input.householdId);
    return manager.save(
      manager.create(HouseholdChild, {
        ownerOrganizationId: household.ownerOrganizationId,
        householdId: household.id,
        givenName: input.givenName.trim(),
        dateOfBirth: input.dateOfBirth,
        careStatus: input.careStatus,
      }),
    );
  }

  @Mutation(() => HouseholdChild, { description: 'Changes a child of a household (e.g. from daycare to primary school), guarded by expectedVersion' })
  async updateHouseholdChild(
    @Arg('input', () => UpdateHouseholdChildInput) input: UpdateHouseholdChildInput,
    @Ctx() context: RequestContext,
  ): Promise<HouseholdChild> {
    requireCaseStaff(context, 'change households');
    requireUuid('input.id', input.id);
    requireNotNull(input, 'input', ['givenName', 'dateOfBirth', 'careStatus']);
    await refuseChangeIfRestricted(context, 'HouseholdChild', 'input.id', input.id);
    requireNotBlank('input.givenName', input.givenName);
    if (input.dateOfBirth) requireChildBirthDate('input.dateOfBirth', input.dateOfBirth);
    const changes: QueryDeepPartialEntity<HouseholdChild> = {};
    if (input.givenName) changes.givenName = input.givenName.trim();
    if (input.dateOfBirth) changes.dateOfBirth = input.dateOfBirth;
    if (input.careStatus) changes.careStatus = input.careStatus;
    const manager = await context.tx.manager();
    if (!Object.keys(changes).length) {
      const current = await manager.findOneBy(HouseholdChild, { id: input.id });
      if (!current) throw notFound('HouseholdChild', input.id);
      if (current.version !== input.expectedVersion) throw conflict('HouseholdChild', current.id, input.expectedVersion, current.version);
      return current;
    }
    return updateWithVersion(manager, HouseholdChild, 'HouseholdChild', input.id, input.expectedVersion, changes);
  }

  @Mutation(() => ID, { description: 'Removes a child from a household, guarded by expectedVersion; returns the id of the removed record' })
  async removeHouseholdChild(@Arg('input', () => RemoveHouseholdChildInput) input: RemoveHouseholdChildInput, @Ctx() context: RequestContext): Promise<string> {
    requireCaseStaff(context, 'change households');
    requireUuid('input.id', input.id);
    await refuseChangeIfRestricted(context, 'HouseholdChild', 'input.id', input.id);
    const manager = await context.tx.manager();
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(HouseholdChild)
      .where('id = :id AND version = :expectedVersion', { id: input.id, expectedVersion: input.expectedVersion })
      .execute();
    if (result.affected === 1) return input.id;
    const current = await manager.findOneBy(HouseholdChild, { id: input.id });
    if (!current) throw notFound('HouseholdChild', input.id);
    throw conflict('HouseholdChild', current.id, input.expectedVersion, current.version);
  }
}

@Resolver(() => HouseholdChild)
export class HouseholdChildResolver {
  @FieldResolver(() => Int, { description: 'Age in completed years today (Europe/Berlin)' })
  age(@Root() child: HouseholdChild): number {
    return ageOn(child.dateOfBirth, todayInGermany());
  }
}
