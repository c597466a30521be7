import { DEMO_ORGANIZATIONS, DEMO_USERS, demoId, OFFENBURG_AGS, Principal, tertialOf } from '@integration-graph/common';

/**
 * Who the benchmark acts as and on what: the callers of each operation and the ids its variables need. The demo seed
 * provides one set (demoSubjects); the state-scale generator another (scale-data.ts). Kept as JSON in the bench's
 * data folder, so that a reused cluster (--reuse) is measured with the same subjects.
 */
export interface BenchSubjects {
  /** "demo seed" or "scale N". */
  label: string;
  /** Partner staff of the organisation with the fullest inbox (operation 1). */
  partner: Principal;
  /** A caseworker with a caseload (operation 2, and the writes). */
  caseworker: Principal;
  /** A coordinator of the district compared (operation 4). */
  coordinator: Principal;
  districtId: string;
  /** The reporting period compared, e.g. "2026-T3". */
  period: string;
  /** The public directory: reachable from this municipality (AGS), titles in this language (operation 3). */
  directory: { ags: string; lang: string };
  /** Cases of the caseworker's organisation that consultations are recorded on (rotated per request). */
  consultationCaseIds: string[];
  /**
   * Referrals are sent on these cases (rotated) to this partner: cases whose client consented to sharing with it.
   * Not the inbox partner, so that the inbox measured stays the same from run to run.
   */
  referral: { caseIds: string[]; partnerOrganizationId: string; lifeArea: string };
  /** Page sizes of operations 1 to 3 (issue 8: 50 referrals, 50 cases, 20 offerings). */
  pageSizes: { inbox: number; caseload: number; directory: number };
}

export const DEFAULT_PAGE_SIZES = { inbox: 50, caseload: 50, directory: 20 };

function demoPrincipal(handle: string): Principal {
  const user = DEMO_USERS.find((candidate) => candidate.handle === handle);
  if (!user) throw new Error(`No demo user "${handle}"`);
  return { userId: user.id, organizationId: user.organizationId, roles: user.roles };
}

/** The tertial of today, e.g. "2026-T3": the demo seed's cases and referrals are recent. */
export function currentPeriod(now = new Date()): string {
  return tertialOf(now.toISOString().slice(0, 10)).label;
}

/** The demo seed (seedDemoData): the VHS's inbox, the Ortenaukreis's caseworker and coordinator, Offenburg. */
export function demoSubjects(now = new Date()): BenchSubjects {
  return {
    label: 'demo seed',
    partner: demoPrincipal('vhs-partner'),
    caseworker: demoPrincipal('ortenaukreis-caseworker'),
    coordinator: demoPrincipal('ortenaukreis-coordinator'),
    districtId: DEMO_ORGANIZATIONS.ortenaukreis.id,
    period: currentPeriod(now),
    directory: { ags: OFFENBURG_AGS, lang: 'UK' },
    consultationCaseIds: [demoId('case', 'ortenau-1'), demoId('case', 'ortenau-2')],
    referral: { caseIds: [demoId('case', 'ortenau-1')], partnerOrganizationId: DEMO_ORGANIZATIONS.jobcenter.id, lifeArea: 'WORK' },
    pageSizes: DEFAULT_PAGE_SIZES,
  };
}
