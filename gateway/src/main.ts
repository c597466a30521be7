// Tracing first (when configured): its instrumentation must be in place before http, express and graphql are loaded.
import { initTracing } from '@integration-graph/common/dist/observability/tracing';

initTracing('gateway');

/* eslint-disable @typescript-eslint/no-require-imports */
const { createLogger, DEFAULT_SHUTDOWN_TIMEOUT_MS, envInt, exitAfter, exitOnInvalidConfiguration, exitWithParent, FORCED_EXIT_GRACE_MS, shutdownTracing } =
  require('@integration-graph/common') as typeof import('@integration-graph/common');
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
  // Checked at start with the rest of the configuration (readCommonSettings).
  const shutdownTimeoutMs = envInt('SHUTDOWN_TIMEOUT_MS', DEFAULT_SHUTDOWN_TIMEOUT_MS);
  let stopping = false;
  // No new connections, idle ones closed, requests in flight answered (within SHUTDOWN_TIMEOUT_MS), then exit: 0
  // when nothing had to be cut off.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const begun = Date.now();
    logger.info({ signal, timeoutMs: shutdownTimeoutMs }, 'stopping: finishing requests in flight');
    exitAfter(logger, shutdownTimeoutMs + FORCED_EXIT_GRACE_MS);
    gateway
      .close(shutdownTimeoutMs)
      .then(async (drained) => {
        await shutdownTracing();
        return drained?.cutOff ?? 0;
      })
      .then(
        (cutOff) => {
          if (cutOff === 0) logger.info({ ms: Date.now() - begun }, 'stopped');
          else logger.warn({ ms: Date.now() - begun, cutOffRequests: cutOff }, `stopped: requests still running after SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs} ms) were cut off`);
          process.exit(cutOff === 0 ? 0 : 1);
        },
        (error) => {
          logger.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  exitWithParent(() => stop('parent gone'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
