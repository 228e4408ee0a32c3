export { sharedConfigSchema } from './shared.config';
export { apiConfigSchema, type ApiConfig } from './api.config';
export { workerConfigSchema, type WorkerConfig } from './worker.config';
export { loadConfig, loadDotEnvIfPresent, exitOnConfigError, ConfigError } from './load-config';
export { createLogger, type Logger } from './logger';
