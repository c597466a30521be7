import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Metrics } from './metrics';

/**
 * Counts and times every GraphQL request by operation name, and counts the errors of its response by
 * extensions.code (as the caller sees them, after formatError). Requests refused before GraphQL runs (an invalid
 * token, HTTP 401, in the context function) are counted by the HTTP metrics only.
 */
export function graphqlMetricsPlugin<TContext extends BaseContext>(metrics: Metrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, response, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const sent = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const codes = (sent ?? errors ?? []).map((error) => {
            const code = error.extensions?.code;
            return typeof code === 'string' ? code : undefined;
          });
          metrics.recordOperation(metrics.operationLabel(operationName, operation !== undefined), seconds, codes);
        },
      };
    },
  };
}
