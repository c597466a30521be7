import { forbidden, hasAnyRole, Principal, RequestContext, requirePrincipal, Role } from '@integration-graph/common';

/**
 * Who may change directory entries: district coordinators everywhere, and an organisation's own administrators
 * (org_admin) and leads for that organisation. PostgreSQL enforces the same with app_may_edit().
 */
export function mayEdit(principal: Principal | null, organizationId: string | null): boolean {
  if (!principal) return false;
  if (principal.roles.includes(Role.Coordinator)) return true;
  return organizationId !== null && principal.organizationId === organizationId && hasAnyRole(principal, [Role.OrgAdmin, Role.Lead]);
}

export function requireEditor(context: RequestContext, organizationId: string | null, what: string): Principal {
  const principal = requirePrincipal(context.principal, `changing ${what}`);
  if (!mayEdit(principal, organizationId)) {
    throw forbidden(`Only the organisation's administrators (org_admin, lead) or a coordinator may change ${what}`);
  }
  return principal;
}

/** Internal figures (staffing, funding): coordinators, and the leads of the organisation concerned. */
export function maySeeInternal(principal: Principal | null, organizationIds: (string | null)[]): boolean {
  if (!principal) return false;
  if (principal.roles.includes(Role.Coordinator)) return true;
  return principal.roles.includes(Role.Lead) && organizationIds.includes(principal.organizationId);
}

export function requireInternalReader(context: RequestContext, organizationIds: (string | null)[], what: string): Principal {
  const principal = requirePrincipal(context.principal, what);
  if (!maySeeInternal(principal, organizationIds)) {
    throw forbidden(`${what} is internal: only coordinators and the leads of the organisation concerned may see it`);
  }
  return principal;
}
