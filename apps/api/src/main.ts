import { apiConfigSchema, createLogger, exitOnConfigError, loadConfig, loadDotEnvIfPresent, type ApiConfig } from '@switchboard/config';
import { startApi } from './api-server';
import { attachRealtime } from './realtime/attach-realtime';

async function main(): Promise<void> {
  loadDotEnvIfPresent();
  let config: ApiConfig;
  try {
    config = loadConfig(apiConfigSchema, process.env);
  } catch (error) {
    exitOnConfigError(error);
  }
  const logger = createLogger('api', config.LOG_LEVEL);
  const api = await startApi(config, { logger, attachRealtime }).catch((error: unknown) => {
    logger.fatal({ err: error }, `api failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  logger.info(`api listening on ${api.url} (docs: ${api.url}/docs)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void api.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
