import { connectionType } from '@integration-graph/common';
import { CooperationMeeting } from '../entities/cooperation-meeting';
import { Municipality } from '../entities/municipality';
import { Offering } from '../entities/offering';
import { Organization } from '../entities/organization';

/** Cursor-paginated list types of the partners subgraph. */
export const OrganizationConnection = connectionType('Organization', Organization);
export const OfferingConnection = connectionType('Offering', Offering);
export const MunicipalityConnection = connectionType('Municipality', Municipality);
export const CooperationMeetingConnection = connectionType('CooperationMeeting', CooperationMeeting);
