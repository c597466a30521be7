import { entityReference } from '@integration-graph/common';

/** Owned by the partners subgraph; referrals contributes Organization.incomingReferralCount. */
export const Organization = entityReference('Organization', { resolvable: true });

/** Owned by the partners subgraph; referrals contributes Offering.waitlistLength. */
export const Offering = entityReference('Offering', { resolvable: true });

/** Owned by the cases subgraph; referrals contributes Case.referrals. */
export const Case = entityReference('Case', { resolvable: true });

/** Owned by the partners subgraph; a referral points at the municipality the client lived in when it was sent. */
export const Municipality = entityReference('Municipality', { resolvable: false });
