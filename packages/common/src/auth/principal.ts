/**
 * Roles carried in the token's `roles` claim. Public callers have no token and therefore no principal.
 * docs/security.md explains what each role may do.
 */
export enum Role {
  /** Integration manager (Integrationsmanager:in) of a providing organisation: works their organisation's cases. */
  Caseworker = 'caseworker',
  /** Team lead of a providing organisation: everything a caseworker may, plus overrides and assignments. */
  Lead = 'lead',
  /** Staff of a partner organisation (Jobcenter, language-course provider, ...): works the referral inbox. */
  Partner = 'partner',
  /** District coordinator: cooperation meetings, standards, aggregated figures; no personal data. */
  Coordinator = 'coordinator',
  /** Data-protection auditor: reads the audit trail. */
  Auditor = 'auditor',
  /** Administrator of an organisation's directory entries (contacts, locations, offerings, texts). */
  OrgAdmin = 'org_admin',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}

/** The authenticated caller, built by each service from a verified token (never from an unsigned header). */
export interface Principal {
  userId: string;
  organizationId: string;
  roles: Role[];
}

export function hasAnyRole(principal: Principal | null | undefined, roles: readonly Role[]): boolean {
  return !!principal && principal.roles.some((role) => roles.includes(role));
}
