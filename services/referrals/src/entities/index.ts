import { AuditEntry } from '@integration-graph/common';
import { Referral } from './referral';
import { ReferralEvent } from './referral-event';

/** Every TypeORM entity of the referrals subgraph. */
export const ENTITIES = [Referral, ReferralEvent, AuditEntry];
