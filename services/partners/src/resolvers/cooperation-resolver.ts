import {
  ConnectionArgs,
  invalidInput,
  LocalDateScalar,
  notFound,
  paginate,
  RequestContext,
  requireCooperationMember,
  requireUuid,
  updateWithVersion,
} from '@integration-graph/common';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { mayReadDistrictCooperation, requireCooperationReader, requireDistrictCooperationReader, requireDistrictCoordinator } from '../auth/cooperation-access';
import { CooperationMeeting } from '../entities/cooperation-meeting';
import { Organization } from '../entities/organization';
import { Standard } from '../entities/standard';
import { meetingById, participantIdsByMeeting, standardsByMeeting } from '../loaders/cooperation-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { requireOrderedDates } from '../validation';
import { CooperationMeetingConnection } from './connections';
import { RecordCooperationMeetingInput, UpdateCooperationMeetingInput } from './cooperation-inputs';
import { optionalText, requireDistrict, requireHeldOn, requireParticipants } from './cooperation-validation';

const READ = 'cooperation meetings';

function decisionsOf(decisions: string[]): string[] {
  return decisions.map((decision) => decision.trim());
}

async function writeParticipants(manager: EntityManager, meetingId: string, participantIds: string[]): Promise<void> {
  await manager.query(`DELETE FROM cooperation_meeting_participants WHERE meeting_id = $1`, [meetingId]);
  if (participantIds.length) {
    await manager.query(`INSERT INTO cooperation_meeting_participants (meeting_id, organization_id) SELECT $1, unnest($2::uuid[])`, [meetingId, participantIds]);
  }
}

/** Cooperation meetings (Kooperationstreffen): the cooperation (and a municipal app its district's) reads, the district's coordinators record and change them. */
@Resolver(() => CooperationMeeting)
export class CooperationMeetingResolver {
  @Query(() => CooperationMeetingConnection, {
    description:
      'Cooperation meetings of a district, newest first (then by id). Everyone in the cooperation; a municipal app those of its own district (FORBIDDEN for others); public callers get UNAUTHENTICATED.',
  })
  async cooperationMeetings(
    @Arg('districtId', () => ID) districtId: string,
    @Arg('from', () => LocalDateScalar, { nullable: true, description: 'Meetings held on or after this day' }) from: string | null | undefined,
    @Arg('to', () => LocalDateScalar, { nullable: true, description: 'Meetings held on or before this day' }) to: string | null | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() context: RequestContext,
  ) {
    requireCooperationReader(context, READ);
    const district = await requireDistrict(context, 'districtId', districtId);
    await requireDistrictCooperationReader(context, district.id, READ);
    requireOrderedDates('to', from, to);
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(CooperationMeeting, 'm').where('m.district_id = :districtId', { districtId: district.id });
    if (from) query.andWhere('m.held_on >= :from::date', { from });
    if (to) query.andWhere('m.held_on <= :to::date', { to });
    return paginate(query, page, { sortExpression: 'm.held_on', direction: 'DESC', sortValue: (m) => m.heldOn, idColumn: 'm.id', idOf: (m) => m.id });
  }

