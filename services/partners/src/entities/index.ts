import { AuditEntry } from '@integration-graph/common';
import { AccommodationSite } from './accommodation-site';
import { ContactPoint } from './contact-point';
import { CooperationMeeting } from './cooperation-meeting';
import { FundingAllocation } from './funding-allocation';
import { Location } from './location';
import { Offering } from './offering';
import { OpeningHours } from './opening-hours';
import { Organization } from './organization';
import { IntegrationManagementResponsibility } from './responsibility';
import { StaffingPosition } from './staffing-position';
import { Standard } from './standard';
import { TaxonomyTerm } from './taxonomy-term';
import { Translation } from './translation';

/** Every TypeORM entity of the partners subgraph. */
export const ENTITIES = [
  Organization,
  Translation,
  TaxonomyTerm,
  ContactPoint,
  Location,
  OpeningHours,
  IntegrationManagementResponsibility,
  StaffingPosition,
  FundingAllocation,
  AccommodationSite,
  Offering,
  CooperationMeeting,
  Standard,
  AuditEntry,
];
