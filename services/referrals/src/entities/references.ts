import { entityReference } from '@integration-graph/common';

/** Owned by the partners subgraph; referrals only points at organisations. */
export const Organization = entityReference('Organization', { resolvable: false });

/** Owned by the cases subgraph; referrals contributes Case.referrals. */
export const Case = entityReference('Case', { resolvable: true });
