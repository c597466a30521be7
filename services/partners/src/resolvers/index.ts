import { AuditTrailResolver } from '../audit/audit-trail';
import { DistrictStatisticsResolver, MunicipalityStatisticsResolver, ProviderStatisticsResolver, StateStatisticsResolver } from '../statistics/statistics-resolver';
import { MunicipalityResolver } from './municipality-resolver';
import { OfferingResolver } from './offering-resolver';
import { OrganizationResolver } from './organization-resolver';
import { TaxonomyResolver } from './taxonomy-resolver';
import { TextResolver } from './text-resolver';
import { AccommodationSiteResolver, MunicipalityAccommodationResolver } from './accommodation-resolver';
import { FundingAllocationResolver, MunicipalityFundingResolver } from './funding-resolver';
import { IntegrationManagementResponsibilityResolver, MunicipalityResponsibilityResolver } from './responsibility-resolver';
import { OrganizationStaffingResolver, StaffingPositionResolver } from './staffing-resolver';
import { ContactPointResolver } from './contact-resolver';
import { OrganizationFreshnessResolver } from './freshness-resolver';
import { LocationResolver, OrganizationLocationResolver } from './location-resolver';
import { OrganizationProfileResolver } from './profile-resolver';
import { CooperationMeetingResolver } from './cooperation-resolver';
import { StandardResolver } from './standard-resolver';

/** Every resolver class of the partners subgraph. Add new ones here. */
export const RESOLVERS = [
  OrganizationResolver,
  MunicipalityResolver,
  OfferingResolver,
  TaxonomyResolver,
  TextResolver,
  MunicipalityResponsibilityResolver,
  IntegrationManagementResponsibilityResolver,
  OrganizationStaffingResolver,
  StaffingPositionResolver,
  MunicipalityFundingResolver,
  FundingAllocationResolver,
  MunicipalityAccommodationResolver,
  AccommodationSiteResolver,
  OrganizationProfileResolver,
  ContactPointResolver,
  OrganizationLocationResolver,
  LocationResolver,
  OrganizationFreshnessResolver,
  CooperationMeetingResolver,
  StandardResolver,
  DistrictStatisticsResolver,
  StateStatisticsResolver,
  MunicipalityStatisticsResolver,
  ProviderStatisticsResolver,
  AuditTrailResolver,
] as const;
