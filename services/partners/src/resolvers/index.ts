import { OrganizationResolver } from './organization-resolver';

/** Every resolver class of the partners subgraph. Add new ones here. */
export const RESOLVERS = [OrganizationResolver] as const;
