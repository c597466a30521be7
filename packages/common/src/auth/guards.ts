import { forbidden, unauthenticated } from '../errors';
import { Principal, Role } from './principal';

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
