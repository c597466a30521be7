import { connectionType } from '@integration-graph/common';
import { Referral } from '../entities/referral';

/** Cursor-paginated list types of the referrals subgraph. */
export const ReferralConnection = connectionType('Referral', Referral);
