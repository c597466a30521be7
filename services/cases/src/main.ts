// Tracing first (when configured): its instrumentation must be in place before http, pg and graphql are loaded.
import { initTracing } from '@integration-graph/common/dist/observability/tracing';

initTracing('cases');

/* eslint-disable @typescript-eslint/no-require-imports */
const { runSubgraph } = require('@integration-graph/common') as typeof import('@integration-graph/common');
const { casesSubgraph } = require('./subgraph') as typeof import('./subgraph');
/* eslint-enable @typescript-eslint/no-require-imports */

// The cases subgraph's own settings, checked at start with the shared ones (loadServiceConfig).
runSubgraph(casesSubgraph, (settings) => {
  settings.int('CASE_RETENTION_MONTHS', 36, { min: 0 });
  settings.int('RETENTION_INTERVAL_MS', 3_600_000);
  settings.int('STATISTICS_PUBLISH_INTERVAL_MS', 900_000);
  settings.int('STATISTICS_PUBLISHED_MIN_GROUPS', 200, { min: 1 });
  settings.int('STATISTICS_PUBLISHED_MAX_AGE_MS', 1_800_000, { min: 1 });
  settings.url('PARTNERS_URL');
});
