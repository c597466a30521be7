import type { ApolloServer } from '@apollo/server';
import type { Request, Response } from 'express';
import { getNamedType, GraphQLObjectType, GraphQLSchema, isLeafType, isNonNullType, isObjectType } from 'graphql';

/**
 * The data subject's access and portability export (Art. 15 and 20 GDPR): everything the platform holds about one
 * client, across all subgraphs, as one JSON document, with the audit trail about the client. Built from the
 * supergraph itself — every field of Client and of everything hanging off it (cases, household, plan, goals,
 * measures, revisions, consultations, consents, referrals with their history and snapshot) — so that a field added
 * later is exported without anyone remembering to. Run through the gateway with the caller's token: the subgraphs
 * decide what the caller may see (the owning organisation's leads) and record the reads in the audit trail.
 */

/** Entities of the directory: the export names them (id and name), it does not copy the directory. */
const REFERENCE_TYPES: Record<string, string> = {
  Organization: 'id name',
  Offering: 'id',
  Municipality: 'id name ags',
  AccommodationSite: 'id name',
  CounsellingProgram: 'id name',
};
/** Lists paged in follow-up requests (see CONNECTIONS); everything else comes in the first request. */
const PAGE_SIZE = 100;

export const EXPORT_PURPOSE = 'Auskunft/Datenübertragbarkeit (Art. 15, 20 DSGVO)';

interface Connection {
  /** Where it is, from Query.client(id: $clientId) ... */
  path: string[];
  field: string;
  nodeType: string;
}

/** The selection set of a type, its connections (paged separately) listed in `connections`. */
function selectionOf(schema: GraphQLSchema, type: GraphQLObjectType, ancestors: string[], path: string[], connections: Connection[]): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
    } else if (isObjectType(named)) {
      if (REFERENCE_TYPES[named.name] !== undefined) {
        parts.push(`${field.name} { ${REFERENCE_TYPES[named.name]} }`);
      } else if (named.name.endsWith('Connection')) {
        const node = getNamedType(named.getFields().edges.type) as GraphQLObjectType;
        connections.push({ path, field: field.name, nodeType: (getNamedType(node.getFields().node.type) as GraphQLObjectType).name });
      } else if (!ancestors.includes(named.name)) {
        parts.push(`${field.name} { ${selectionOf(schema, named, [...ancestors, named.name], [...path, field.name], connections)} }`);
      }
    }
  }
  return parts.join(' ');
}

export interface ExportPlan {
  document: string;
  connections: { connection: Connection; document: string }[];
}

/** The export's requests, derived from the supergraph: the client with everything below it, then one per connection. */
export function exportPlan(schema: GraphQLSchema): ExportPlan {
  const client = schema.getType('Client') as GraphQLObjectType;
  const connections: Connection[] = [];
  const document = `query DataSubjectExport($clientId: ID!) { client(id: $clientId) { ${selectionOf(schema, client, ['Client'], [], connections)} } }`;
  return {
    document,
    connections: connections.map((connection) => {
      const node = schema.getType(connection.nodeType) as GraphQLObjectType;
      const inner = `${connection.field}(first: ${PAGE_SIZE}, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${selectionOf(schema, node, [node.name], [], [])} } } }`;
      // Re-reached by id from the top: cases are lists, so the path is walked in the data (see fetchConnection).
      return { connection, document: inner };
    }),
  };
}

type Json = Record<string, unknown>;
type Execute = (query: string, variables: Json) => Promise<{ data?: Json | null; errors?: readonly { message: string; extensions?: Json }[] }>;

class ExportError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly { message: string; extensions?: Json }[],
  ) {
    super(errors[0]?.message ?? 'export failed');
  }
}

function statusOf(errors: readonly { extensions?: Json }[]): number {
  const code = String(errors[0]?.extensions?.code ?? '');
  return code === 'UNAUTHENTICATED' ? 401 : code === 'FORBIDDEN' ? 403 : code === 'BAD_USER_INPUT' ? 400 : code === 'NOT_FOUND' ? 404 : 502;
}

async function run(execute: Execute, query: string, variables: Json): Promise<Json> {
  const result = await execute(query, variables);
  if (result.errors?.length) throw new ExportError(statusOf(result.errors), result.errors);
  return result.data ?? {};
}

/**
 * Pages a connection completely. Lists of cases: `case(id)` re-reaches a case; a connection below the client (none
 * today) or below a case's plan is reached through the same root by its path.
 */
