import { entityReference } from '@integration-graph/common';

/** Organisations are owned by the partners subgraph; cases only points at them. */
export const Organization = entityReference('Organization', { resolvable: false });
