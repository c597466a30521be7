import { forbidden, isCooperationMember, isMunicipalAppOnly, Principal, RequestContext, requirePrincipal, Role } from '@integration-graph/common';
import { OrganizationKind } from '../entities/organization-kind';
import { organizationById } from '../loaders/organization-loaders';

/**
 * Cooperation meetings and standards (issue 6): everyone in the cooperation reads them (COOPERATION_ROLES), a
 * municipal app those of its own district (the district its municipality belongs to); only the coordinators of the
 * district itself change them (a coordinator's organisation is the district). PostgreSQL enforces the same with
 * app_authenticated(), app_is_municipal_app_of_district() and app_is_district_coordinator().
 */
export function requireCooperationReader(context: RequestContext, what: string): Principal {
  const principal = requirePrincipal(context.principal, what);
  if (!isCooperationMember(principal) && !principal.roles.includes(Role.MunicipalApp)) {
    throw forbidden(`Reading ${what} needs a role in the cooperation or a municipal app; your roles: ${principal.roles.join(', ')}`);
  }
  return principal;
}

/** The district of a municipal app's municipality; null when the caller's organisation is not a municipality. */
export async function municipalAppDistrict(context: RequestContext): Promise<string | null> {
  if (!context.principal) return null;
  const organization = await context.loaders.get(organizationById).load(context.principal.organizationId);
  return organization?.kind === OrganizationKind.MUNICIPALITY ? organization.parentId : null;
}

/** Whether the caller may read the cooperation of this district: everyone in the cooperation, a municipal app its own. */
export async function mayReadDistrictCooperation(context: RequestContext, districtId: string): Promise<boolean> {
  if (isCooperationMember(context.principal)) return true;
  if (!isMunicipalAppOnly(context.principal)) return false;
  return (await municipalAppDistrict(context)) === districtId;
}

/** FORBIDDEN for a municipal app asking about another district than its own (call after requireCooperationReader). */
export async function requireDistrictCooperationReader(context: RequestContext, districtId: string, what: string): Promise<void> {
  if (!(await mayReadDistrictCooperation(context, districtId))) {
    throw forbidden(`A municipal app reads the ${what} of its own district only`);
  }
}

export function isDistrictCoordinator(principal: Principal | null, districtId: string): boolean {
  return !!principal && principal.roles.includes(Role.Coordinator) && principal.organizationId === districtId;
}

/** UNAUTHENTICATED without a token, FORBIDDEN unless the caller is a coordinator of this district. */
export function requireDistrictCoordinator(context: RequestContext, districtId: string, action: string): Principal {
  const principal = requirePrincipal(context.principal, action);
  if (!isDistrictCoordinator(principal, districtId)) {
    throw forbidden(`Only the coordinators of the district may ${action}; your roles: ${principal.roles.join(', ')} at organisation ${principal.organizationId}`);
  }
  return principal;
}
