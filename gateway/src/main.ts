// Tracing first (when configured): its instrumentation must be in place before http, express and graphql are loaded.
import { initTracing } from '@integration-graph/common/dist/observability/tracing';

initTracing('gateway');

/* eslint-disable @typescript-eslint/no-require-imports */
const { createLogger, exitOnInvalidConfiguration, exitWithParent, shutdownTracing } = require('@integration-graph/common') as typeof import('@integration-graph/common');
const { loadGatewayConfig } = require('./config') as typeof import('./config');
const { startGateway } = require('./server') as typeof import('./server');
/* eslint-enable @typescript-eslint/no-require-imports */

const logger = createLogger('gateway');

async function main(): Promise<void> {
  let config: ReturnType<typeof loadGatewayConfig>;
  try {
    config = loadGatewayConfig();
  } catch (error) {
    return exitOnInvalidConfiguration(logger, error);
  }
  const gateway = await startGateway(config, logger);
  logger.info({ url: gateway.url }, 'gateway ready');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    gateway
      .close()
      .then(() => shutdownTracing())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  exitWithParent(() => stop('parent gone'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
