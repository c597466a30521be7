import { forbidden, Principal, RequestContext, requirePrincipal, Role } from '@integration-graph/common';

/**
 * Cooperation meetings and standards (issue 6): everyone in the cooperation reads them, which means every
 * authenticated caller; only the coordinators of the district itself change them (a coordinator's organisation is
 * the district). PostgreSQL enforces the same with app_authenticated() and app_is_district_coordinator().
 */
export function requireCooperationReader(context: RequestContext, what: string): Principal {
  return requirePrincipal(context.principal, what);
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
