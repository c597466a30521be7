import { invalidInput, notFound, Principal, RequestContext, requireRole, requireUuid, Role } from '@integration-graph/common';
import { Case } from '../entities/case';
import { CaseStatus } from '../entities/case-status';
import { refuseChangeIfRestricted, refuseSharingIfRestricted } from '../rights/restriction';

/** Who may work with case data at all; row-level security narrows it to the organisation (and assignments). */
export const CASE_STAFF: readonly Role[] = [Role.Caseworker, Role.Lead];

export function requireCaseStaff(context: RequestContext, action: string): Principal {
  return requireRole(context.principal, CASE_STAFF, action);
}

/**
 * The case the caller wants to change, as far as they may see it (row-level security): NOT_FOUND otherwise, so
 * that another organisation learns nothing about it; FORBIDDEN (rule processingRestricted) when its client's
 * processing is restricted. `field` names the input field that carried the id.
 */
export async function loadCaseForChange(
  context: RequestContext,
  field: string,
  caseId: string,
  options: { open?: boolean; lockShared?: boolean; purpose?: 'change' | 'share' } = {},
): Promise<Case> {
  requireUuid(field, caseId);
  // A restricted client's case changes for nobody (and is not shared): FORBIDDEN, rule processingRestricted, for
  // leads too, and for caseworkers instead of NOT_FOUND (row-level security hides the case from them).
  if (options.purpose === 'share') await refuseSharingIfRestricted(context, field, caseId);
  else await refuseChangeIfRestricted(context, 'Case', field, caseId);
  const manager = await context.tx.manager();
  // lockShared: for changes that hang off the case without updating its row (consents, consultations) — a closeCase
  // running at the same moment waits, so nothing slips into a case that is being closed. Do not use it before
  // updating the case row itself (two shared locks upgrading at once would deadlock).
  const found = await manager.findOne(Case, {
    where: { id: requireUuid(field, caseId) },
    ...(options.lockShared ? { lock: { mode: 'pessimistic_read' as const } } : {}),
  });
  if (!found) throw notFound('Case', caseId);
  if (options.open && found.status === CaseStatus.CLOSED) {
    throw invalidInput(field, 'caseOpen', 'the case is closed; reopen it as a new case if counselling starts again');
  }
  return found;
}
