import { auditTrailContribution } from '@integration-graph/common';

/** This subgraph's entries of the audit trail (the AuditTrail entity is answered by the cases subgraph's Query.auditTrail). */
export const { AuditTrailPart: AuditTrail, AuditTrailPartResolver: AuditTrailResolver } = auditTrailContribution({
  field: 'directory',
  description: 'Entries of the partners subgraph (changes of the directory, meetings and standards), oldest first',
  requiresCaseIds: false,
});
