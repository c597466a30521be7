// Tracing first (when configured): its instrumentation must be in place before http, pg and graphql are loaded.
import { initTracing } from '@integration-graph/common/dist/observability/tracing';

initTracing('partners');

/* eslint-disable @typescript-eslint/no-require-imports */
const { runSubgraph } = require('@integration-graph/common') as typeof import('@integration-graph/common');
const { partnersSubgraph } = require('./subgraph') as typeof import('./subgraph');
/* eslint-enable @typescript-eslint/no-require-imports */

// The partners subgraph's own settings, checked at start with the shared ones (loadServiceConfig).
runSubgraph(partnersSubgraph, (settings) => {
  settings.int('DIRECTORY_STALE_AFTER_DAYS', 180, { min: 1 });
  settings.string('SHARED_DATA_DIR');
});
