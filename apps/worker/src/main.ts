import { createLogger, exitOnConfigError, loadConfig, loadDotEnvIfPresent, workerConfigSchema } from '@switchboard/config';
import { startWorker } from './worker-app';

async function main(): Promise<void> {
  loadDotEnvIfPresent();
  const config = loadConfig(workerConfigSchema, process.env);
  const logger = createLogger('worker', config.LOG_LEVEL);
  // whatsapp-web.js can reject after destroy() ("Execution context was destroyed"): log, keep running.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const worker = await startWorker(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: handing partitions over');
    worker.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  exitOnConfigError(error);
  console.error(error);
  process.exit(1);
});
