import { createLogger, exitWithParent } from '@integration-graph/common';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

const logger = createLogger('gateway');

async function main(): Promise<void> {
  const gateway = await startGateway(loadGatewayConfig(), logger);
  logger.info({ url: gateway.url }, 'gateway ready');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    gateway.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  exitWithParent(() => stop('parent gone'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
