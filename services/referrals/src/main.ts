// Tracing first (when configured): its instrumentation must be in place before http, pg and graphql are loaded.
import { initTracing } from '@integration-graph/common/dist/observability/tracing';

initTracing('referrals');

/* eslint-disable @typescript-eslint/no-require-imports */
const { runSubgraph } = require('@integration-graph/common') as typeof import('@integration-graph/common');
const { referralsSubgraph } = require('./subgraph') as typeof import('./subgraph');
/* eslint-enable @typescript-eslint/no-require-imports */

// The referrals subgraph's own settings, checked at start with the shared ones (loadServiceConfig).
runSubgraph(referralsSubgraph, (settings) => {
  settings.int('REFERRAL_RESPONSE_DEADLINE_DAYS', 14, { min: 1 });
  settings.int('OUTBOX_POLL_MS', 1_000, { min: 1 });
  settings.int('WEBHOOK_TIMEOUT_MS', 5_000, { min: 1 });
  settings.int('WEBHOOK_MAX_ATTEMPTS', 10, { min: 1 });
  settings.int('CASE_RETENTION_MONTHS', 36, { min: 0 });
  settings.int('REFERRAL_RETENTION_MONTHS', 36, { min: 0 });
  settings.int('RETENTION_INTERVAL_MS', 3_600_000);
  settings.int('STATISTICS_PUBLISH_INTERVAL_MS', 900_000);
  settings.int('STATISTICS_PUBLISHED_MIN_GROUPS', 200, { min: 1 });
  settings.int('STATISTICS_PUBLISHED_MAX_AGE_MS', 1_800_000, { min: 1 });
  settings.url('CASES_URL');
  settings.url('PARTNERS_URL');
});
