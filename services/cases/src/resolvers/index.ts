import { AuditTrailResolver } from '../audit/audit-trail';
import { CaseManagementResolver } from './case-management-resolver';
import { DataSubjectRightsResolver } from './data-subject-rights-resolver';
import { CaseResolver } from './case-resolver';
import { ConsultationResolver } from './consultation-resolver';
import { GoalResolver } from './goal-resolver';
import { MeasureResolver } from './measure-resolver';
import { CasePlanResolver, IntegrationPlanResolver, PlanRevisionResolver } from './plan-resolver';
import { ClientResolver } from './client-resolver';
import { ReferralSupportResolver } from './referral-support-resolver';
import { CaseConsentsResolver, ConsentResolver } from './consent-resolver';
import { HouseholdChildResolver, HouseholdResolver } from './household-resolver';
import { DistrictStatisticsResolver, MunicipalityStatisticsResolver, ProviderStatisticsResolver } from '../statistics/resolvers';

/** Every resolver class of the cases subgraph. Add new ones here. */
export const RESOLVERS = [CaseResolver, CaseManagementResolver, ConsultationResolver, CasePlanResolver, IntegrationPlanResolver, PlanRevisionResolver, GoalResolver, MeasureResolver, ClientResolver, HouseholdResolver, HouseholdChildResolver, ConsentResolver, CaseConsentsResolver, ReferralSupportResolver, MunicipalityStatisticsResolver, ProviderStatisticsResolver, DistrictStatisticsResolver, AuditTrailResolver, DataSubjectRightsResolver] as const;
