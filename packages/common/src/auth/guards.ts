import { forbidden, unauthenticated } from '../errors';
import { COOPERATION_ROLES, Principal, Role } from './principal';

/** The caller must be authenticated; returns the principal. `what` names what needs it, e.g. "Organization.staffing". */
export function requirePrincipal(principal: Principal | null, what?: string): Principal {
  if (!principal) {
    throw what ? unauthenticated(`Authentication required for ${what}: send "Authorization: Bearer <token>"`) : unauthenticated();
  }
  return principal;
}

/** The caller must hold one of the roles (deny by default). */
export function requireRole(principal: Principal | null, roles: readonly Role[], action: string): Principal {
  const caller = requirePrincipal(principal);
  if (!caller.roles.some((role) => roles.includes(role))) {
    throw forbidden(`Only ${roles.join(' or ')} may ${action}; your roles: ${caller.roles.join(', ')}`);
  }
  return caller;
}

/**
 * What used to be open to "every authenticated caller": only people who work in the cooperation (COOPERATION_ROLES).
 * UNAUTHENTICATED without a token, FORBIDDEN for a municipal app (and any role not listed there).
 */
export function requireCooperationMember(principal: Principal | null, what: string): Principal {
  const caller = requirePrincipal(principal, what);
  if (!caller.roles.some((role) => COOPERATION_ROLES.includes(role))) {
    throw forbidden(`${what}: for people who work in the cooperation only (${COOPERATION_ROLES.join(', ')}); your roles: ${caller.roles.join(', ')}`);
  }
  return caller;
}