async function pageAll(execute: Execute, root: { field: string; args: string; variables: Json }, path: string[], inner: string): Promise<Json[]> {
  const nodes: Json[] = [];
  let after: string | null = null;
  for (;;) {
    const selection = path.reduceRight((acc, segment) => `${segment} { ${acc} }`, inner);
    const query = `query DataSubjectExportPage($after: String, ${root.args}) { ${root.field} { ${selection} } }`;
    const data = await run(execute, query, { ...root.variables, after });
    let value = data[root.field.split('(')[0]] as Json | null;
    for (const segment of path) value = (value?.[segment] as Json | null) ?? null;
    const connectionField = inner.split('(')[0];
    const page = value?.[connectionField] as { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Json }[] } | undefined;
    if (!page) return nodes;
    nodes.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** Builds the export document; throws ExportError with the GraphQL errors when the caller may not have it. */
export async function buildDataSubjectExport(schema: GraphQLSchema, execute: Execute, clientId: string, exportedBy: { userId: string; organizationId: string }): Promise<Json> {
  const plan = exportPlan(schema);
  const data = await run(execute, plan.document, { clientId });
  const client = data.client as Json | null;
  if (!client) throw new ExportError(404, [{ message: `Client ${clientId} not found (or not a client of your organisation)`, extensions: { code: 'NOT_FOUND' } }]);

  // Connections: below a case (consultations; the plan's revisions) paged per case; none sits directly on Client.
  for (const { connection, document } of plan.connections) {
    const [first, ...rest] = connection.path;
    if (first !== 'cases') throw new Error(`export: a connection at ${connection.path.join('.')} is not below a case; extend the export`);
    for (const theCase of (client.cases as Json[]) ?? []) {
      let target: Json | null = theCase;
      for (const segment of rest) target = (target?.[segment] as Json | null) ?? null;
      if (!target) continue;
      target[connection.field] = await pageAll(execute, { field: 'case(id: $caseId)', args: '$caseId: ID!', variables: { caseId: theCase.id } }, rest, document);
    }
  }

  // The audit trail about the client, from every subgraph.
  const trailFields = ['cases', 'referrals', 'directory'];
  const auditTrail: Record<string, Json[]> = {};
  const entry = 'sequence service recordedAt action operation operationName actorUserId actorOrganizationId actorRoles purpose entityType entityIds fields dataOwnerOrganizationId subjectClientIds subjectCaseIds hash previousHash';
  for (const field of trailFields) {
    auditTrail[field] = await pageAll(
      execute,
      { field: 'auditTrail(clientId: $clientId)', args: '$clientId: ID!', variables: { clientId } },
      [],
      `${field}(first: ${PAGE_SIZE}, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${entry} } } }`,
    );
  }
  return {
    format: 'integration-graph/data-subject-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    exportedBy,
    purpose: EXPORT_PURPOSE,
    clientId,
    client,
    auditTrail,
  };
}

/** GET /exports/data-subject/:clientId.json — the export as a download (the caller's token, e.g. a lead's). */
export function dataSubjectExport(
  apollo: ApolloServer<never>,
  schema: () => GraphQLSchema,
  contextFor: (req: Request, res: Response) => Promise<{ principal: { userId: string; organizationId: string } | null; purpose?: string | null }>,
) {
  return async (req: Request, res: Response) => {
    const clientId = String(req.params.clientId ?? '');
    let contextValue: Awaited<ReturnType<typeof contextFor>>;
    try {
      contextValue = await contextFor(req, res);
    } catch (error) {
      res.status(401).json({ errors: [{ message: error instanceof Error ? error.message : 'Authentication failed' }] });
      return;
    }
    if (!contextValue.principal) {
      res.status(401).json({ errors: [{ message: 'Authentication required: send "Authorization: Bearer <token>"', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    // The reads of the export are recorded with this purpose unless the caller stated one.
    contextValue.purpose ??= EXPORT_PURPOSE;
    const execute: Execute = async (query, variables) => {
      const response = await apollo.executeOperation({ query, variables }, { contextValue: contextValue as never });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      return response.body.singleResult as Awaited<ReturnType<Execute>>;
    };
    try {
      const document = await buildDataSubjectExport(schema(), execute, clientId, contextValue.principal);
      res.setHeader('content-disposition', `attachment; filename="data-subject-${clientId}.json"`);
      res.type('application/json; charset=utf-8').send(JSON.stringify(document, null, 2));
    } catch (error) {
      if (error instanceof ExportError) res.status(error.status).json({ errors: error.errors });
      else throw error;
    }
  };
}
