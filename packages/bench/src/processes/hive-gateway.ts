/**
 * The peer gateway of the benchmark (npm run bench): Hive Gateway (@graphql-hive/gateway-runtime, the engine of
 * @graphql-hive/gateway, in a plain Node HTTP server as its CLI runs it) on the same supergraph in front of the same
 * subgraphs. Like this project's gateway it verifies the caller's token (the same verifier, so the same work), and it
 * forwards Authorization, X-Request-Id and X-Purpose and sends x-gateway-secret to every subgraph.
 *
 * Environment: PORT, SUPERGRAPH_FILE, SUBGRAPH_URLS (JSON name → URL, replacing the supergraph's join__graph URLs),
 * GATEWAY_SHARED_SECRET, and the auth settings of the platform (AUTH_DEV_KEYS_DIR, ...). Ready at /readiness.
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createGatewayRuntime, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { bearerToken, createTokenVerifier, exitWithParent, loadAuthConfig } from '@integration-graph/common';

const port = Number(process.env.PORT);
const secret = process.env.GATEWAY_SHARED_SECRET ?? '';
const subgraphUrls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>;
let supergraph = fs.readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8');
for (const [name, url] of Object.entries(subgraphUrls)) {
  supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${url}$2`);
}
const verify = createTokenVerifier(loadAuthConfig());

/**
 * Workaround for a schema-building bug of Hive Gateway (@graphql-tools/stitch 10.x): a value type returned by
 * @requires fields of two subgraphs (DistributionValue: caseDistribution in cases, referralDistribution in
 * referrals) gets a "canonical" definition in each, and stitching stops with 'Multiple canonical definitions for
 * "DistributionValue"'. The definitions are identical (shareable), so the first is taken. This changes how the
 * schema is built at start, nothing of how a request is planned or executed.
 */
function tolerateSeveralCanonicalDefinitions(): void {
  const requireFromRuntime = createRequire(require.resolve('@graphql-hive/gateway-runtime'));
  const requireFromFederation = createRequire(requireFromRuntime.resolve('@graphql-tools/federation'));
  const stitch = requireFromFederation('@graphql-tools/stitch') as { stitchSchemas: (options: Record<string, unknown>) => unknown };
  type Candidate = { type: { name: string }; transformedSubschema: { schema?: unknown; merge?: Record<string, { canonical?: boolean }> } };
  const original = stitch.stitchSchemas;
  stitch.stitchSchemas = (options) => {
    const typeMergingOptions = (options.typeMergingOptions ?? {}) as Record<string, unknown>;
    typeMergingOptions.typeCandidateMerger ??= (candidates: Candidate[]) =>
      candidates.find(({ type, transformedSubschema }) => transformedSubschema.schema && transformedSubschema.merge?.[type.name]?.canonical) ??
      candidates[candidates.length - 1];
    return original({ ...options, typeMergingOptions });
  };
}
tolerateSeveralCanonicalDefinitions();

const unauthorized = (message: string) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });

const gateway = createGatewayRuntime({
  supergraph,
  logging: 'warn',
  landingPage: false,
  graphiql: false,
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const headers: Record<string, string> = { 'x-gateway-secret': secret };
      for (const name of ['authorization', 'x-request-id', 'x-purpose']) {
        const value = request.headers.get(name);
        if (value) headers[name] = value;
      }
      return headers;
    },
  },
  plugins: () => [
    <GatewayPlugin>{
      // The caller's token is verified before any planning, as this project's gateway does.
      async onRequest({ request, endResponse }: { request: Request; endResponse(response: Response): void }) {
        const header = request.headers.get('authorization');
        if (!header) return;
        try {
          const token = bearerToken(header);
          if (token) await verify(token);
        } catch (error) {
          endResponse(unauthorized(error instanceof Error ? error.message : String(error)));
        }
      },
    },
  ],
});

const server = http.createServer({ keepAliveTimeout: 60_000 }, gateway);
server.listen(port, '127.0.0.1');
const stop = () => {
  server.close();
  Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
exitWithParent(stop);