  @Query(() => CooperationMeeting, {
    nullable: true,
    description: 'One cooperation meeting by id (everyone in the cooperation; a municipal app those of its own district, null for others)',
  })
  async cooperationMeeting(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<CooperationMeeting | null> {
    requireCooperationReader(context, READ);
    const meeting = await context.loaders.get(meetingById).load(requireUuid('id', id));
    return meeting && (await mayReadDistrictCooperation(context, meeting.districtId)) ? meeting : null;
  }

  @FieldResolver(() => Organization, { description: 'The district (Landkreis) whose cooperation met' })
  async district(@Root() meeting: CooperationMeeting, @Ctx() context: RequestContext): Promise<Organization> {
    const district = await context.loaders.get(organizationById).load(meeting.districtId);
    if (!district) throw new Error(`district ${meeting.districtId} of cooperation meeting ${meeting.id} not found`);
    return district;
  }

  @FieldResolver(() => [Organization], { description: 'Organisations that took part, by name' })
  async participants(@Root() meeting: CooperationMeeting, @Ctx() context: RequestContext): Promise<Organization[]> {
    const ids = await context.loaders.get(participantIdsByMeeting).load(meeting.id);
    const organizations = await context.loaders.get(organizationById).loadMany(ids);
    return organizations.filter((org): org is Organization => org instanceof Organization);
  }

  @FieldResolver(() => [Standard], { description: 'Standards adopted at this meeting, in the order of the metrics (MetricKey), then by validFrom' })
  standardsAdopted(@Root() meeting: CooperationMeeting, @Ctx() context: RequestContext): Promise<Standard[]> {
    return context.loaders.get(standardsByMeeting).load(meeting.id);
  }

  @Mutation(() => CooperationMeeting, { description: 'Records a cooperation meeting of a district (coordinators of that district only)' })
  async recordCooperationMeeting(
    @Arg('input', () => RecordCooperationMeetingInput) input: RecordCooperationMeetingInput,
    @Ctx() context: RequestContext,
  ): Promise<CooperationMeeting> {
    requireCooperationMember(context.principal, 'recording a cooperation meeting');
    requireDistrictCoordinator(context, requireUuid('input.districtId', input.districtId), 'record cooperation meetings of this district');
    const district = await requireDistrict(context, 'input.districtId', input.districtId);
    requireHeldOn('input.heldOn', input.heldOn);
    const participantIds = await requireParticipants(context, 'input.participantIds', input.participantIds ?? []);
    const manager = await context.tx.manager();
    const meeting = await manager.save(
      manager.create(CooperationMeeting, {
        districtId: district.id,
        heldOn: input.heldOn,
        title: input.title.trim(),
        location: optionalText(input.location),
        minutes: optionalText(input.minutes),
        decisions: decisionsOf(input.decisions ?? []),
      }),
    );
    await writeParticipants(manager, meeting.id, participantIds);
    return meeting;
  }

  @Mutation(() => CooperationMeeting, {
    description: 'Changes a cooperation meeting (coordinators of its district only), guarded by expectedVersion; participants and decisions are replaced when given',
  })
  async updateCooperationMeeting(
    @Arg('input', () => UpdateCooperationMeetingInput) input: UpdateCooperationMeetingInput,
    @Ctx() context: RequestContext,
  ): Promise<CooperationMeeting> {
    requireCooperationMember(context.principal, 'changing a cooperation meeting');
    const id = requireUuid('input.id', input.id);
    const manager = await context.tx.manager();
    const meeting = await manager.findOneBy(CooperationMeeting, { id });
    if (!meeting) throw notFound('CooperationMeeting', id);
    requireDistrictCoordinator(context, meeting.districtId, 'change cooperation meetings of this district');

    const changes: QueryDeepPartialEntity<CooperationMeeting> = { updatedAt: () => 'now()' };
    if (input.heldOn != null) {
      changes.heldOn = requireHeldOn('input.heldOn', input.heldOn);
      const [{ first }]: { first: string | null }[] = await manager.query(
        `SELECT min(valid_from)::text AS first FROM standards WHERE adopted_at_meeting_id = $1`,
        [id],
      );
      if (first !== null && first < input.heldOn) {
        throw invalidInputNotAfterStandards(input.heldOn, first);
      }
    }
    if (input.title != null) changes.title = input.title.trim();
    if (input.location !== undefined) changes.location = optionalText(input.location);
    if (input.minutes !== undefined) changes.minutes = optionalText(input.minutes);
    if (input.decisions != null) changes.decisions = decisionsOf(input.decisions);
    const participantIds = input.participantIds != null ? await requireParticipants(context, 'input.participantIds', input.participantIds) : null;

    // The version is checked in the UPDATE itself: a stale one changes nothing (CONFLICT), participants included.
    const updated = await updateWithVersion(manager, CooperationMeeting, 'CooperationMeeting', id, input.expectedVersion, changes);
    if (participantIds) await writeParticipants(manager, id, participantIds);
    return updated;
  }
}

function invalidInputNotAfterStandards(heldOn: string, firstValidFrom: string) {
  return invalidInput(
    'input.heldOn',
    'notAfterAdoptedStandards',
    `a standard adopted at this meeting applies from ${firstValidFrom}: the meeting cannot have been held later (${heldOn})`,
  );
}
