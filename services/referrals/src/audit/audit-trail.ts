import { auditTrailContribution } from '@integration-graph/common';

/** This subgraph's entries of the audit trail (the AuditTrail entity is answered by the cases subgraph's Query.auditTrail). */
export const { AuditTrailPart: AuditTrail, AuditTrailPartResolver: AuditTrailResolver } = auditTrailContribution({
  field: 'referrals',
  description: 'Entries of the referrals subgraph (referrals and the snapshots partners read), oldest first',
  requiresCaseIds: true,
});
