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
  /**
   * A municipality's app (Bürger-App, the backend of the municipal website), with a token whose organisation is the
   * municipality: the public directory, the cooperation meetings and standards of its district, and the comparison
   * for its own municipality with the district's distribution. No personal data, no internal figures, no editing.
   */
  MunicipalApp = 'municipal_app',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

/**
 * The roles of people who work in the cooperation (integration management, partners, coordination, audit,
 * directory administration): what "every authenticated caller" means for internal data such as internal contact
 * points, accommodation sites or the cooperation meetings of every district. Listed, not derived: a role added
 * later (like the municipal app) is not in it until someone decides so (deny by default).
 */
export const COOPERATION_ROLES: readonly Role[] = [Role.Caseworker, Role.Lead, Role.Partner, Role.Coordinator, Role.Auditor, Role.OrgAdmin];

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

/** The caller works in the cooperation (COOPERATION_ROLES); false for public callers and municipal apps. */
export function isCooperationMember(principal: Principal | null | undefined): boolean {
  return hasAnyRole(principal, COOPERATION_ROLES);
}

/** The caller is a municipal app and nothing more: the municipal view applies (see Role.MunicipalApp). */
export function isMunicipalAppOnly(principal: Principal | null | undefined): principal is Principal {
  return !!principal && principal.roles.includes(Role.MunicipalApp) && !isCooperationMember(principal);
}
