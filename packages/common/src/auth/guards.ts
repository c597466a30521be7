import { forbidden, unauthenticated } from '../errors';
import { Principal, Role } from './principal';

/** The caller must be authenticated; returns the principal. */
export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
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
