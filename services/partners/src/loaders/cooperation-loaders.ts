import { byKeys, groupByKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { CooperationMeeting } from '../entities/cooperation-meeting';
import { Standard } from '../entities/standard';
import { METRIC_KEYS } from '../standards/metrics';

/**
 * Cooperation meetings and standards: each loader costs one SELECT per request however many meetings or standards
 * ask. Row-level security shows all of them to people who work in the cooperation, a municipal app its own
 * district's, and none to anyone else.
 */

/** Meetings by id (Standard.adoptedAt, cooperationMeeting). */
export const meetingById: LoaderFactory<string, CooperationMeeting | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(CooperationMeeting, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });

/** Ids of the organisations that took part in each meeting, by the organisations' names. */
export const participantIdsByMeeting: LoaderFactory<string, string[]> = (context) =>
  new DataLoader(async (meetingIds) => {
    const manager = await context.tx.manager();
    const rows: { meeting_id: string; organization_id: string }[] = await manager.query(
      `SELECT p.meeting_id, p.organization_id FROM cooperation_meeting_participants p
         JOIN organizations o ON o.id = p.organization_id
        WHERE p.meeting_id = ANY($1::uuid[]) ORDER BY o.name, o.id`,
      [meetingIds.filter(isUuid)],
    );
    return groupByKeys(meetingIds, rows, (row) => row.meeting_id).map((group) => group.map((row) => row.organization_id));
  });

/** Standards adopted at each meeting, in the order of the metric table, then by validFrom. */
export const standardsByMeeting: LoaderFactory<string, Standard[]> = (context) =>
  new DataLoader(async (meetingIds) => {
    const manager = await context.tx.manager();
    const rows = await manager
      .createQueryBuilder(Standard, 's')
      .where('s.adopted_at_meeting_id = ANY(:ids::uuid[])', { ids: meetingIds.filter(isUuid) })
      .orderBy('array_position(:metrics::text[], s.metric)')
      .addOrderBy('s.valid_from')
      .addOrderBy('s.id')
      .setParameter('metrics', [...METRIC_KEYS])
      .getMany();
    return groupByKeys(meetingIds, rows, (row) => row.adoptedAtMeetingId!);
  });
