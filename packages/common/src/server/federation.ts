import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse } from 'graphql';
import { buildSchema, BuildSchemaOptions, createResolversMap } from 'type-graphql';
import { AuditConfig, instrumentAudit } from '../audit/instrument';
import { RequestContext } from '../context';

export const FEDERATION_VERSION = 'v2.9';
export const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@inaccessible', '@tag'];

export type ReferenceResolvers = GraphQLResolverMap<RequestContext>;

/**
 * Builds a Federation 2 subgraph schema from type-graphql classes: type-graphql produces the schema with the
 * federation directives given through @Directive, @apollo/subgraph adds _service/_entities and the reference
 * resolvers. type-graphql keeps global metadata: build one subgraph per process. `audit` names the types whose reads
 * are recorded in the audit trail; every mutation is recorded.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers,
  audit: AuditConfig,
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ validate: { forbidUnknownValues: false }, ...options, skipCheck: true });
  const typeDefs = parse(
    `extend schema @link(url: "https://specs.apollo.dev/federation/${FEDERATION_VERSION}", import: ${JSON.stringify(FEDERATION_IMPORTS)})\n` +
      printSchemaWithDirectives(schema),
  );
  const resolvers = createResolversMap(schema) as ReferenceResolvers;
  for (const [typeName, typeResolvers] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(typeResolvers as object) } as ReferenceResolvers[string];
  }
  // Every subgraph records its mutations and the reads of its personal-data types (packages/common/src/audit).
  return instrumentAudit(buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }), audit);
}
