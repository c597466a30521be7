import { entityReference } from '@integration-graph/common';

/** Organisations are owned by the partners subgraph; cases only points at them. */
export const Organization = entityReference('Organization', { resolvable: false });

/** Municipalities are owned by the partners subgraph (addressable by id or AGS); cases points at them by id. */
export const Municipality = entityReference('Municipality', { resolvable: false });

/** Follow-up accommodation sites are owned by the partners subgraph. */
export const AccommodationSite = entityReference('AccommodationSite', { resolvable: false });
