import { AuditTrailResolver } from '../audit/audit-trail';
import { DistrictReferralStatisticsResolver, MunicipalityReferralStatisticsResolver, ProviderReferralStatisticsResolver } from '../statistics/resolvers';
import { LifecycleResolver } from './lifecycle-resolver';
import { CaseReferralsResolver, OfferingReferralsResolver, OrganizationReferralsResolver, ReferralResolver } from './referral-resolver';
import { WebhookResolver } from './webhook-resolver';

/** Every resolver class of the referrals subgraph. Add new ones here. */
export const RESOLVERS = [
  ReferralResolver,
  LifecycleResolver,
  CaseReferralsResolver,
  OrganizationReferralsResolver,
  OfferingReferralsResolver,
  WebhookResolver,
  MunicipalityReferralStatisticsResolver,
  ProviderReferralStatisticsResolver,
  DistrictReferralStatisticsResolver,
  AuditTrailResolver,
] as const;
